package web

import (
	"net/http"
	"slices"

	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/network"
)

// roleData is what a role's page shows: the role, its permissions as a
// matrix of resources and verbs with the scope in each cell, and its
// sensitive field groups.
type roleData struct {
	Role      *admin.RoleRecord
	Label     string
	Verbs     []access.Verb // the verbs the role uses, in order
	Rows      []permissionRow
	CanEdit   bool
	CanDelete bool
	Saved     bool
	Notice    string
}

// permissionRow is one resource of the matrix: for each verb of the page,
// the scopes within which the role may take it.
type permissionRow struct {
	Resource access.Resource
	Cells    [][]access.Scope
}

// showRole shows a role as a readable matrix of what it allows.
func (h *Handler) showRole(w http.ResponseWriter, r *http.Request) {
	h.renderRole(w, r, http.StatusOK, "")
}

// renderRole shows the role of the path with status and, when not empty, a
// notice of what went wrong.
func (h *Handler) renderRole(w http.ResponseWriter, r *http.Request, status int, notice string) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	role, err := h.Admin.Role(ctx, a, network.Role(r.PathValue("code")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := roleData{Role: role, Label: roleLabel(h.Catalogue, lang(ctx), role.Role), Saved: r.URL.Query().Has("saved"),
		CanEdit: auth.Can(a, access.Update, access.Roles), Notice: notice,
		CanDelete: !role.Builtin && role.Holders == 0 && auth.Can(a, access.Delete, access.Roles)}
	for _, v := range access.Verbs {
		if slices.ContainsFunc(role.Permissions, func(p access.Permission) bool { return p.Verb == v }) {
			data.Verbs = append(data.Verbs, v)
		}
	}
	for _, res := range access.Resources {
		row := permissionRow{Resource: res, Cells: make([][]access.Scope, len(data.Verbs))}
		used := false
		for i, v := range data.Verbs {
			for _, s := range access.Scopes {
				if role.Has(access.Permission{Verb: v, Resource: res, Scope: s}) {
					row.Cells[i] = append(row.Cells[i], s)
					used = true
				}
			}
		}
		if used {
			data.Rows = append(data.Rows, row)
		}
	}
	h.render(w, r, status, "admin_role", h.newPage(r, "admin.roles.show", data))
}
