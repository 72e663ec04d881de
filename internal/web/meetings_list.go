package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// meetingsData is the list of the actor's meetings.
type meetingsData struct {
	Meetings  []casework.MeetingRow
	CanCreate bool
}

// listMeetings lists the meetings the actor organises or takes part in.
func (h *Handler) listMeetings(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	list, err := h.Cases.Meetings(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "meetings", h.newPage(r, "meetings.title",
		meetingsData{Meetings: list, CanCreate: auth.Can(a, access.Create, access.Meetings)}))
}
