package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// minutesForm is the form of minutes as a participant filled it in.
type minutesForm struct {
	CaseID  string
	Minutes string
}

// recordMinutes writes the minutes of a meeting, general or of a case on
// its agenda; a refusal shows the page again with the text typed.
func (h *Handler) recordMinutes(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "meeting")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := minutesForm{CaseID: r.PostFormValue("case_id"), Minutes: r.PostFormValue("minutes")}
	in := casework.MinutesInput{CaseID: parseID(form.CaseID), Minutes: form.Minutes}
	err := h.Cases.RecordMinutes(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/meetings/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderMeeting(w, r, http.StatusUnprocessableEntity, meetingState{minutes: form, errors: h.prefixedErrors(r, err, "minutes-")})
	default:
		h.fail(w, r, err)
	}
}
