package web

import (
	"net/http"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
)

// updateUser saves an edited user: profile, organisation, areas and roles.
// Invalid input shows the form again with its problems; an edit made from
// an older version shows the form with what was saved meanwhile and the
// current version, so that saving again applies it.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	id := pathID(r, "id")
	form, u := readUserForm(r, id)
	err := h.Admin.UpdateUser(ctx, a, u)
	form.Username = u.Username
	switch {
	case err == nil:
		http.Redirect(w, r, userPath(id)+"?saved", http.StatusSeeOther)
	case admin.IsStale(err):
		current, cerr := h.Admin.User(ctx, a, id)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		fields := current.Changes(u)
		if current.RolesChanged(u) {
			fields = append(fields, "roles")
		}
		h.stale(r, &form.formState, fields, h.userSaved(r, &current.User))
		h.renderUserForm(w, r, http.StatusConflict, form)
	case approdo.ErrorCode(err) == approdo.EINVALID:
		form.Errors = h.formErrors(r, err)
		h.renderUserForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
