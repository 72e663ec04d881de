package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/network"
)

// editRole shows the form of an existing role, with the version it was
// made from.
func (h *Handler) editRole(w http.ResponseWriter, r *http.Request) {
	role, err := h.Admin.Role(r.Context(), auth.ActorFrom(r.Context()), network.Role(r.PathValue("code")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderRoleForm(w, r, http.StatusOK, newRoleForm(role.Role))
}
