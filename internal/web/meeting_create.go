package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// createMeeting records a new meeting and shows it; invalid input shows
// the form again with what was typed and a message on each field.
func (h *Handler) createMeeting(w http.ResponseWriter, r *http.Request) {
	form := readMeetingForm(r)
	m, err := h.Cases.CreateMeeting(r.Context(), auth.ActorFrom(r.Context()), form.input(), auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/meetings/"+strconv.FormatInt(m.ID, 10)+"?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderMeetingForm(w, r, http.StatusUnprocessableEntity, form, h.formErrors(r, err))
	default:
		h.fail(w, r, err)
	}
}
