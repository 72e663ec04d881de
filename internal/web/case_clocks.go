package web

import (
	"net/http"

	"approdo"
	"approdo/deadlines"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// clockFieldPrefix prefixes the ids of the fields of the form that records
// an event, which shares the case page with other sections' forms.
const clockFieldPrefix = "clock-"

// clockRow is a clock as the section shows it: its task, its rule's name
// and source in the page's language, and the bound of the 18th birthday
// it counts from.
type clockRow struct {
	casework.ClockView
	RuleName string
	Bound    string
}

// clocksData is what the clocks section of a case shows.
type clocksData struct {
	*casework.CaseClocks
	Rows   []clockRow
	Form   eventForm
	Errors []formError
	Open   bool
	Saved  bool
}

// FieldError returns the message of the event form's field name, or "".
func (d clocksData) FieldError(name string) string {
	return fieldError(d.Errors, clockFieldPrefix+name)
}

// eventForm is the form to record an event, as the user filled it in.
type eventForm struct {
	Event      string
	OccurredAt string
}

// clocksState is what a render of the section carries over from a submit.
type clocksState struct {
	form   *eventForm
	errors []formError
	saved  bool
}

// showCaseClocks shows the clocks of a case.
func (h *Handler) showCaseClocks(w http.ResponseWriter, r *http.Request) {
	h.renderClocks(w, r, http.StatusOK, clocksState{saved: r.URL.Query().Has("saved")})
}

// renderClocks loads the clocks of the case named in the path and shows
// the section with status.
func (h *Handler) renderClocks(w http.ResponseWriter, r *http.Request, status int, st clocksState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	cc, err := h.Cases.Clocks(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	d := clocksData{CaseClocks: cc, Errors: st.errors, Saved: st.saved}
	for _, c := range cc.Clocks {
		row := clockRow{ClockView: c, RuleName: c.RuleCode}
		if c.Rule != nil {
			row.RuleName = c.Rule.Name(l)
			if c.Rule.Starts == deadlines.EighteenthBirthday {
				row.Bound = string(c.Rule.Birthday)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if st.form != nil {
		d.Form, d.Open = *st.form, len(st.errors) > 0
	} else {
		d.Form.OccurredAt = h.Cases.Now().In(approdo.Rome).Format(occurredLayout)
	}
	h.renderSection(w, r, status, "case_clocks", h.newPage(r, "case.section.clocks", d))
}
