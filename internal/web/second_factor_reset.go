package web

import (
	"net/http"

	"approdo/internal/auth"
)

// resetSecondFactor removes a user's second factor and recovery codes and
// ends their sessions, for an administrator whose user lost their device.
func (h *Handler) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	if err := h.Sessions.ResetSecondFactor(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context())); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, userPath(id)+"/second-factor/reset?done=1", http.StatusSeeOther)
}
