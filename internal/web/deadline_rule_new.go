package web

import (
	"net/http"

	"approdo/deadlines"
)

// newDeadlineRule shows the empty form of a rule.
func (h *Handler) newDeadlineRule(w http.ResponseWriter, r *http.Request) {
	h.renderDeadlineRuleForm(w, r, http.StatusOK, deadlineRuleFormOf(&deadlines.Rule{Enabled: true,
		Offset: deadlines.Offset{Unit: deadlines.Days}, Responsible: deadlines.CaseWorker}))
}
