package web

import (
	"net/http"

	"approdo/access"
)

// newRole shows the form of a new role, which starts with nothing granted.
func (h *Handler) newRole(w http.ResponseWriter, r *http.Request) {
	h.renderRoleForm(w, r, http.StatusOK, newRoleForm(&access.Role{}))
}
