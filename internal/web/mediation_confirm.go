package web

import (
	"net/http"

	"approdo/internal/auth"
)

// confirmBooking confirms a booking as its mediator; the requester is told.
func (h *Handler) confirmBooking(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "booking")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	_, err := h.Cases.ConfirmBooking(r.Context(), auth.ActorFrom(r.Context()), id, formVersion(r), auth.ClientFrom(r.Context()))
	h.bookingActed(w, r, err, id, "confirm", "")
}
