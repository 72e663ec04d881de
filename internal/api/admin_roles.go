package api

import (
	"context"
	"net/http"
	"strconv"

	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/network"
)

// roleJSON is a role as data: what it lets its holders do, the sensitive
// field groups it grants, whether it needs a second factor, and how many
// users hold it (schema Role). It is also the body that creates or updates
// a role.
type roleJSON struct {
	Code         string           `json:"code"`
	Label        string           `json:"label"`
	Name         string           `json:"name"`
	Description  string           `json:"description"`
	Builtin      bool             `json:"builtin"`
	SecondFactor bool             `json:"second_factor"`
	Permissions  []permissionJSON `json:"permissions"`
	FieldGroups  []fieldGrantJSON `json:"field_groups"`
	Holders      int              `json:"holders"`
	Version      int              `json:"version"`
}

// permissionJSON lets a role take a verb on a resource within a scope.
type permissionJSON struct {
	Verb     string `json:"verb"`
	Resource string `json:"resource"`
	Scope    string `json:"scope"`
}

// fieldGrantJSON grants a sensitive field group, only in organisations of
// the given kinds when there are some.
type fieldGrantJSON struct {
	Group    string   `json:"group"`
	OrgKinds []string `json:"org_kinds"`
}

// roleView is the role as the API shows it, labelled in the request's
// language.
func (a *API) roleView(r *http.Request, role admin.RoleRecord) roleJSON {
	l := i18n.LangFrom(r.Context())
	v := roleJSON{Code: string(role.Code), Name: role.Name, Label: role.Name, Description: role.Description,
		Builtin: role.Builtin, SecondFactor: role.SecondFactor, Holders: role.Holders, Version: role.Version,
		Permissions: []permissionJSON{}, FieldGroups: []fieldGrantJSON{}}
	if role.Builtin && a.Catalogue.Has(l, "role."+string(role.Code)) {
		v.Label = a.Catalogue.T(l, "role."+string(role.Code))
	}
	for _, p := range role.Permissions {
		v.Permissions = append(v.Permissions, permissionJSON{Verb: string(p.Verb), Resource: string(p.Resource), Scope: string(p.Scope)})
	}
	for _, g := range role.FieldGrants {
		fg := fieldGrantJSON{Group: string(g.Group), OrgKinds: []string{}}
		for _, k := range g.OrgKinds {
			fg.OrgKinds = append(fg.OrgKinds, string(k))
		}
		v.FieldGroups = append(v.FieldGroups, fg)
	}
	return v
}

// role returns the role of a body, under code: on an update the code comes
// from the path, and label, builtin and holders are ignored, so that a role
// read from the API can be sent back (schema RoleInput).
func (in roleJSON) role(code string) *access.Role {
	r := &access.Role{Code: network.Role(code), Name: in.Name, Description: in.Description,
		SecondFactor: in.SecondFactor, Version: in.Version}
	for _, p := range in.Permissions {
		r.Permissions = append(r.Permissions, access.Permission{Verb: access.Verb(p.Verb),
			Resource: access.Resource(p.Resource), Scope: access.Scope(p.Scope)})
	}
	for _, g := range in.FieldGroups {
		grant := access.FieldGrant{Group: access.FieldGroup(g.Group)}
		for _, k := range g.OrgKinds {
			grant.OrgKinds = append(grant.OrgKinds, network.Kind(k))
		}
		r.FieldGrants = append(r.FieldGrants, grant)
	}
	return r
}

// listRoles returns every role with its permissions, built-in ones first.
func (a *API) listRoles(w http.ResponseWriter, r *http.Request) {
	roles, err := a.Admin.Roles(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]roleJSON, 0, len(roles))
	for _, role := range roles {
		out = append(out, a.roleView(r, role))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// createRole creates a role; it applies at once.
func (a *API) createRole(w http.ResponseWriter, r *http.Request) {
	var in roleJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	a.saveRole(w, r, in.role(in.Code), http.StatusCreated, a.Admin.CreateRole)
}

// updateRole changes a role from the version the body names; the change
// applies at once.
func (a *API) updateRole(w http.ResponseWriter, r *http.Request) {
	var in roleJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	a.saveRole(w, r, in.role(r.PathValue("code")), http.StatusOK, a.Admin.UpdateRole)
}

// saveRole saves role with save and answers with the role as stored.
func (a *API) saveRole(w http.ResponseWriter, r *http.Request, role *access.Role, status int,
	save func(context.Context, *auth.Actor, *access.Role) error) {
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	if err := save(ctx, actor, role); err != nil {
		a.fail(w, r, err)
		return
	}
	saved, err := a.Admin.Role(ctx, actor, role.Code)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, status, a.roleView(r, *saved))
}

// deleteRole removes a role an administrator added that nobody holds, from
// the version in the query ("?version=N").
func (a *API) deleteRole(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	err := a.Admin.DeleteRole(r.Context(), auth.ActorFrom(r.Context()), network.Role(r.PathValue("code")), version)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
