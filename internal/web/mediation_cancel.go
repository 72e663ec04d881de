package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// cancelMediation calls off a booking of a case, with a reason. A missing
// reason is asked for beside the booking; a booking done, cancelled or
// changed meanwhile is shown as it now stands, with a message and status
// 409.
func (h *Handler) cancelMediation(w http.ResponseWriter, r *http.Request) {
	id, bookingID := pathID(r, "id"), pathID(r, "booking")
	if id == 0 || bookingID == 0 {
		h.notFound(w, r)
		return
	}
	reason := r.PostFormValue("reason")
	_, err := h.Cases.CancelMediation(r.Context(), auth.ActorFrom(r.Context()), id, bookingID, reason, formVersion(r),
		auth.ClientFrom(r.Context()))
	action := bookingActionErrors{ID: bookingID, Action: "cancel", Typed: reason}
	switch approdo.ErrorCode(err) {
	case "":
		h.caseMediationSaved(w, r, id)
	case approdo.EINVALID:
		action.Errors = h.prefixedErrors(r, err, bookingFieldPrefix(bookingID, "cancel"))
		h.renderCaseMediation(w, r, http.StatusUnprocessableEntity, caseMediationState{action: action})
	case approdo.ECONFLICT:
		action.Errors = h.formErrors(r, err)
		h.renderCaseMediation(w, r, http.StatusConflict, caseMediationState{action: action})
	default:
		h.fail(w, r, err)
	}
}
