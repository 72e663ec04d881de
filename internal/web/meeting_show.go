package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// meetingData is what the page of a meeting shows: the meeting as the
// reader sees it, and the forms of the minutes and of a decision as they
// were filled in.
type meetingData struct {
	*casework.MeetingView
	MinutesForm  minutesForm
	DecisionForm decisionForm
	Errors       []formError
	Saved        bool
}

// FieldError returns the message of field name, or "".
func (d meetingData) FieldError(name string) string { return fieldError(d.Errors, name) }

// meetingState is what a render of the page carries over from a submit.
type meetingState struct {
	minutes  minutesForm
	decision decisionForm
	errors   []formError
	saved    bool
}

// showMeeting shows a meeting to its organiser and participants.
func (h *Handler) showMeeting(w http.ResponseWriter, r *http.Request) {
	h.renderMeeting(w, r, http.StatusOK, meetingState{saved: r.URL.Query().Has("saved")})
}

// renderMeeting loads the meeting named in the path and shows it with
// status.
func (h *Handler) renderMeeting(w http.ResponseWriter, r *http.Request, status int, st meetingState) {
	id := pathID(r, "meeting")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	v, err := h.Cases.Meeting(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "meeting", h.newPage(r, "meetings.meeting",
		meetingData{MeetingView: v, MinutesForm: st.minutes, DecisionForm: st.decision, Errors: st.errors, Saved: st.saved}))
}
