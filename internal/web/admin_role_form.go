package web

import (
	"net/http"
	"net/url"
	"strings"

	"approdo/access"
	"approdo/network"
)

// roleForm is the form of a new or edited role, as typed: its permissions
// as a grid of verbs and scopes per resource, its sensitive field groups
// with the kinds of organisation they are limited to, and whether its
// holders need a second factor.
type roleForm struct {
	formState
	IsNew        bool
	Builtin      bool
	Code         string
	Label        string // the role's name as pages show it
	Version      int
	Name         string
	Description  string
	SecondFactor bool
	Permissions  map[string]bool // "verb:resource:scope"
	Groups       map[access.FieldGroup]bool
	GroupKinds   map[access.FieldGroup]map[network.Kind]bool

	Resources      []access.Resource
	Verbs          []access.Verb
	Scopes         []access.Scope
	FieldGroups    []access.FieldGroup
	Kinds          []network.Kind
	MaxName        int
	MaxDescription int
}

// Has reports whether the form grants verb v on resource r within scope s.
func (f roleForm) Has(v access.Verb, r access.Resource, s access.Scope) bool {
	return f.Permissions[access.Permission{Verb: v, Resource: r, Scope: s}.String()]
}

// Touches reports whether the form grants anything on resource r, so that
// its section opens.
func (f roleForm) Touches(r access.Resource) bool {
	for p, ok := range f.Permissions {
		if ok && strings.Contains(p, ":"+string(r)+":") {
			return true
		}
	}
	return false
}

// GroupKind reports whether the form limits field group g to organisations
// of kind k.
func (f roleForm) GroupKind(g access.FieldGroup, k network.Kind) bool { return f.GroupKinds[g][k] }

func newRoleForm(r *access.Role) roleForm {
	f := roleForm{IsNew: r.Version == 0, Builtin: r.Builtin, Code: string(r.Code), Version: r.Version, Name: r.Name,
		Description: r.Description, SecondFactor: r.SecondFactor, Permissions: map[string]bool{},
		Groups: map[access.FieldGroup]bool{}, GroupKinds: map[access.FieldGroup]map[network.Kind]bool{}}
	for _, p := range r.Permissions {
		f.Permissions[p.String()] = true
	}
	for _, g := range r.FieldGrants {
		f.Groups[g.Group] = true
		f.GroupKinds[g.Group] = map[network.Kind]bool{}
		for _, k := range g.OrgKinds {
			f.GroupKinds[g.Group][k] = true
		}
	}
	return f
}

// readRoleForm reads the posted form into the role to save. The form to
// show again is made from the role, which holds everything typed.
func readRoleForm(r *http.Request, code string) *access.Role {
	role := &access.Role{Code: network.Role(code), Version: formVersion(r), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), SecondFactor: r.PostFormValue("second_factor") != ""}
	for _, v := range r.PostForm["permissions"] {
		parts := strings.SplitN(v, ":", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		role.Permissions = append(role.Permissions, access.Permission{Verb: access.Verb(parts[0]),
			Resource: access.Resource(parts[1]), Scope: access.Scope(parts[2])})
	}
	for _, g := range r.PostForm["field_groups"] {
		grant := access.FieldGrant{Group: access.FieldGroup(g)}
		for _, k := range r.PostForm["kinds."+g] {
			grant.OrgKinds = append(grant.OrgKinds, network.Kind(k))
		}
		role.FieldGrants = append(role.FieldGrants, grant)
	}
	return role
}

// renderRoleForm shows the role form with status.
func (h *Handler) renderRoleForm(w http.ResponseWriter, r *http.Request, status int, f roleForm) {
	f.Resources, f.Verbs, f.Scopes, f.FieldGroups, f.Kinds = access.Resources, access.Verbs, access.Scopes, access.FieldGroups, network.Kinds
	f.MaxName, f.MaxDescription = access.MaxRoleName, access.MaxRoleDescription
	if f.Label == "" {
		f.Label = roleLabel(h.Catalogue, lang(r.Context()), &access.Role{Code: network.Role(f.Code), Builtin: f.Builtin, Name: f.Name})
	}
	title := "admin.roles.new"
	if !f.IsNew {
		title = "admin.roles.edit"
	}
	h.render(w, r, status, "admin_role_form", h.newPage(r, title, f))
}

// roleSaved writes a saved value of a role's field for a conflict note.
func (h *Handler) roleSaved(r *http.Request, role *access.Role) func(string) string {
	l := lang(r.Context())
	return func(field string) string {
		var parts []string
		switch field {
		case "name":
			return role.Name
		case "description":
			return role.Description
		case "second_factor":
			if role.SecondFactor {
				return h.Catalogue.T(l, "admin.yes")
			}
			return h.Catalogue.T(l, "admin.no")
		case "permissions":
			for _, p := range role.Permissions {
				parts = append(parts, h.permissionText(l, p))
			}
		case "field_groups":
			for _, g := range role.FieldGrants {
				parts = append(parts, h.Catalogue.T(l, "access.field_group."+string(g.Group)))
			}
		}
		return strings.Join(parts, "; ")
	}
}

// permissionText writes a permission in words: "read · user · network".
func (h *Handler) permissionText(l string, p access.Permission) string {
	return h.Catalogue.T(l, "access.verb."+string(p.Verb)) + " · " + h.Catalogue.T(l, "access.resource."+string(p.Resource)) +
		" · " + h.Catalogue.T(l, "access.scope."+string(p.Scope))
}

func rolePath(code network.Role) string { return "/admin/roles/" + url.PathEscape(string(code)) }
