package web

import (
	"net/http"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
)

// editUser shows the form of an existing user, with the version it was made
// from, to an administrator who may manage them.
func (h *Handler) editUser(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	u, err := h.Admin.User(r.Context(), a, pathID(r, "id"))
	if err == nil && !admin.MayManage(a, &u.User) {
		err = approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderUserForm(w, r, http.StatusOK, newUserForm(&u.User))
}
