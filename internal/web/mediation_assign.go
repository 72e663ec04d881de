package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// assignMediator gives a booking to the mediator chosen, and goes back to
// the requests waiting for a mediator. A mediator who does not fit, or who
// is already booked at that time, is refused with the reason beside the
// choice, and nothing is written.
func (h *Handler) assignMediator(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "booking")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	chosen := r.PostFormValue("mediator_id")
	_, err := h.Cases.AssignMediator(r.Context(), auth.ActorFrom(r.Context()), id, parseID(chosen), formVersion(r),
		auth.ClientFrom(r.Context()))
	switch c := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/mediation/requests?assigned=1", http.StatusSeeOther)
	case c == approdo.EINVALID || c == approdo.ECONFLICT:
		d := assignData{Chosen: chosen}
		d.Errors = h.formErrors(r, err)
		h.renderAssign(w, r, formStatus(err), d)
	default:
		h.fail(w, r, err)
	}
}
