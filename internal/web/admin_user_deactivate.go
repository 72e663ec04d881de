package web

import (
	"net/http"

	"approdo/internal/auth"
)

// deactivateUser deactivates a user, which ends their sessions at once, and
// shows their page again.
func (h *Handler) deactivateUser(w http.ResponseWriter, r *http.Request) {
	h.setUserActive(w, r, false)
}

// setUserActive deactivates or reactivates the user of the path, from the
// version the page showed.
func (h *Handler) setUserActive(w http.ResponseWriter, r *http.Request, active bool) {
	id := pathID(r, "id")
	_, err := h.Admin.SetUserActive(r.Context(), auth.ActorFrom(r.Context()), id, formVersion(r), active)
	if err != nil {
		h.userActionFailed(w, r, id, err)
		return
	}
	http.Redirect(w, r, userPath(id)+"?saved", http.StatusSeeOther)
}
