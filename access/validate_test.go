package access_test

import (
	"testing"

	"approdo"
	"approdo/access"
	"approdo/network"
)

func TestRolesNameOnlyKnownThings(t *testing.T) {
	good := access.Permission{Verb: access.Read, Resource: access.Users, Scope: access.Own}
	for _, c := range []struct {
		name  string
		role  access.Role
		field string
	}{
		{"fine", access.Role{Code: "visitor", Name: "V", Permissions: []access.Permission{good}}, ""},
		{"built in without a name", access.Role{Code: "reporter", Builtin: true}, ""},
		{"custom without a name", access.Role{Code: "visitor"}, "name"},
		{"short code", access.Role{Code: "ab", Name: "V"}, "code"},
		{"capital code", access.Role{Code: "Visitor", Name: "V"}, "code"},
		{"unknown verb", access.Role{Code: "visitor", Name: "V", Permissions: []access.Permission{{Verb: "fly", Resource: access.Users, Scope: access.Own}}}, "permissions"},
		{"unknown resource", access.Role{Code: "visitor", Name: "V", Permissions: []access.Permission{{Verb: access.Read, Resource: "moon", Scope: access.Own}}}, "permissions"},
		{"unknown scope", access.Role{Code: "visitor", Name: "V", Permissions: []access.Permission{{Verb: access.Read, Resource: access.Users, Scope: "galaxy"}}}, "permissions"},
		{"unknown group", access.Role{Code: "visitor", Name: "V", FieldGrants: []access.FieldGrant{{Group: "diary"}}}, "field_groups"},
		{"unknown kind", access.Role{Code: "visitor", Name: "V", FieldGrants: []access.FieldGrant{{Group: access.Health, OrgKinds: []network.Kind{"spaceport"}}}}, "field_groups"},
	} {
		c.role.Normalize()
		err := c.role.Validate()
		var got string
		if fs := approdo.ErrorFields(err); len(fs) > 0 {
			got = fs[0].Field
		}
		if got != c.field {
			t.Errorf("%s: %v, want a problem on %q", c.name, err, c.field)
		}
	}
}

func TestRoleNormalizeMakesEqualRolesCompareEqual(t *testing.T) {
	a := access.Role{Code: "x_role", Permissions: []access.Permission{
		{Verb: access.Update, Resource: access.Users, Scope: access.Network},
		{Verb: access.Read, Resource: access.Directory, Scope: access.Network},
		{Verb: access.Update, Resource: access.Users, Scope: access.Network},
	}, FieldGrants: []access.FieldGrant{{Group: access.Violence, OrgKinds: []network.Kind{network.School}},
		{Group: access.Identity}, {Group: access.Violence, OrgKinds: []network.Kind{network.Police}}}}
	b := access.Role{Code: "x_role", Permissions: []access.Permission{
		{Verb: access.Read, Resource: access.Directory, Scope: access.Network},
		{Verb: access.Update, Resource: access.Users, Scope: access.Network},
	}, FieldGrants: []access.FieldGrant{{Group: access.Identity}, {Group: access.Violence, OrgKinds: []network.Kind{network.Police, network.School}}}}
	a.Normalize()
	b.Normalize()
	if c := a.PermissionChanges(&b); len(c) != 0 {
		t.Fatalf("equal roles differ in %v: %+v / %+v", c, a, b)
	}
	if len(a.Permissions) != 2 || a.Permissions[0].Resource != access.Directory {
		t.Fatalf("permissions not sorted by resource: %+v", a.Permissions)
	}
	b.SecondFactor = true
	b.Permissions = b.Permissions[:1]
	if c, p := a.Changes(&b), a.PermissionChanges(&b); len(c) != 1 || c[0] != "second_factor" || len(p) != 1 || p[0] != "permissions" {
		t.Fatalf("changes %v, permission changes %v", c, p)
	}
}

func TestEveryConstantIsListed(t *testing.T) {
	// Verbs and resources are listed once each; a permission on one left
	// out of the lists would be refused.
	seen := map[string]bool{}
	for _, v := range access.Verbs {
		if seen["v:"+string(v)] {
			t.Errorf("verb %s listed twice", v)
		}
		seen["v:"+string(v)] = true
	}
	for _, r := range access.Resources {
		if seen["r:"+string(r)] {
			t.Errorf("resource %s listed twice", r)
		}
		seen["r:"+string(r)] = true
	}
	for _, v := range []access.Verb{access.Read, access.List, access.Create, access.Update, access.Delete, access.Approve,
		access.Export, access.Search, access.Manage, access.BreakGlass} {
		if !seen["v:"+string(v)] {
			t.Errorf("verb %s is not in Verbs", v)
		}
	}
}
