package api

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// reportJSON is a report as the API shows it. Its reporter sees what they
// wrote and the outcome; case_id, subject_person_id and the screening are
// shown only to the services that receive the report.
type reportJSON struct {
	ID               int64          `json:"id"`
	Code             string         `json:"code"`
	ReceivedAt       string         `json:"received_at"`
	Channel          string         `json:"channel"`
	Urgency          string         `json:"urgency"`
	AreaID           int64          `json:"area_id"`
	AddressedOrgID   int64          `json:"addressed_org_id"`
	ReporterUserID   *int64         `json:"reporter_user_id"`
	ReporterOrgID    *int64         `json:"reporter_org_id"`
	Reporter         *string        `json:"reporter,omitempty"`
	Subject          *string        `json:"subject,omitempty"`
	Observed         *string        `json:"observed,omitempty"`
	ObservedWithheld bool           `json:"observed_withheld,omitempty"`
	Status           string         `json:"status"`
	Progress         string         `json:"progress"`
	Outcome          *string        `json:"outcome"`
	OutcomeAt        *string        `json:"outcome_at"`
	Full             bool           `json:"full"`
	CaseID           *int64         `json:"case_id,omitempty"`
	SubjectPersonID  *int64         `json:"subject_person_id,omitempty"`
	Screening        *screeningJSON `json:"screening,omitempty"`
	Version          int            `json:"version"`
}

// screeningJSON is a screening as the API shows it: the answers the caller
// may see, and how many were withheld.
type screeningJSON struct {
	ID                int64               `json:"id"`
	ScreenedBy        int64               `json:"screened_by"`
	ScreenedAt        string              `json:"screened_at"`
	Answers           map[string][]string `json:"answers"`
	Withheld          int                 `json:"withheld"`
	TraffickingStatus *string             `json:"trafficking_status"`
	Decision          *string             `json:"decision"`
	Reasons           string              `json:"reasons"`
	CaseID            *int64              `json:"case_id"`
	Version           int                 `json:"version"`
}

// reportString is s, or null when it is empty.
func reportString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// reportTime is t in RFC 3339, or null when it is zero.
func reportTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// reportView writes the facts of a report, without its text; full adds
// what only the services that receive it see.
func reportView(r cases.Report, full bool) reportJSON {
	out := reportJSON{ID: r.ID, Code: r.Code, ReceivedAt: r.ReceivedAt.UTC().Format(time.RFC3339), Channel: string(r.Channel),
		Urgency: string(r.Urgency), AreaID: r.AreaID, AddressedOrgID: r.AddressedOrgID, ReporterUserID: optionalID(r.ReporterUserID),
		ReporterOrgID: optionalID(r.ReporterOrgID), Status: string(r.Status), Progress: r.Progress(),
		Outcome: reportString(string(r.Outcome)), OutcomeAt: reportTime(r.OutcomeAt), Full: full, Version: r.Version}
	if full {
		out.CaseID, out.SubjectPersonID = optionalID(r.CaseID), optionalID(r.SubjectPersonID)
	}
	return out
}

// reportViewWithText writes a report as the caller may see it, with its
// text and, for the services that receive it, its screening.
func reportViewWithText(v *casework.ReportView) reportJSON {
	out := reportView(v.Report, v.Full)
	out.Reporter, out.Subject = &v.Report.Reporter, &v.Report.Subject
	if v.ObservedWithheld {
		out.ObservedWithheld = true
	} else {
		out.Observed = &v.Report.Observed
	}
	if s := v.Screening; s != nil {
		answers := s.Answers
		if answers == nil {
			answers = map[string][]string{}
		}
		out.Screening = &screeningJSON{ID: s.ID, ScreenedBy: s.ScreenedBy, ScreenedAt: s.ScreenedAt.UTC().Format(time.RFC3339),
			Answers: answers, Withheld: s.Withheld, TraffickingStatus: reportString(string(s.TraffickingStatus)),
			Decision: reportString(string(s.Decision)), Reasons: s.Reasons, CaseID: optionalID(s.CaseID), Version: s.Version}
	}
	return out
}

// reportListJSON is a page of reports with the total.
type reportListJSON struct {
	Items []reportJSON `json:"items"`
	Total int          `json:"total"`
}

// listReports returns a page of the reports the caller may list, filtered
// by status, urgency and channel: for the services that receive them, the
// undecided and most urgent first; for reporters, the reports they filed.
func (a *API) listReports(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ReportFilter{Status: cases.ReportStatus(q.Get("status")), Urgency: cases.Urgency(q.Get("urgency")),
		Channel: cases.Channel(q.Get("channel"))}
	var problems []approdo.FieldError
	if f.Status != "" && !f.Status.Valid() {
		problems = append(problems, approdo.FieldError{Field: "status", Message: "error.field.unknown_value"})
	}
	if f.Urgency != "" && !f.Urgency.Valid() {
		problems = append(problems, approdo.FieldError{Field: "urgency", Message: "error.field.unknown_value"})
	}
	if f.Channel != "" && !f.Channel.Valid() {
		problems = append(problems, approdo.FieldError{Field: "channel", Message: "error.field.unknown_value"})
	}
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
	list, total, err := a.Cases.Reports(r.Context(), auth.ActorFrom(r.Context()), f, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := reportListJSON{Items: []reportJSON{}, Total: total}
	for _, row := range list {
		out.Items = append(out.Items, reportView(row.Report, row.Full))
	}
	respond.JSON(w, http.StatusOK, out)
}

// getReport returns one report as the caller may see it, and records the
// read.
func (a *API) getReport(w http.ResponseWriter, r *http.Request) {
	v, err := a.Cases.OpenReport(r.Context(), auth.ActorFrom(r.Context()), pathID(r), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, reportViewWithText(v))
}

// reportBodyJSON is the body of a new report or of a correction.
type reportBodyJSON struct {
	RecordedCall    bool   `json:"recorded_call"`
	Reporter        string `json:"reporter"`
	Subject         string `json:"subject"`
	Observed        string `json:"observed"`
	ReceivedAt      string `json:"received_at"`
	Channel         string `json:"channel"`
	Urgency         string `json:"urgency"`
	AreaID          int64  `json:"area_id"`
	AddressedOrgID  int64  `json:"addressed_org_id"`
	SubjectPersonID int64  `json:"subject_person_id"`
	Version         int    `json:"version"`
}

// input turns the body into the service's input, or a problem with the
// time received.
func (b reportBodyJSON) input() (casework.ReportInput, error) {
	in := casework.ReportInput{RecordedCall: b.RecordedCall, Reporter: b.Reporter, Subject: b.Subject, Observed: b.Observed,
		Channel: cases.Channel(b.Channel), Urgency: cases.Urgency(b.Urgency), AreaID: b.AreaID, AddressedOrgID: b.AddressedOrgID,
		SubjectPersonID: b.SubjectPersonID, Version: b.Version}
	if s := strings.TrimSpace(b.ReceivedAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return in, approdo.Invalid(approdo.FieldError{Field: "received_at", Message: "error.field.datetime"})
		}
		in.ReceivedAt = t
	}
	return in, nil
}

// createReport files a new report of concern and returns it as its author
// sees it.
func (a *API) createReport(w http.ResponseWriter, r *http.Request) {
	var body reportBodyJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in, err := body.input()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	actor := auth.ActorFrom(r.Context())
	rep, err := a.Cases.FileReport(r.Context(), actor, in, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.OpenReport(r.Context(), actor, rep.ID, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, reportViewWithText(v))
}

// updateReport corrects a report, by one of the services that receive it,
// made from the version the body names.
func (a *API) updateReport(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	// A report out of reach is not found before its input is judged.
	if err := a.Cases.MayScreen(r.Context(), actor, pathID(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	var body reportBodyJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in, err := body.input()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if _, err := a.Cases.UpdateReport(r.Context(), actor, pathID(r), in, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.getReport(w, r)
}

// screeningBodyJSON is the body of a screening.
type screeningBodyJSON struct {
	Version           int                 `json:"version"`
	Answers           map[string][]string `json:"answers"`
	TraffickingStatus string              `json:"trafficking_status"`
	Draft             bool                `json:"draft"`
	Decision          string              `json:"decision"`
	Reasons           string              `json:"reasons"`
	CaseKind          string              `json:"case_kind"`
	CaseProgrammeID   int64               `json:"case_programme_id"`
	CaseStage         string              `json:"case_stage"`
}

// screenReport saves the screening of a report, as a draft or with its
// decision, and returns the report as the screener sees it.
func (a *API) screenReport(w http.ResponseWriter, r *http.Request) {
	if err := a.Cases.MayScreen(r.Context(), auth.ActorFrom(r.Context()), pathID(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	var body screeningBodyJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	for set := range body.Answers {
		sort.Strings(body.Answers[set])
	}
	in := casework.ScreeningInput{Version: body.Version, Answers: body.Answers, TraffickingStatus: cases.TraffickingStatus(body.TraffickingStatus),
		Decide: !body.Draft, Decision: cases.Decision(body.Decision), Reasons: body.Reasons, CaseKind: cases.Kind(body.CaseKind),
		CaseProgrammeID: body.CaseProgrammeID, CaseStage: cases.Stage(body.CaseStage)}
	if _, err := a.Cases.Screen(r.Context(), auth.ActorFrom(r.Context()), pathID(r), in, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.getReport(w, r)
}

// indicatorSetJSON is a screening checklist as the API shows and takes it.
type indicatorSetJSON struct {
	Code       string          `json:"code"`
	NameIT     string          `json:"name_it"`
	NameEN     string          `json:"name_en"`
	Source     string          `json:"source"`
	Position   int             `json:"position"`
	Active     *bool           `json:"active"`
	Indicators []indicatorJSON `json:"indicators"`
}

// indicatorJSON is one indicator of a checklist.
type indicatorJSON struct {
	Code       string `json:"code"`
	LabelIT    string `json:"label_it"`
	LabelEN    string `json:"label_en"`
	FieldGroup string `json:"field_group"`
	Position   int    `json:"position"`
	Active     *bool  `json:"active"`
}

// reportBool points at b.
func reportBool(b bool) *bool { return &b }

// indicatorSetView writes a checklist for the API.
func indicatorSetView(s cases.IndicatorSet) indicatorSetJSON {
	out := indicatorSetJSON{Code: s.Code, NameIT: s.NameIT, NameEN: s.NameEN, Source: s.Source, Position: s.Position,
		Active: reportBool(s.Active), Indicators: []indicatorJSON{}}
	for _, i := range s.Indicators {
		out.Indicators = append(out.Indicators, indicatorJSON{Code: i.Code, LabelIT: i.LabelIT, LabelEN: i.LabelEN,
			FieldGroup: i.FieldGroup, Position: i.Position, Active: reportBool(i.Active)})
	}
	return out
}

// set turns the body into a checklist; a missing "active" means active.
func (b indicatorSetJSON) set() *cases.IndicatorSet {
	s := &cases.IndicatorSet{Code: b.Code, NameIT: b.NameIT, NameEN: b.NameEN, Source: b.Source, Position: b.Position,
		Active: b.Active == nil || *b.Active}
	for _, i := range b.Indicators {
		s.Indicators = append(s.Indicators, cases.Indicator{Code: i.Code, LabelIT: i.LabelIT, LabelEN: i.LabelEN,
			FieldGroup: i.FieldGroup, Position: i.Position, Active: i.Active == nil || *i.Active})
	}
	return s
}

// listIndicatorSets returns the screening checklists: all of them to those
// who edit them, the active ones to screeners.
func (a *API) listIndicatorSets(w http.ResponseWriter, r *http.Request) {
	sets, err := a.Cases.IndicatorSets(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []indicatorSetJSON{}
	for _, s := range sets {
		out = append(out, indicatorSetView(s))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// createIndicatorSet adds a screening checklist.
func (a *API) createIndicatorSet(w http.ResponseWriter, r *http.Request) {
	var body indicatorSetJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	set := body.set()
	if err := a.Cases.CreateIndicatorSet(r.Context(), auth.ActorFrom(r.Context()), set, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, indicatorSetView(*set))
}

// updateIndicatorSet saves a screening checklist and the indicators the
// body lists; the code in the path names it.
func (a *API) updateIndicatorSet(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	code := r.PathValue("set")
	// A checklist that does not exist, or a caller who may not edit
	// checklists, is not found before the body is judged.
	if _, err := a.Cases.IndicatorSet(r.Context(), actor, code); err != nil {
		a.fail(w, r, err)
		return
	}
	var body indicatorSetJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	body.Code = code
	if err := a.Cases.UpdateIndicatorSet(r.Context(), actor, body.set(), auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	saved, err := a.Cases.IndicatorSet(r.Context(), actor, code)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, indicatorSetView(*saved))
}
