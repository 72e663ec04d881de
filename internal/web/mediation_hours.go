package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/internal/auth"
)

// recordBookingHours closes a booking as its mediator with the minutes
// actually worked. Minutes that are not a number are sent as none, which
// the service refuses naming the field.
func (h *Handler) recordBookingHours(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "booking")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	typed := strings.TrimSpace(r.PostFormValue("worked_minutes"))
	minutes, _ := strconv.Atoi(typed)
	_, err := h.Cases.RecordHours(r.Context(), auth.ActorFrom(r.Context()), id, minutes, formVersion(r), auth.ClientFrom(r.Context()))
	h.bookingActed(w, r, err, id, "hours", typed)
}
