package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// requestsData is what the list of requests waiting for a mediator shows.
type requestsData struct {
	Rows     []bookingRow
	Assigned bool
	// CanReadRegistry links the registry of mediators.
	CanReadRegistry bool
}

// listMediationRequests shows the requests for a mediator that wait for one
// and that the actor may assign, soonest first.
func (h *Handler) listMediationRequests(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	list, err := h.Cases.Bookings(r.Context(), a, casework.BookingsToAssign, false, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := requestsData{Rows: h.bookingRows(r, list), Assigned: r.URL.Query().Has("assigned"),
		CanReadRegistry: auth.Can(a, access.List, access.Mediators)}
	h.render(w, r, http.StatusOK, "mediation_requests", h.newPage(r, "mediation.requests_title", d))
}
