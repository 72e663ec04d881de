package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editDeadlineRule shows the form of rule {code} of the network, or, with
// "programme", of that programme: its own override, or the network's rule
// as the start of one.
func (h *Handler) editDeadlineRule(w http.ResponseWriter, r *http.Request) {
	programme := parseID(r.URL.Query().Get("programme"))
	if programme < 0 {
		h.notFound(w, r)
		return
	}
	rule, err := h.Cases.DeadlineRule(r.Context(), auth.ActorFrom(r.Context()), r.PathValue("code"), programme)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rule.ProgrammeID = programme
	h.renderDeadlineRuleForm(w, r, http.StatusOK, deadlineRuleFormOf(rule))
}
