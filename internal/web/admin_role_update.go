package web

import (
	"net/http"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/network"
)

// updateRole saves a role's new permissions, field groups, second-factor
// rule, name and description; they apply at once. Invalid input shows the
// form again with its problems; an edit made from an older version shows
// the form with what was saved meanwhile and the current version, so that
// saving again applies it.
func (h *Handler) updateRole(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	code := network.Role(r.PathValue("code"))
	role := readRoleForm(r, string(code))
	err := h.Admin.UpdateRole(ctx, a, role)
	switch {
	case err == nil:
		http.Redirect(w, r, rolePath(code)+"?saved", http.StatusSeeOther)
	case admin.IsStale(err):
		current, cerr := h.Admin.Role(ctx, a, code)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form := newRoleForm(role)
		form.Version, form.Builtin = current.Version, current.Builtin
		fields := append(current.Changes(role), current.PermissionChanges(role)...)
		h.stale(r, &form.formState, fields, h.roleSaved(r, current.Role))
		h.renderRoleForm(w, r, http.StatusConflict, form)
	case approdo.ErrorCode(err) == approdo.EINVALID:
		form := newRoleForm(role)
		form.Errors = h.formErrors(r, err)
		h.renderRoleForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
