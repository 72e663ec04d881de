package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// consultationsData is what the consultations section of a case shows: the
// consultations, with their health texts to those who see them, and the
// forms to ask for one and to answer one.
type consultationsData struct {
	*casework.CaseConsultations
	Form         consultationForm
	Errors       []formError
	AnswerID     int64
	Answer       answerForm
	AnswerErrors []formError
	Open         bool
	Saved        bool
}

// FieldError returns the message of the request form's field name, or "".
func (d consultationsData) FieldError(name string) string {
	return fieldError(d.Errors, "consultation-"+name)
}

// AnswerError returns the message of field name of the forms answering
// consultation id, or "".
func (d consultationsData) AnswerError(id int64, name string) string {
	if id != d.AnswerID {
		return ""
	}
	return fieldError(d.AnswerErrors, answerFieldPrefix(id)+name)
}

// answerFieldPrefix prefixes the ids of the fields of the forms answering
// consultation id.
func answerFieldPrefix(id int64) string { return "consultation-" + strconv.FormatInt(id, 10) + "-" }

// consultationsState is what a render of the section carries over from a
// submit.
type consultationsState struct {
	form         *consultationForm
	errors       []formError
	answerID     int64
	answer       answerForm
	answerErrors []formError
	saved        bool
}

// showCaseConsultations shows the ethno-clinical consultations of a case.
func (h *Handler) showCaseConsultations(w http.ResponseWriter, r *http.Request) {
	h.renderConsultations(w, r, http.StatusOK, consultationsState{saved: r.URL.Query().Has("saved")})
}

// renderConsultations loads the consultations of the case named in the
// path and shows the section with status.
func (h *Handler) renderConsultations(w http.ResponseWriter, r *http.Request, status int, st consultationsState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	cc, err := h.Cases.Consultations(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := consultationsData{CaseConsultations: cc, Errors: st.errors, AnswerID: st.answerID, Answer: st.answer,
		AnswerErrors: st.answerErrors, Saved: st.saved}
	if st.form != nil {
		d.Form, d.Open = *st.form, len(st.errors) > 0
	} else {
		for _, o := range cc.Teams {
			if o.Code == "ETNOCLINICA" || len(cc.Teams) == 1 {
				d.Form.OrganisationID = strconv.FormatInt(o.ID, 10)
			}
		}
	}
	h.renderSection(w, r, status, "case_consultations", h.newPage(r, "case.section.consultations", d))
}

// consultationsSaved answers a change that succeeded: the section to htmx,
// a redirect to it otherwise.
func (h *Handler) consultationsSaved(w http.ResponseWriter, r *http.Request, id int64) {
	if r.Header.Get("HX-Request") == "true" {
		h.renderConsultations(w, r, http.StatusOK, consultationsState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/consultations?saved=1", http.StatusSeeOther)
}
