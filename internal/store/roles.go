package store

import (
	"context"
	"fmt"
	"strings"

	"approdo/access"
	"approdo/network"
)

// ListRoles returns every role with its permissions and field grants,
// ordered by code.
func ListRoles(ctx context.Context, tx *Tx) ([]*access.Role, error) {
	rows, err := tx.Query(ctx, `SELECT code, name, description, builtin, second_factor, version FROM roles ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list roles: %w", err)
	}
	var roles []*access.Role
	byCode := map[string]*access.Role{}
	for rows.Next() {
		var r access.Role
		var code string
		if err := rows.Scan(&code, &r.Name, &r.Description, &r.Builtin, &r.SecondFactor, &r.Version); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read role: %w", err)
		}
		r.Code = network.Role(code)
		roles = append(roles, &r)
		byCode[code] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	perms, err := tx.Query(ctx, `SELECT role, verb, resource, scope FROM role_permissions ORDER BY role, resource, verb, scope`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list permissions: %w", err)
	}
	for perms.Next() {
		var role, verb, resource, scope string
		if err := perms.Scan(&role, &verb, &resource, &scope); err != nil {
			perms.Close()
			return nil, fmt.Errorf("store: unable to read permission: %w", err)
		}
		if r := byCode[role]; r != nil {
			r.Permissions = append(r.Permissions, access.Permission{Verb: access.Verb(verb),
				Resource: access.Resource(resource), Scope: access.Scope(scope)})
		}
	}
	perms.Close()
	if err := perms.Err(); err != nil {
		return nil, err
	}
	groups, err := tx.Query(ctx, `SELECT role, field_group, org_kinds FROM role_field_groups ORDER BY role, field_group`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list field groups: %w", err)
	}
	defer groups.Close()
	for groups.Next() {
		var role, group, kinds string
		if err := groups.Scan(&role, &group, &kinds); err != nil {
			return nil, fmt.Errorf("store: unable to read field group: %w", err)
		}
		g := access.FieldGrant{Group: access.FieldGroup(group)}
		for _, k := range strings.Split(kinds, ",") {
			if k != "" {
				g.OrgKinds = append(g.OrgKinds, network.Kind(k))
			}
		}
		if r := byCode[role]; r != nil {
			r.FieldGrants = append(r.FieldGrants, g)
		}
	}
	return roles, groups.Err()
}

// LedProgrammeIDs returns the programmes the organisation leads.
func LedProgrammeIDs(ctx context.Context, tx *Tx, orgID int64) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT id FROM programmes WHERE lead_org_id = ? ORDER BY id`, orgID)
}
