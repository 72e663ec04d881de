package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// consultationForm is the form asking for a consultation as filled in.
type consultationForm struct {
	OrganisationID string
	Question       string
}

// requestConsultation asks an ethno-clinical team for a consultation on a
// case; invalid input shows the form again with what was typed.
func (h *Handler) requestConsultation(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := consultationForm{OrganisationID: r.PostFormValue("organisation_id"), Question: r.PostFormValue("question")}
	in := casework.ConsultationInput{OrganisationID: parseID(form.OrganisationID), Question: form.Question}
	_, err := h.Cases.RequestConsultation(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		h.consultationsSaved(w, r, id)
	case approdo.EINVALID:
		h.renderConsultations(w, r, http.StatusUnprocessableEntity, consultationsState{form: &form,
			errors: h.prefixedErrors(r, err, "consultation-")})
	default:
		h.fail(w, r, err)
	}
}
