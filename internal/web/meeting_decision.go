package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// decisionForm is the form of a decision as a participant filled it in.
type decisionForm struct {
	CaseID        string
	Text          string
	ResponsibleID string
	DueAt         string
}

// addDecision records a decision of a meeting, which becomes a task on its
// case; a refusal shows the page again with what was typed.
func (h *Handler) addDecision(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "meeting")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := decisionForm{CaseID: r.PostFormValue("case_id"), Text: r.PostFormValue("text"),
		ResponsibleID: r.PostFormValue("responsible_id"), DueAt: r.PostFormValue("due_at")}
	in := casework.DecisionInput{CaseID: parseID(form.CaseID), Text: form.Text, ResponsibleID: parseID(form.ResponsibleID)}
	in.DueAt = readDateTime(form.DueAt, "due_at", &in.Problems)
	_, err := h.Cases.AddDecision(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/meetings/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderMeeting(w, r, http.StatusUnprocessableEntity, meetingState{decision: form, errors: h.prefixedErrors(r, err, "decision-")})
	default:
		h.fail(w, r, err)
	}
}
