package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/i18n"
	"approdo/internal/respond"
)

// caseJSON is a case as the API shows it. A summary leaves out the team
// and the protection concerns.
type caseJSON struct {
	ID            int64            `json:"id"`
	Code          string           `json:"code"`
	Kind          string           `json:"kind"`
	Stage         string           `json:"stage"`
	Risk          string           `json:"risk"`
	AreaID        int64            `json:"area_id"`
	ProgrammeID   *int64           `json:"programme_id"`
	OwnerOrgID    int64            `json:"owner_organisation_id"`
	CaseWorkerID  *int64           `json:"case_worker_id"`
	Concerns      []string         `json:"concerns,omitempty"`
	ClosureReason string           `json:"closure_reason,omitempty"`
	Outcomes      []string         `json:"outcomes,omitempty"`
	OpenedAt      string           `json:"opened_at"`
	ClosedAt      *string          `json:"closed_at"`
	UpdatedAt     string           `json:"updated_at"`
	Version       int              `json:"version"`
	Summary       bool             `json:"summary"`
	Team          []caseMemberJSON `json:"team,omitempty"`
	Via           string           `json:"via,omitempty"`
}

type caseMemberJSON struct {
	UserID       int64  `json:"user_id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Role         string `json:"role"`
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func caseView(c cases.Case, summary bool) caseJSON {
	out := caseJSON{ID: c.ID, Code: c.Code, Kind: string(c.Kind), Stage: string(c.Stage), Risk: string(c.Risk),
		AreaID: c.AreaID, ProgrammeID: optionalID(c.ProgrammeID), OwnerOrgID: c.OwnerOrgID,
		CaseWorkerID: optionalID(c.CaseWorkerID), OpenedAt: c.OpenedAt.UTC().Format(time.RFC3339),
		UpdatedAt: c.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Version, Summary: summary}
	if !c.ClosedAt.IsZero() {
		closed := c.ClosedAt.UTC().Format(time.RFC3339)
		out.ClosedAt = &closed
	}
	if !summary {
		out.Concerns = c.Concerns
		if out.Concerns == nil {
			out.Concerns = []string{}
		}
		out.ClosureReason, out.Outcomes = c.ClosureReason, c.Outcomes
	}
	return out
}

// caseListJSON is a page of cases with the total.
type caseListJSON struct {
	Items   []caseJSON `json:"items"`
	Total   int        `json:"total"`
	Summary bool       `json:"summary"`
}

// listCases returns a page of the cases the caller may list, filtered by
// owner, stage, kind, risk, area and the first characters of the code,
// sorted by the column asked for, fifty to a page (limit up to 200). The
// parameters are those of the case list in the UI, so that a saved
// working list's query serves both.
func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, err := casework.ParseListQuery(q)
	problems := approdo.ErrorFields(err)
	actor := auth.ActorFrom(r.Context())
	f := lq.Filter(actor, a.Cases.Now())
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				problems = append(problems, approdo.FieldError{Field: p.name, Message: "error.field.unknown_value"})
			}
			*p.dst = n
		}
	}
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	list, total, summary, err := a.Cases.List(r.Context(), actor, f, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := caseListJSON{Items: []caseJSON{}, Total: total, Summary: summary}
	for _, c := range list {
		out.Items = append(out.Items, caseView(c, summary))
	}
	respond.JSON(w, http.StatusOK, out)
}

// getCase returns one case, in full or as a summary, and records the read.
func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	v, err := a.Cases.Open(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := caseView(v.Case, !v.Full)
	out.Via = v.Via
	for _, m := range v.Team {
		out.Team = append(out.Team, caseMemberJSON{UserID: m.UserID, Name: m.Name, Organisation: m.Organisation, Role: string(m.Role)})
	}
	respond.JSON(w, http.StatusOK, out)
}

// accessEntryJSON is one line of a case's access log.
type accessEntryJSON struct {
	At           string   `json:"at"`
	UserID       int64    `json:"user_id"`
	Name         string   `json:"name"`
	Organisation string   `json:"organisation"`
	Action       string   `json:"action"`
	Fields       []string `json:"fields"`
	Reason       string   `json:"reason,omitempty"`
}

// getCaseAccessLog returns who accessed a case, newest first.
func (a *API) getCaseAccessLog(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		a.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	_, entries, err := a.Cases.AccessLog(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []accessEntryJSON{}
	for _, e := range entries {
		fields := e.Fields
		if fields == nil {
			fields = []string{}
		}
		out = append(out, accessEntryJSON{At: e.At.UTC().Format(time.RFC3339), UserID: e.UserID, Name: e.Name,
			Organisation: e.Organisation, Action: string(e.Action), Fields: fields, Reason: e.Reason})
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// breakGlassJSON is the body of a break-glass request.
type breakGlassJSON struct {
	CaseCode string `json:"case_code"`
	Reason   string `json:"reason"`
}

// breakGlass opens a case outside the caller's scope for a limited time
// after they gave a reason, and returns it.
func (a *API) breakGlass(w http.ResponseWriter, r *http.Request) {
	var body breakGlassJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	actor := auth.ActorFrom(r.Context())
	c, err := a.Cases.BreakGlass(r.Context(), actor, body.CaseCode, body.Reason, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, caseView(*c, false))
}

// decodeJSON reads a JSON request body into v, refusing other content
// types, unknown fields and trailing data with EINVALID.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" && !strings.HasPrefix(ct, "application/json;") {
		return approdo.Errorf(approdo.EINVALID, "error.content_type_json")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return approdo.Errorf(approdo.EINVALID, "error.json_malformed")
	}
	if dec.More() {
		return approdo.Errorf(approdo.EINVALID, "error.json_malformed")
	}
	return nil
}

// failCase writes err as a JSON error; a change made from an older
// version of the case answers 409 with a message naming the fields changed
// since, and one entry per field with its value then and now and who
// changed it.
func (a *API) failCase(w http.ResponseWriter, r *http.Request, err error) {
	s := casework.AsStale(err)
	if s == nil {
		a.fail(w, r, err)
		return
	}
	l := i18n.LangFrom(r.Context())
	t := func(key string, args ...any) string { return a.Catalogue.T(l, key, args...) }
	terms := func(ts []casework.Term) string {
		if len(ts) == 0 {
			return t("case.conflict.empty")
		}
		out := make([]string, 0, len(ts))
		for _, x := range ts {
			if x.Key != "" {
				out = append(out, t(x.Key))
			} else {
				out = append(out, x.Text)
			}
		}
		return strings.Join(out, ", ")
	}
	body := respond.ErrorBody{Error: respond.ErrorDetail{Code: approdo.ECONFLICT}}
	labels := make([]string, 0, len(s.Changes))
	for _, c := range s.Changes {
		label := respond.FieldLabel(a.Catalogue, l, c.Field)
		labels = append(labels, label)
		body.Error.Fields = append(body.Error.Fields, respond.FieldIssue{Field: c.Field,
			Message: t("error.case.changed", label, terms(c.From), terms(c.To), c.By)})
	}
	if len(labels) == 0 {
		body.Error.Message = t("error.case.stale")
	} else {
		body.Error.Message = t("error.case.stale_fields", strings.Join(labels, ", "), s.Version)
	}
	respond.JSON(w, http.StatusConflict, body)
}

// optionalInt64 is a JSON number that may be absent (Set false), null or a
// value, for partial updates.
type optionalInt64 struct {
	Set   bool
	Value int64
}

// UnmarshalJSON reads null as 0.
func (o *optionalInt64) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = 0
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// caseEditJSON is the body of a change of a case's risk, concerns and
// programme: only the fields present change.
type caseEditJSON struct {
	Version     int           `json:"version"`
	Risk        *string       `json:"risk"`
	Concerns    *[]string     `json:"concerns"`
	ProgrammeID optionalInt64 `json:"programme_id"`
}

// editCase changes the risk, concerns and programme of a case.
func (a *API) editCase(w http.ResponseWriter, r *http.Request) {
	var body caseEditJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	e := casework.Edit{Version: body.Version, Concerns: body.Concerns}
	if body.Risk != nil {
		risk := cases.Risk(*body.Risk)
		e.Risk = &risk
	}
	if body.ProgrammeID.Set {
		e.ProgrammeID = &body.ProgrammeID.Value
	}
	c, err := a.Cases.EditCase(r.Context(), auth.ActorFrom(r.Context()), pathID(r), e, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// respondCase answers a change of a case with the case as saved.
func (a *API) respondCase(w http.ResponseWriter, r *http.Request, c *cases.Case, err error) {
	if err != nil {
		a.failCase(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, caseView(*c, false))
}

// caseStageJSON is the body of a change of stage.
type caseStageJSON struct {
	Version int    `json:"version"`
	Stage   string `json:"stage"`
	Reason  string `json:"reason"`
}

// moveCaseStage moves a case forward one stage, or back one with a reason.
func (a *API) moveCaseStage(w http.ResponseWriter, r *http.Request) {
	var body caseStageJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.Cases.MoveStage(r.Context(), auth.ActorFrom(r.Context()), pathID(r),
		casework.StageMove{Version: body.Version, To: cases.Stage(body.Stage), Reason: body.Reason}, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// caseClosureJSON is the body of a closure.
type caseClosureJSON struct {
	Version       int      `json:"version"`
	ClosureReason string   `json:"closure_reason"`
	Outcomes      []string `json:"outcomes"`
}

// closeCase closes a case with its reason and outcomes.
func (a *API) closeCase(w http.ResponseWriter, r *http.Request) {
	var body caseClosureJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.Cases.CloseCase(r.Context(), auth.ActorFrom(r.Context()), pathID(r),
		casework.Closure{Version: body.Version, Reason: body.ClosureReason, Outcomes: body.Outcomes}, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// caseReasonJSON is the body of a change that needs only a reason.
type caseReasonJSON struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// reopenCase reopens a closed case, back to monitoring.
func (a *API) reopenCase(w http.ResponseWriter, r *http.Request) {
	var body caseReasonJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.Cases.ReopenCase(r.Context(), auth.ActorFrom(r.Context()), pathID(r),
		casework.Reopening{Version: body.Version, Reason: body.Reason}, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// caseWorkerJSON is someone who may be a case's case worker.
type caseWorkerJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// listCaseWorkers returns who may be the case worker of a case.
func (a *API) listCaseWorkers(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	users, err := a.Cases.CaseWorkers(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []caseWorkerJSON{}
	for _, u := range users {
		out = append(out, caseWorkerJSON{ID: u.ID, Name: u.DisplayName})
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// caseReassignJSON is the body of a reassignment.
type caseReassignJSON struct {
	Version      int   `json:"version"`
	CaseWorkerID int64 `json:"case_worker_id"`
}

// reassignCase hands a case to another case worker of its organisation.
func (a *API) reassignCase(w http.ResponseWriter, r *http.Request) {
	var body caseReassignJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.Cases.Reassign(r.Context(), auth.ActorFrom(r.Context()), pathID(r),
		casework.Reassignment{Version: body.Version, CaseWorkerID: body.CaseWorkerID}, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// transferRequestJSON is the body of a transfer request.
type transferRequestJSON struct {
	Version          int    `json:"version"`
	ToOrganisationID int64  `json:"to_organisation_id"`
	Reason           string `json:"reason"`
	RequesterStays   *bool  `json:"requester_stays"`
}

// transferJSON is a transfer as the API shows it, with the summary of its
// case.
type transferJSON struct {
	ID                 int64       `json:"id"`
	Case               caseSummary `json:"case"`
	FromOrganisationID int64       `json:"from_organisation_id"`
	FromOrganisation   string      `json:"from_organisation"`
	ToOrganisationID   int64       `json:"to_organisation_id"`
	ToOrganisation     string      `json:"to_organisation"`
	RequestedBy        string      `json:"requested_by"`
	RequestedAt        string      `json:"requested_at"`
	Reason             string      `json:"reason"`
	RequesterStays     bool        `json:"requester_stays"`
	State              string      `json:"state"`
	Direction          string      `json:"direction,omitempty"`
	DecidedBy          string      `json:"decided_by,omitempty"`
	DecidedAt          *string     `json:"decided_at"`
	DeclineReason      string      `json:"decline_reason,omitempty"`
}

// caseSummary is what the receiving organisation reads of a case while a
// transfer is pending.
type caseSummary struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	Kind      string `json:"kind"`
	Area      string `json:"area"`
	Stage     string `json:"stage"`
	Risk      string `json:"risk"`
	Programme string `json:"programme"`
	OpenedAt  string `json:"opened_at"`
	Version   int    `json:"version"`
}

func transferView(v *casework.TransferView, direction string) transferJSON {
	out := transferJSON{ID: v.ID, FromOrganisationID: v.FromOrgID, FromOrganisation: v.From, ToOrganisationID: v.ToOrgID,
		ToOrganisation: v.To, RequestedBy: v.RequestedBy, RequestedAt: v.RequestedAt.UTC().Format(time.RFC3339),
		Reason: v.Reason, RequesterStays: v.RequesterStays, State: string(v.State), Direction: direction,
		DecidedBy: v.DecidedBy, DeclineReason: v.DeclineReason,
		Case: caseSummary{ID: v.Case.ID, Code: v.Case.Code, Kind: string(v.Case.Kind), Area: v.Case.Area,
			Stage: string(v.Case.Stage), Risk: string(v.Case.Risk), Programme: v.Case.Programme,
			OpenedAt: v.Case.OpenedAt.UTC().Format(time.RFC3339), Version: v.Case.Version}}
	if !v.DecidedAt.IsZero() {
		at := v.DecidedAt.UTC().Format(time.RFC3339)
		out.DecidedAt = &at
	}
	return out
}

// requestTransfer asks another organisation to take over a case.
func (a *API) requestTransfer(w http.ResponseWriter, r *http.Request) {
	var body transferRequestJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	stays := body.RequesterStays == nil || *body.RequesterStays
	actor := auth.ActorFrom(r.Context())
	v, err := a.Cases.RequestTransfer(r.Context(), actor, pathID(r), casework.TransferRequest{Version: body.Version,
		ToOrgID: body.ToOrganisationID, Reason: body.Reason, RequesterStays: stays}, auth.ClientFrom(r.Context()))
	if err != nil {
		a.failCase(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, transferView(v, "outgoing"))
}

// listTransfers returns the transfers addressed to the caller's
// organisation and those it requested, pending first.
func (a *API) listTransfers(w http.ResponseWriter, r *http.Request) {
	in, out, err := a.Cases.Transfers(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := []transferJSON{}
	for i := range in {
		items = append(items, transferView(&in[i], "incoming"))
	}
	for i := range out {
		items = append(items, transferView(&out[i], "outgoing"))
	}
	respond.JSON(w, http.StatusOK, newList(items))
}

// transferDecisionJSON is the body of a decision on a transfer: the
// version of the case read in the summary to accept, a reason to decline.
type transferDecisionJSON struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// acceptTransfer accepts a transfer for the caller's organisation and
// returns the case, now held by it.
func (a *API) acceptTransfer(w http.ResponseWriter, r *http.Request) {
	var body transferDecisionJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.Cases.AcceptTransfer(r.Context(), auth.ActorFrom(r.Context()), pathID(r), body.Version, auth.ClientFrom(r.Context()))
	a.respondCase(w, r, c, err)
}

// declineTransfer declines a transfer with a reason.
func (a *API) declineTransfer(w http.ResponseWriter, r *http.Request) {
	var body transferDecisionJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Cases.DeclineTransfer(r.Context(), auth.ActorFrom(r.Context()), pathID(r), body.Reason, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// savedListJSON is a working list: its name and the query of the case
// list, which GET /api/v1/cases takes as it is.
type savedListJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Query     string `json:"query"`
	CreatedAt string `json:"created_at"`
}

func savedListView(l *cases.SavedList) savedListJSON {
	return savedListJSON{ID: l.ID, Name: l.Name, Query: l.Query, CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339)}
}

// listSavedLists returns the caller's working lists.
func (a *API) listSavedLists(w http.ResponseWriter, r *http.Request) {
	lists, err := a.Cases.SavedLists(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []savedListJSON{}
	for i := range lists {
		out = append(out, savedListView(&lists[i]))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// savedListBodyJSON is the body of a new working list.
type savedListBodyJSON struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

// createSavedList saves a working list.
func (a *API) createSavedList(w http.ResponseWriter, r *http.Request) {
	var body savedListBodyJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	l, err := a.Cases.SaveList(r.Context(), auth.ActorFrom(r.Context()), body.Name, body.Query)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, savedListView(l))
}

// getSavedList returns one of the caller's working lists.
func (a *API) getSavedList(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	l, err := a.Cases.SavedList(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, savedListView(l))
}

// deleteSavedList deletes one of the caller's working lists.
func (a *API) deleteSavedList(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	if err := a.Cases.DeleteList(r.Context(), auth.ActorFrom(r.Context()), id); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
