package admin

import (
	"context"

	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// roleRecord is what audit entries name a role by; its record ID is the
// role's code.
const roleRecord = "role"

// roleTarget is every role: roles are the network's own rules, so only a
// network-wide grant reaches them.
var roleTarget = auth.Target{Resource: access.Roles}

// RoleRecord is a role with the number of users who hold it.
type RoleRecord struct {
	*access.Role
	Holders int
}

// Roles returns every role, built-in ones first, for an actor who may list
// them.
func (s *Service) Roles(ctx context.Context, a *auth.Actor) ([]RoleRecord, error) {
	if err := allow(a, access.List, roleTarget); err != nil {
		return nil, err
	}
	var out []RoleRecord
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		roles, err := store.ListRoles(ctx, tx)
		if err != nil {
			return err
		}
		holders, err := store.CountRoleHolders(ctx, tx)
		if err != nil {
			return err
		}
		for _, builtin := range []bool{true, false} {
			for _, r := range roles {
				if r.Builtin == builtin {
					r.Normalize()
					out = append(out, RoleRecord{Role: r, Holders: holders[r.Code]})
				}
			}
		}
		return nil
	})
	return out, err
}

// Role returns the role with the given code for an actor who may read it,
// or ENOTFOUND.
func (s *Service) Role(ctx context.Context, a *auth.Actor, code network.Role) (*RoleRecord, error) {
	if err := allow(a, access.Read, roleTarget); err != nil {
		return nil, err
	}
	var out *RoleRecord
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := store.FindRole(ctx, tx, code)
		if err != nil {
			return err
		}
		holders, err := store.CountRoleHolders(ctx, tx)
		if err != nil {
			return err
		}
		r.Normalize()
		out = &RoleRecord{Role: r, Holders: holders[code]}
		return nil
	})
	return out, err
}

// CreateRole checks and stores a new role that an administrator defines,
// with its permissions, field groups and second-factor rule, and sets its
// version. The role applies at once on this instance. It returns ENOTFOUND
// when a may not create roles, EINVALID for a malformed code, a missing
// name or an unknown verb, resource, scope, field group or organisation
// kind, and ECONFLICT on the field "code" when the code is taken.
func (s *Service) CreateRole(ctx context.Context, a *auth.Actor, r *access.Role) error {
	if err := allow(a, access.Create, roleTarget); err != nil {
		return err
	}
	r.Builtin = false
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.InsertRole(ctx, tx, r); err != nil {
			return err
		}
		fields := append(r.Changes(&access.Role{}), "code")
		if err := audit.Append(ctx, tx, roleEntry(ctx, a, audit.Create, r.Code, fields)); err != nil {
			return err
		}
		if changes := r.PermissionChanges(&access.Role{}); len(changes) > 0 {
			return audit.Append(ctx, tx, roleEntry(ctx, a, audit.PermissionChange, r.Code, changes))
		}
		return nil
	})
	if err != nil {
		return codeTaken(err, "code")
	}
	s.RoleBook.Forget()
	return nil
}

func roleEntry(ctx context.Context, a *auth.Actor, action audit.Action, code network.Role, fields []string) *audit.Entry {
	e := entry(ctx, a, action, roleRecord, 0, fields)
	e.RecordID = string(code)
	return e
}

// UpdateRole stores the new name, description, second-factor rule,
// permissions and field groups of the role r.Code, edited from r.Version,
// and moves r to the stored version. Built-in roles may be changed too (their
// name stays the catalogue's). The change applies at once on this instance
// and within seconds on the others; a change of permissions or field groups
// is audited as a permission change. An edit that changes nothing writes
// nothing.
//
// It returns ENOTFOUND when a may not update roles, EINVALID for bad input
// or for a change after which nobody could administer roles, and ECONFLICT
// ("error.stale_version") when the role was edited since r.Version.
func (s *Service) UpdateRole(ctx context.Context, a *auth.Actor, r *access.Role) (err error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if err := allow(a, access.Update, roleTarget); err != nil {
		return err
	}
	r.Normalize()
	defer keepOnFailure(&r.Version)(&err)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindRole(ctx, tx, r.Code)
		if err != nil {
			return err
		}
		old.Normalize()
		r.Builtin = old.Builtin
		if r.Builtin {
			r.Name = old.Name
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if err := stale(r.Version, old.Version); err != nil {
			return err
		}
		fields, perms := old.Changes(r), old.PermissionChanges(r)
		if len(fields) == 0 && len(perms) == 0 {
			return nil
		}
		if err := store.UpdateRole(ctx, tx, r); err != nil {
			return err
		}
		if len(fields) > 0 {
			if err := audit.Append(ctx, tx, roleEntry(ctx, a, audit.Update, r.Code, fields)); err != nil {
				return err
			}
		}
		if len(perms) > 0 {
			if err := audit.Append(ctx, tx, roleEntry(ctx, a, audit.PermissionChange, r.Code, perms)); err != nil {
				return err
			}
		}
		return ensureAdministrable(ctx, tx)
	})
	if err != nil {
		return err
	}
	s.RoleBook.Forget()
	return nil
}

// DeleteRole removes a role an administrator added, edited from version,
// while nobody holds it. It returns ENOTFOUND when a may not delete roles or
// the role does not exist, EINVALID ("error.role_builtin", "error.role_held")
// for a built-in role or one somebody holds, and ECONFLICT
// ("error.stale_version") when the role was edited since version.
func (s *Service) DeleteRole(ctx context.Context, a *auth.Actor, code network.Role, version int) error {
	if err := allow(a, access.Delete, roleTarget); err != nil {
		return err
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.DeleteRole(ctx, tx, code, version); err != nil {
			return err
		}
		return audit.Append(ctx, tx, roleEntry(ctx, a, audit.Delete, code, nil))
	})
	if err != nil {
		return err
	}
	s.RoleBook.Forget()
	return nil
}
