package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/deadlines"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/i18n"
	"approdo/internal/respond"
)

// The clocks of a case and the rules they come from. Recording an event on
// a case starts the clocks of the rules it starts and completes those it
// completes; the rules are read by whoever reads cases and edited, with
// their version, by administrators and lead entities.

// ruleJSON is a deadline rule as the API shows it.
type ruleJSON struct {
	Code        string  `json:"code"`
	ProgrammeID *int64  `json:"programme_id"`
	Name        string  `json:"name"`
	NameIT      string  `json:"name_it"`
	NameEN      string  `json:"name_en"`
	StartsOn    string  `json:"start_event"`
	Amount      int     `json:"offset_amount"`
	Unit        string  `json:"offset_unit"`
	Birthday    *string `json:"birthday"`
	Responsible string  `json:"responsible"`
	TitleIT     string  `json:"title_it"`
	TitleEN     string  `json:"title_en"`
	CompletesOn *string `json:"completion_event"`
	SourceText  string  `json:"source_text"`
	SourceURL   string  `json:"source_url"`
	Enabled     bool    `json:"enabled"`
	Version     int     `json:"version"`
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ruleView(r *deadlines.Rule, lang string) ruleJSON {
	return ruleJSON{Code: r.Code, ProgrammeID: optionalID(r.ProgrammeID), Name: r.Name(lang), NameIT: r.NameIT, NameEN: r.NameEN,
		StartsOn: string(r.Starts), Amount: r.Offset.Amount, Unit: string(r.Offset.Unit), Birthday: optionalString(string(r.Birthday)),
		Responsible: r.Responsible, TitleIT: r.TitleIT, TitleEN: r.TitleEN, CompletesOn: optionalString(string(r.Completes)),
		SourceText: r.SourceText, SourceURL: r.SourceURL, Enabled: r.Enabled, Version: r.Version}
}

// ruleInput is a rule as the API takes it; a missing "enabled" means
// enabled. The code of an update is the path's, its programme the query's.
type ruleInput struct {
	Code        string  `json:"code"`
	ProgrammeID *int64  `json:"programme_id"`
	Name        string  `json:"name"`
	NameIT      string  `json:"name_it"`
	NameEN      string  `json:"name_en"`
	StartsOn    string  `json:"start_event"`
	Amount      int     `json:"offset_amount"`
	Unit        string  `json:"offset_unit"`
	Birthday    *string `json:"birthday"`
	Responsible string  `json:"responsible"`
	TitleIT     string  `json:"title_it"`
	TitleEN     string  `json:"title_en"`
	CompletesOn *string `json:"completion_event"`
	SourceText  string  `json:"source_text"`
	SourceURL   string  `json:"source_url"`
	Enabled     *bool   `json:"enabled"`
	Version     int     `json:"version"`
}

func (b ruleInput) rule() *deadlines.Rule {
	r := &deadlines.Rule{Code: b.Code, NameIT: b.NameIT, NameEN: b.NameEN, Starts: deadlines.Event(b.StartsOn),
		Offset: deadlines.Offset{Amount: b.Amount, Unit: deadlines.Unit(b.Unit)}, Responsible: b.Responsible,
		TitleIT: b.TitleIT, TitleEN: b.TitleEN, SourceText: b.SourceText, SourceURL: b.SourceURL,
		Enabled: b.Enabled == nil || *b.Enabled, Version: b.Version}
	if b.ProgrammeID != nil {
		r.ProgrammeID = *b.ProgrammeID
	}
	if b.Birthday != nil {
		r.Birthday = deadlines.Bound(*b.Birthday)
	}
	if b.CompletesOn != nil {
		r.Completes = deadlines.Event(*b.CompletesOn)
	}
	return r
}

// listDeadlineRules returns every rule, the network's and the programmes'.
func (a *API) listDeadlineRules(w http.ResponseWriter, r *http.Request) {
	book, err := a.Cases.DeadlineRules(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	l := i18n.LangFrom(r.Context())
	out := []ruleJSON{}
	for i := range book.Rules {
		out = append(out, ruleView(&book.Rules[i], l))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// createDeadlineRule adds a rule, the network's or a programme's.
func (a *API) createDeadlineRule(w http.ResponseWriter, r *http.Request) {
	var body ruleInput
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	rule := body.rule()
	if err := a.Cases.CreateDeadlineRule(r.Context(), auth.ActorFrom(r.Context()), rule, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, ruleView(rule, i18n.LangFrom(r.Context())))
}

// queryProgramme reads the query's programme_id: 0 when absent, -1 when
// it names no programme.
func queryProgramme(r *http.Request) int64 {
	s := r.URL.Query().Get("programme_id")
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

// updateDeadlineRule saves the rule the path and the query's programme_id
// name (none: the network's) from the version the body names.
func (a *API) updateDeadlineRule(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	programme := queryProgramme(r)
	if programme < 0 {
		a.fail(w, r, errNotFound())
		return
	}
	code := r.PathValue("code")
	// A rule that does not exist, or a caller who may not edit it, is not
	// found before the body is judged.
	if old, err := a.Cases.DeadlineRule(r.Context(), actor, code, programme); err != nil {
		a.fail(w, r, err)
		return
	} else if old.Version == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body ruleInput
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	body.Code = code
	rule := body.rule()
	rule.ProgrammeID = programme
	if err := a.Cases.UpdateDeadlineRule(r.Context(), actor, rule, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	saved, err := a.Cases.DeadlineRule(r.Context(), actor, code, programme)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, ruleView(saved, i18n.LangFrom(r.Context())))
}

// clockJSON is a clock of a case: its task, its rule and its source.
type clockJSON struct {
	taskJSON
	RuleCode   string  `json:"rule_code"`
	RuleName   string  `json:"rule_name"`
	StartedAt  *string `json:"started_at"`
	Birthday   *string `json:"birthday"`
	SourceText string  `json:"source_text"`
	SourceURL  string  `json:"source_url"`
}

// eventJSON is an event recorded on a case.
type eventJSON struct {
	ID         int64  `json:"id"`
	Event      string `json:"event"`
	OccurredAt string `json:"occurred_at"`
	RecordedBy int64  `json:"recorded_by"`
	RecordedAt string `json:"recorded_at"`
}

// clocksJSON is the clocks of a case, the events recorded on it and the
// bounds of the main person's 18th birthday.
type clocksJSON struct {
	Clocks             []clockJSON `json:"clocks"`
	Events             []eventJSON `json:"events"`
	EarliestEighteenth *string     `json:"earliest_eighteenth"`
	LatestEighteenth   *string     `json:"latest_eighteenth"`
}

func clocksView(cc *casework.CaseClocks, lang string) clocksJSON {
	out := clocksJSON{Clocks: []clockJSON{}, Events: []eventJSON{}}
	for _, c := range cc.Clocks {
		j := clockJSON{taskJSON: taskView(c.TaskView), RuleCode: c.RuleCode}
		if !c.StartedAt.IsZero() {
			s := c.StartedAt.UTC().Format(time.RFC3339)
			j.StartedAt = &s
		}
		if c.Rule != nil {
			j.RuleName, j.SourceText, j.SourceURL, j.Birthday = c.Rule.Name(lang), c.Rule.SourceText, c.Rule.SourceURL,
				optionalString(string(c.Rule.Birthday))
		}
		out.Clocks = append(out.Clocks, j)
	}
	for _, e := range cc.Events {
		out.Events = append(out.Events, eventJSON{ID: e.ID, Event: string(e.Event), OccurredAt: e.OccurredAt.UTC().Format(time.RFC3339),
			RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt.UTC().Format(time.RFC3339)})
	}
	if !cc.EarliestEighteenth.IsZero() {
		e, l := cc.EarliestEighteenth.Format(time.DateOnly), cc.LatestEighteenth.Format(time.DateOnly)
		out.EarliestEighteenth, out.LatestEighteenth = &e, &l
	}
	return out
}

// listCaseClocks returns the clocks of a case.
func (a *API) listCaseClocks(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	cc, err := a.Cases.Clocks(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, clocksView(cc, i18n.LangFrom(r.Context())))
}

// eventInputJSON is the body of an event recorded on a case.
type eventInputJSON struct {
	Event      string `json:"event"`
	OccurredAt string `json:"occurred_at"`
}

// recordCaseEvent records an event on a case and answers with its clocks.
func (a *API) recordCaseEvent(w http.ResponseWriter, r *http.Request) {
	var body eventInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.EventInput{Event: deadlines.Event(strings.TrimSpace(body.Event))}
	if s := strings.TrimSpace(body.OccurredAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "occurred_at", Message: "error.field.datetime"})
		}
		in.OccurredAt = t
	}
	actor, id := auth.ActorFrom(r.Context()), pathID(r)
	if err := a.Cases.RecordEvent(r.Context(), actor, id, in, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	cc, err := a.Cases.Clocks(r.Context(), actor, id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/clocks")
	respond.JSON(w, http.StatusCreated, clocksView(cc, i18n.LangFrom(r.Context())))
}
