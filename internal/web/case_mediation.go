package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/mediation"
)

// caseMediationData is what the mediation section of a case shows: its
// bookings, open ones first, the form to ask for a mediator, and the forms
// to call a booking off.
type caseMediationData struct {
	*casework.CaseMediation
	Rows      []bookingRow
	Form      mediationForm
	Errors    []formError
	Action    bookingActionErrors
	Languages []choice
	Purposes  []mediation.Purpose
	Genders   []mediation.Gender
	MaxPlace  int
	MaxNotes  int
	// Open shows the form to ask for a mediator unfolded, after a failed
	// submit.
	Open  bool
	Saved bool
}

// FieldError returns the message of the request form's field name, or "".
func (d caseMediationData) FieldError(name string) string {
	return fieldError(d.Errors, mediationFieldPrefix+name)
}

// caseMediationState is what a render of the section carries over from a
// submit.
type caseMediationState struct {
	form   *mediationForm
	errors []formError
	action bookingActionErrors
	saved  bool
}

// showCaseMediation shows the mediation section of a case.
func (h *Handler) showCaseMediation(w http.ResponseWriter, r *http.Request) {
	h.renderCaseMediation(w, r, http.StatusOK, caseMediationState{saved: r.URL.Query().Has("saved")})
}

// renderCaseMediation loads the bookings of the case named in the path and
// shows the section with status, as a part of the case page to htmx and as
// a page of its own otherwise.
func (h *Handler) renderCaseMediation(w http.ResponseWriter, r *http.Request, status int, st caseMediationState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	cm, err := h.Cases.CaseBookings(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := caseMediationData{CaseMediation: cm, Rows: h.bookingRows(r, cm.Bookings), Errors: st.errors, Action: st.action,
		Saved: st.saved, Purposes: mediation.Purposes, Genders: mediation.Genders, MaxPlace: mediation.MaxPlace,
		MaxNotes: mediation.MaxNotes}
	if cm.CanRequest {
		d.Languages = languageChoices(lang(r.Context()))
	}
	if st.form != nil {
		d.Form, d.Open = *st.form, len(st.errors) > 0
	} else {
		d.Form = newMediationForm()
		d.Form.Date = defaultRequestDay(h.Cases.Now())
	}
	h.renderSection(w, r, status, "case_mediation", h.newPage(r, "case.section.mediation", d))
}

// caseMediationSaved answers a change of the bookings of case id that
// succeeded: the section to htmx, a redirect to it otherwise.
func (h *Handler) caseMediationSaved(w http.ResponseWriter, r *http.Request, id int64) {
	if r.Header.Get("HX-Request") == "true" {
		h.renderCaseMediation(w, r, http.StatusOK, caseMediationState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/mediation?saved=1", http.StatusSeeOther)
}
