package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// mineData is what a mediator's bookings page shows: each booking's
// logistics, never its case, with the forms to confirm, decline and record
// the minutes worked.
type mineData struct {
	Rows   []bookingRow
	Action bookingActionErrors
	Saved  bool
	// ProfileID is the mediator's profile in the registry, 0 when they have
	// none yet.
	ProfileID int64
}

// listMyBookings shows the bookings given to the signed-in mediator: those
// to come and those of the last week, soonest first.
func (h *Handler) listMyBookings(w http.ResponseWriter, r *http.Request) {
	h.renderMyBookings(w, r, http.StatusOK, bookingActionErrors{})
}

// renderMyBookings shows the mediator's bookings with status and the
// problems of the form that acted on one of them.
func (h *Handler) renderMyBookings(w http.ResponseWriter, r *http.Request, status int, action bookingActionErrors) {
	a := auth.ActorFrom(r.Context())
	list, err := h.Cases.Bookings(r.Context(), a, casework.BookingsMine, false, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := mineData{Rows: h.bookingRows(r, list), Action: action, Saved: r.URL.Query().Has("saved") && status == http.StatusOK}
	switch p, err := h.Cases.MyMediatorProfile(r.Context(), a); approdo.ErrorCode(err) {
	case "":
		d.ProfileID = p.ID
	case approdo.ENOTFOUND:
	default:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "bookings_mine", h.newPage(r, "mediation.mine_title", d))
}

// bookingActed answers a mediator's step on a booking: back to their
// bookings when it succeeded, or their bookings again with the problem
// beside the booking.
func (h *Handler) bookingActed(w http.ResponseWriter, r *http.Request, err error, id int64, action, typed string) {
	e := bookingActionErrors{ID: id, Action: action, Typed: typed}
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/mediation/mine?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		e.Errors = h.prefixedErrors(r, err, bookingFieldPrefix(id, action))
		h.renderMyBookings(w, r, http.StatusUnprocessableEntity, e)
	case approdo.ECONFLICT:
		e.Errors = h.formErrors(r, err)
		h.renderMyBookings(w, r, http.StatusConflict, e)
	default:
		h.fail(w, r, err)
	}
}
