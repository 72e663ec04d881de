package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// assignData is what the page that assigns a mediator to a booking shows:
// the booking's logistics and the mediators who fit it and are free then.
type assignData struct {
	formState
	Booking    bookingRow
	Candidates []candidateRow
	// Chosen is the mediator the form chose, to keep after a failed
	// submit.
	Chosen string
}

// candidateRow is a mediator who may be assigned, as the page shows them.
type candidateRow struct {
	casework.MediatorCandidate
	Value     string
	Languages string
}

// showAssign shows the mediators who fit a booking and are free then, the
// best suited first, to choose one from.
func (h *Handler) showAssign(w http.ResponseWriter, r *http.Request) {
	h.renderAssign(w, r, http.StatusOK, assignData{})
}

// renderAssign loads the booking named in the path with its candidates and
// shows the page with status and what d carries over from a submit.
func (h *Handler) renderAssign(w http.ResponseWriter, r *http.Request, status int, d assignData) {
	id := pathID(r, "booking")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	b, candidates, err := h.Cases.MediatorCandidates(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	d.Booking = h.bookingRow(r, *b)
	for _, c := range candidates {
		d.Candidates = append(d.Candidates, candidateRow{MediatorCandidate: c, Value: strconv.FormatInt(c.ID, 10),
			Languages: languageNames(c.Languages, l)})
	}
	h.render(w, r, status, "mediation_assign", h.newPage(r, "mediation.assign_title", d))
}
