package access

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"approdo"
	"approdo/network"
)

// The longest name and description a role may have, in characters.
const (
	MaxRoleName        = 100
	MaxRoleDescription = 1000
)

// roleCodeFormat is the shape of a role's code: a lower-case letter, then
// lower-case letters, digits and underscores, 3 to 40 in all, like the
// built-in "social_worker".
var roleCodeFormat = regexp.MustCompile(`^[a-z][a-z0-9_]{2,39}$`)

// Normalize trims the role's texts, drops repeated permissions and field
// grants and puts them in the order of Resources, Verbs and Scopes, so that
// two equal roles compare equal.
func (r *Role) Normalize() {
	r.Code = network.Role(strings.TrimSpace(string(r.Code)))
	r.Name, r.Description = strings.TrimSpace(r.Name), strings.TrimSpace(r.Description)
	slices.SortFunc(r.Permissions, comparePermissions)
	r.Permissions = slices.Compact(r.Permissions)
	byGroup := map[FieldGroup]int{}
	var grants []FieldGrant
	for _, g := range r.FieldGrants {
		kinds := slices.Clone(g.OrgKinds)
		slices.Sort(kinds)
		kinds = slices.Compact(kinds)
		if i, ok := byGroup[g.Group]; ok {
			// A group granted twice is granted as widely as either says.
			if len(kinds) == 0 || len(grants[i].OrgKinds) == 0 {
				grants[i].OrgKinds = nil
			} else {
				merged := append(grants[i].OrgKinds, kinds...)
				slices.Sort(merged)
				grants[i].OrgKinds = slices.Compact(merged)
			}
			continue
		}
		byGroup[g.Group] = len(grants)
		grants = append(grants, FieldGrant{Group: g.Group, OrgKinds: kinds})
	}
	slices.SortFunc(grants, func(a, b FieldGrant) int {
		return cmp.Compare(slices.Index(FieldGroups, a.Group), slices.Index(FieldGroups, b.Group))
	})
	r.FieldGrants = grants
}

func comparePermissions(a, b Permission) int {
	return cmp.Or(
		cmp.Compare(slices.Index(Resources, a.Resource), slices.Index(Resources, b.Resource)),
		cmp.Compare(a.Resource, b.Resource),
		cmp.Compare(slices.Index(Verbs, a.Verb), slices.Index(Verbs, b.Verb)),
		cmp.Compare(a.Verb, b.Verb),
		cmp.Compare(slices.Index(Scopes, a.Scope), slices.Index(Scopes, b.Scope)),
		cmp.Compare(a.Scope, b.Scope),
	)
}

// Valid reports whether the permission names a known verb, resource and
// scope.
func (p Permission) Valid() bool {
	return slices.Contains(Verbs, p.Verb) && slices.Contains(Resources, p.Resource) && slices.Contains(Scopes, p.Scope)
}

// Validate checks the role: a code of the right shape, a name for a role an
// administrator added, texts of bounded length, and only known verbs,
// resources, scopes, field groups and organisation kinds. It returns an
// EINVALID error naming every field at fault, or nil.
func (r *Role) Validate() error {
	var p []approdo.FieldError
	add := func(field, msg string, args ...any) {
		p = append(p, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if r.Code == "" {
		add("code", "error.field.required")
	} else if !roleCodeFormat.MatchString(string(r.Code)) {
		add("code", "error.field.role_code_format")
	}
	if r.Name == "" && !r.Builtin {
		add("name", "error.field.required")
	} else if utf8.RuneCountInString(r.Name) > MaxRoleName {
		add("name", "error.field.too_long", MaxRoleName)
	}
	if utf8.RuneCountInString(r.Description) > MaxRoleDescription {
		add("description", "error.field.too_long", MaxRoleDescription)
	}
	for _, perm := range r.Permissions {
		if !perm.Valid() {
			add("permissions", "error.field.unknown_permission", perm.String())
			break
		}
	}
	for _, g := range r.FieldGrants {
		if !slices.Contains(FieldGroups, g.Group) {
			add("field_groups", "error.field.unknown_field_group", string(g.Group))
			break
		}
		if i := slices.IndexFunc(g.OrgKinds, func(k network.Kind) bool { return !k.Valid() }); i >= 0 {
			add("field_groups", "error.field.unknown_kind", string(g.OrgKinds[i]))
			break
		}
	}
	if len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}

// Changes returns the names of the role's descriptive fields whose values
// differ between r and b ("name", "description", "second_factor"). What the
// role may do is compared by PermissionChanges.
func (r *Role) Changes(b *Role) []string {
	var f []string
	if r.Name != b.Name {
		f = append(f, "name")
	}
	if r.Description != b.Description {
		f = append(f, "description")
	}
	if r.SecondFactor != b.SecondFactor {
		f = append(f, "second_factor")
	}
	return f
}

// PermissionChanges returns "permissions" and "field_groups" for whichever
// differs between r and b, both roles being normalised.
func (r *Role) PermissionChanges(b *Role) []string {
	var f []string
	if !slices.Equal(r.Permissions, b.Permissions) {
		f = append(f, "permissions")
	}
	if !slices.EqualFunc(r.FieldGrants, b.FieldGrants, func(x, y FieldGrant) bool {
		return x.Group == y.Group && slices.Equal(x.OrgKinds, y.OrgKinds)
	}) {
		f = append(f, "field_groups")
	}
	return f
}

// Has reports whether the role holds the permission.
func (r *Role) Has(p Permission) bool { return slices.Contains(r.Permissions, p) }

// Grant returns the role's grant of the field group g, if any.
func (r *Role) Grant(g FieldGroup) (FieldGrant, bool) {
	for _, f := range r.FieldGrants {
		if f.Group == g {
			return f, true
		}
	}
	return FieldGrant{}, false
}
