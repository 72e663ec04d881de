package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// createRole saves a new role and shows it, or shows the form again with
// its problems and everything chosen.
func (h *Handler) createRole(w http.ResponseWriter, r *http.Request) {
	role := readRoleForm(r, r.PostFormValue("code"))
	err := h.Admin.CreateRole(r.Context(), auth.ActorFrom(r.Context()), role)
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, rolePath(role.Code)+"?saved", http.StatusSeeOther)
	case approdo.EINVALID, approdo.ECONFLICT:
		form := newRoleForm(role)
		form.IsNew = true
		form.Errors = h.formErrors(r, err)
		h.renderRoleForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
