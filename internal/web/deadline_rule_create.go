package web

import (
	"net/http"

	"approdo/deadlines"
	"approdo/internal/auth"
)

// createDeadlineRule adds a rule, to the network or to a programme.
func (h *Handler) createDeadlineRule(w http.ResponseWriter, r *http.Request) {
	h.saveDeadlineRule(w, r, "", func(rule *deadlines.Rule) error {
		return h.Cases.CreateDeadlineRule(r.Context(), auth.ActorFrom(r.Context()), rule, auth.ClientFrom(r.Context()))
	})
}
