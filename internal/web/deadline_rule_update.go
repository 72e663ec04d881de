package web

import (
	"net/http"

	"approdo/deadlines"
	"approdo/internal/auth"
)

// updateDeadlineRule saves an edited rule (disabling it with its "enabled"
// box); a programme's first edit of a network rule creates its override.
func (h *Handler) updateDeadlineRule(w http.ResponseWriter, r *http.Request) {
	h.saveDeadlineRule(w, r, r.PathValue("code"), func(rule *deadlines.Rule) error {
		a := auth.ActorFrom(r.Context())
		if rule.ProgrammeID != 0 && rule.Version == 0 {
			return h.Cases.CreateDeadlineRule(r.Context(), a, rule, auth.ClientFrom(r.Context()))
		}
		return h.Cases.UpdateDeadlineRule(r.Context(), a, rule, auth.ClientFrom(r.Context()))
	})
}
