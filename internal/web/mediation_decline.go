package web

import (
	"net/http"

	"approdo/internal/auth"
)

// declineBooking declines a booking as its mediator, with a reason: it goes
// back to the requests waiting for a mediator, and the requester is told.
func (h *Handler) declineBooking(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "booking")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	reason := r.PostFormValue("reason")
	_, err := h.Cases.DeclineBooking(r.Context(), auth.ActorFrom(r.Context()), id, reason, formVersion(r), auth.ClientFrom(r.Context()))
	h.bookingActed(w, r, err, id, "decline", reason)
}
