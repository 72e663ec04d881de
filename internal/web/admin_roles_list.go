package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
)

// rolesData is what the roles' page shows.
type rolesData struct {
	Roles   []roleRow
	CanAdd  bool
	Deleted string // the code of a role just removed
}

// roleRow is one role in the list, with its label.
type roleRow struct {
	admin.RoleRecord
	Label string
}

// listRoles shows every role, built-in ones first, with how many users hold
// each and how many permissions it grants.
func (h *Handler) listRoles(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	roles, err := h.Admin.Roles(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := rolesData{CanAdd: auth.Can(a, access.Create, access.Roles), Deleted: r.URL.Query().Get("deleted")}
	l := lang(ctx)
	for _, role := range roles {
		data.Roles = append(data.Roles, roleRow{RoleRecord: role, Label: roleLabel(h.Catalogue, l, role.Role)})
	}
	h.render(w, r, http.StatusOK, "admin_roles", h.newPage(r, "admin.roles.title", data))
}
