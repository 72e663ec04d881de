package web

import "net/http"

// newMeeting shows the empty form of a new meeting.
func (h *Handler) newMeeting(w http.ResponseWriter, r *http.Request) {
	h.renderMeetingForm(w, r, http.StatusOK, meetingForm{Kind: "multidisciplinary"}, nil)
}
