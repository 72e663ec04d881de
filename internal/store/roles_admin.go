package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/network"
)

// FindRole returns the role with the given code, with its permissions and
// field grants, or ENOTFOUND. Roles are few, so it reads them all.
func FindRole(ctx context.Context, tx *Tx, code network.Role) (*access.Role, error) {
	roles, err := ListRoles(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if r.Code == code {
			return r, nil
		}
	}
	return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
}

// InsertRole stores a new role with its permissions and field grants and
// sets its version. It returns ECONFLICT when the code is taken.
func InsertRole(ctx context.Context, tx *Tx, r *access.Role) error {
	r.Version = 1
	_, err := tx.Exec(ctx, `INSERT INTO roles (code, name, description, builtin, second_factor, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, string(r.Code), r.Name, r.Description, r.Builtin, r.SecondFactor,
		time.Now().UTC(), r.Version)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", string(r.Code))
	} else if err != nil {
		return fmt.Errorf("store: unable to create role %s: %w", r.Code, err)
	}
	return insertGrants(ctx, tx, r)
}

// UpdateRole stores r's name, description, second-factor flag, permissions
// and field grants if the stored role is still at r.Version, and moves r to
// the next version. Whether a role is built in never changes. It returns
// ENOTFOUND or ECONFLICT ("error.stale_version").
func UpdateRole(ctx context.Context, tx *Tx, r *access.Role) error {
	res, err := tx.Exec(ctx, `UPDATE roles SET name = ?, description = ?, second_factor = ?, version = version + 1
		WHERE code = ? AND version = ?`, r.Name, r.Description, r.SecondFactor, string(r.Code), r.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update role %s: %w", r.Code, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to update role %s: %w", r.Code, err)
	} else if n == 0 {
		return staleOrMissing(ctx, tx, "roles", "code", string(r.Code))
	}
	r.Version++
	for _, q := range []string{`DELETE FROM role_permissions WHERE role = ?`, `DELETE FROM role_field_groups WHERE role = ?`} {
		if _, err := tx.Exec(ctx, q, string(r.Code)); err != nil {
			return fmt.Errorf("store: unable to update the grants of role %s: %w", r.Code, err)
		}
	}
	return insertGrants(ctx, tx, r)
}

// DeleteRole removes a role that is not built in, if it is still at
// version and nobody holds it. It returns ENOTFOUND, ECONFLICT
// ("error.stale_version"), or EINVALID ("error.role_builtin",
// "error.role_held") when the role may not go.
func DeleteRole(ctx context.Context, tx *Tx, code network.Role, version int) error {
	r, err := FindRole(ctx, tx, code)
	if err != nil {
		return err
	}
	if r.Version != version {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	if r.Builtin {
		return approdo.Errorf(approdo.EINVALID, "error.role_builtin")
	}
	holders, err := CountRoleHolders(ctx, tx)
	if err != nil {
		return err
	}
	if holders[code] > 0 {
		return approdo.Errorf(approdo.EINVALID, "error.role_held", holders[code])
	}
	res, err := tx.Exec(ctx, `DELETE FROM roles WHERE code = ? AND version = ?`, string(code), version)
	if err != nil {
		return fmt.Errorf("store: unable to delete role %s: %w", code, err)
	}
	// A concurrent edit between the checks above and the delete leaves the
	// role in place: say so rather than report a removal that did not happen.
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to delete role %s: %w", code, err)
	} else if n == 0 {
		return staleOrMissing(ctx, tx, "roles", "code", string(code))
	}
	return nil
}

// insertGrants stores the permissions and field grants of r.
func insertGrants(ctx context.Context, tx *Tx, r *access.Role) error {
	for _, p := range r.Permissions {
		if _, err := tx.Exec(ctx, `INSERT INTO role_permissions (role, verb, resource, scope) VALUES (?, ?, ?, ?)`,
			string(r.Code), string(p.Verb), string(p.Resource), string(p.Scope)); err != nil {
			return fmt.Errorf("store: unable to grant %s to role %s: %w", p, r.Code, err)
		}
	}
	for _, g := range r.FieldGrants {
		kinds := make([]string, len(g.OrgKinds))
		for i, k := range g.OrgKinds {
			kinds[i] = string(k)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES (?, ?, ?)`,
			string(r.Code), string(g.Group), strings.Join(kinds, ",")); err != nil {
			return fmt.Errorf("store: unable to grant field group %s to role %s: %w", g.Group, r.Code, err)
		}
	}
	return nil
}

// CountRoleHolders returns how many users, active or not, hold each role
// that somebody holds.
func CountRoleHolders(ctx context.Context, tx *Tx) (map[network.Role]int, error) {
	rows, err := tx.Query(ctx, `SELECT role, COUNT(*) FROM user_roles GROUP BY role`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count role holders: %w", err)
	}
	defer rows.Close()
	out := map[network.Role]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, fmt.Errorf("store: unable to read role holders: %w", err)
		}
		out[network.Role(code)] = n
	}
	return out, rows.Err()
}
