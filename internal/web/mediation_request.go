package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// requestMediation asks for a mediator for an appointment of a case. htmx
// gets the section back with the booking in it; a plain form is sent back
// to the section. Invalid input shows the form again with what was typed
// and a message on each field.
func (h *Handler) requestMediation(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := readMediationForm(r)
	_, err := h.Cases.RequestMediation(r.Context(), auth.ActorFrom(r.Context()), id, form.request(), auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		h.caseMediationSaved(w, r, id)
	case approdo.EINVALID:
		h.renderCaseMediation(w, r, http.StatusUnprocessableEntity, caseMediationState{form: &form,
			errors: h.prefixedErrors(r, err, mediationFieldPrefix)})
	default:
		h.fail(w, r, err)
	}
}
