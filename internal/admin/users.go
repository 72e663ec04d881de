package admin

import (
	"context"
	"slices"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/network"
)

// userRecord is what audit entries name a user by.
const userRecord = "user"

// UserState is where a user stands: invited and not yet signed up, active,
// or deactivated.
type UserState string

// The states of a user.
const (
	Invited     UserState = "invited"
	Active      UserState = "active"
	Deactivated UserState = "deactivated"
)

// UserStates lists the states in the order lists show them.
var UserStates = []UserState{Active, Invited, Deactivated}

// UserRecord is a user as administrators see them: their profile, roles and
// areas, and where they stand.
type UserRecord struct {
	network.User
	State UserState
	// InvitationExpires is when the newest invitation stops working; zero
	// when the user was never invited or has accepted.
	InvitationExpires time.Time
}

// UserFilter narrows a list of users. Zero values match everybody.
type UserFilter struct {
	Query          string // part of the display name, username or e-mail address
	OrganisationID int64
	Role           network.Role
	State          UserState
}

// matches reports whether u passes the filter.
func (f UserFilter) matches(u *UserRecord) bool {
	needle := strings.ToLower(strings.TrimSpace(f.Query))
	return (needle == "" || strings.Contains(strings.ToLower(u.DisplayName), needle) ||
		strings.Contains(u.Username, needle) || strings.Contains(u.Email, needle)) &&
		(f.OrganisationID == 0 || u.OrganisationID == f.OrganisationID) &&
		(f.Role == "" || u.Has(f.Role)) &&
		(f.State == "" || u.State == f.State)
}

// userAllowed reports whether a may take v on the user u. With own, the
// actor's own record counts through the "own" scope; administrative changes
// (organisation, roles, areas, deactivation) pass own as false, so that
// nobody manages their own account through it.
func userAllowed(a *auth.Actor, v access.Verb, u *network.User, own bool) bool {
	t := auth.Target{Resource: access.Users, OrgID: u.OrganisationID}
	if own {
		t.OwnerID = u.ID
	}
	if auth.Allowed(a, v, t) {
		return true
	}
	for _, area := range u.AreaIDs {
		t.AreaID = area
		if auth.Allowed(a, v, t) {
			return true
		}
	}
	return false
}

// mayAssignRoles reports whether a may give or take away roles: a change of
// permissions, so only for whoever may change roles across the network
// (otherwise a manager of users could give themselves any role).
func mayAssignRoles(a *auth.Actor) bool {
	return auth.Allowed(a, access.Update, auth.Target{Resource: access.Roles})
}

// Users returns the users the actor may list that pass the filter, by
// organisation and name.
func (s *Service) Users(ctx context.Context, a *auth.Actor, f UserFilter) ([]UserRecord, error) {
	if !auth.Can(a, access.List, access.Users) {
		return nil, notFound()
	}
	var out []UserRecord
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		users, err := store.ListUsers(ctx, tx)
		if err != nil {
			return err
		}
		areas, err := store.UserAreaIDs(ctx, tx)
		if err != nil {
			return err
		}
		pending, err := store.UsersWithoutPassword(ctx, tx)
		if err != nil {
			return err
		}
		for _, u := range users {
			u.AreaIDs = areas[u.ID]
			if !userAllowed(a, access.List, &u, true) {
				continue
			}
			r := UserRecord{User: u, State: state(&u, pending[u.ID])}
			if f.matches(&r) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

func state(u *network.User, noPassword bool) UserState {
	switch {
	case !u.Active:
		return Deactivated
	case noPassword:
		return Invited
	}
	return Active
}

// User returns the user with the given ID for an actor who may read them,
// or ENOTFOUND.
func (s *Service) User(ctx context.Context, a *auth.Actor, id int64) (*UserRecord, error) {
	if !auth.Can(a, access.Read, access.Users) {
		return nil, notFound()
	}
	var out *UserRecord
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = findUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !userAllowed(a, access.Read, &out.User, true) {
			return notFound()
		}
		return nil
	})
	return out, err
}

// findUser loads a user with where they stand.
func findUser(ctx context.Context, tx *store.Tx, id int64) (*UserRecord, error) {
	u, err := store.FindUser(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	pending, err := store.UsersWithoutPassword(ctx, tx)
	if err != nil {
		return nil, err
	}
	r := &UserRecord{User: *u, State: state(u, pending[u.ID])}
	if r.State != Active {
		inv, err := store.LatestInvitation(ctx, tx, id)
		if err == nil && inv.UsedAt.IsZero() {
			r.InvitationExpires = inv.ExpiresAt
		} else if err != nil && approdo.ErrorCode(err) != approdo.ENOTFOUND {
			return nil, err
		}
	}
	return r, nil
}

// MayManage reports whether a may edit, deactivate and invite the user u,
// for pages to show those actions only to whom may take them.
func MayManage(a *auth.Actor, u *network.User) bool {
	return auth.ManagesAccount(a, u)
}

// MayAssignRoles reports whether a may give or take away roles.
func MayAssignRoles(a *auth.Actor) bool { return mayAssignRoles(a) }

// checkUserRefs returns EINVALID naming each field that refers to an
// organisation, area or role that does not exist, or a language Approdo
// does not speak.
func checkUserRefs(ctx context.Context, tx *store.Tx, u *network.User) error {
	var r refs
	if err := r.organisation(ctx, tx, "organisation_id", u.OrganisationID); err != nil {
		return err
	}
	for _, id := range u.AreaIDs {
		if err := r.area(ctx, tx, "area_ids", id); err != nil {
			return err
		}
	}
	roles, err := store.ListRoles(ctx, tx)
	if err != nil {
		return err
	}
	for _, code := range u.Roles {
		if !slices.ContainsFunc(roles, func(x *access.Role) bool { return x.Code == code }) {
			r = append(r, approdo.FieldError{Field: "roles", Message: "error.field.unknown_reference"})
			break
		}
	}
	if !i18n.Supported(u.Locale) {
		r = append(r, approdo.FieldError{Field: "locale", Message: "error.field.unknown_value"})
	}
	return r.err()
}

// ensureAdministrable refuses, with EINVALID, a change after which no
// active user could change roles any more, since nobody could then undo it.
// Call it after the change's audit entry is appended: appending serialises
// the writers of the log, so that two administrators taking away each
// other's rights at once cannot both count the other as still there.
func ensureAdministrable(ctx context.Context, tx *store.Tx) error {
	n, err := store.CountAdministrators(ctx, tx)
	if err != nil {
		return err
	}
	if n == 0 {
		return approdo.Errorf(approdo.EINVALID, "error.last_administrator")
	}
	return nil
}

// InviteUser creates the user u, with no password, and an invitation by
// which they choose one. It returns the invitation, whose token is shown
// once to the administrator to hand over and never stored. It returns
// ENOTFOUND when a may not create the user, EINVALID for bad input or a
// reference to an organisation, area or role that does not exist, and
// ECONFLICT on the field "username" when the username is taken.
func (s *Service) InviteUser(ctx context.Context, a *auth.Actor, u *network.User) (*Invitation, error) {
	if !auth.Can(a, access.Create, access.Users) {
		return nil, notFound()
	}
	if u.Locale == "" {
		u.Locale = i18n.Default
	}
	u.Normalize()
	u.Active = true
	if !userAllowed(a, access.Create, u, false) {
		return nil, notFound()
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if !mayAssignRoles(a) {
		return nil, approdo.Invalid(approdo.FieldError{Field: "roles", Message: "error.field.roles_not_yours"})
	}
	var inv *Invitation
	// The caches of the network's names hold the users too.
	defer auth.AccessChanged()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := checkUserRefs(ctx, tx, u); err != nil {
			return err
		}
		if err := store.InsertUser(ctx, tx, u, ""); err != nil {
			if approdo.ErrorCode(err) == approdo.ECONFLICT {
				key, args := approdo.ErrorMessage(err)
				return &approdo.Error{Code: approdo.ECONFLICT, Message: key, Args: args,
					Fields: []approdo.FieldError{{Field: "username", Message: "error.field.taken"}}}
			}
			return err
		}
		created := u.Changes(&network.User{})
		if err := audit.Append(ctx, tx, entry(ctx, a, audit.Create, userRecord, u.ID, created)); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, entry(ctx, a, audit.PermissionChange, userRecord, u.ID, []string{"roles"})); err != nil {
			return err
		}
		var err error
		inv, err = s.invite(ctx, tx, a, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// UpdateUser stores the new profile, organisation, areas and roles of the
// user u.ID, edited from u.Version, and moves u to the stored version. The
// username never changes, nor do the password and whether the user is
// active, which have their own methods. A change of roles is audited as a
// permission change. An edit that changes nothing writes nothing.
//
// It returns ENOTFOUND when a may not manage the user (nobody manages their
// own account here), EINVALID for bad input, for roles changed by someone
// who may not assign them, or for a change after which nobody could
// administer roles, and ECONFLICT ("error.stale_version") when the user was
// edited since u.Version.
func (s *Service) UpdateUser(ctx context.Context, a *auth.Actor, u *network.User) (err error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Update, access.Users) {
		return notFound()
	}
	u.Normalize()
	defer keepOnFailure(&u.Version)(&err)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := findUser(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if !MayManage(a, &old.User) {
			return notFound()
		}
		u.Username, u.Active, u.CreatedAt = old.Username, old.Active, old.CreatedAt
		if u.Locale == "" {
			u.Locale = old.Locale
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if !userAllowed(a, access.Update, u, false) {
			return notFound()
		}
		if err := stale(u.Version, old.Version); err != nil {
			return err
		}
		if err := checkUserRefs(ctx, tx, u); err != nil {
			return err
		}
		fields, roles := old.Changes(u), old.RolesChanged(u)
		if roles && !mayAssignRoles(a) {
			return approdo.Invalid(approdo.FieldError{Field: "roles", Message: "error.field.roles_not_yours"})
		}
		if len(fields) == 0 && !roles {
			return nil
		}
		if err := store.UpdateUser(ctx, tx, u); err != nil {
			return err
		}
		if len(fields) > 0 {
			if err := audit.Append(ctx, tx, entry(ctx, a, audit.Update, userRecord, u.ID, fields)); err != nil {
				return err
			}
		}
		if roles {
			if err := audit.Append(ctx, tx, entry(ctx, a, audit.PermissionChange, userRecord, u.ID, []string{"roles"})); err != nil {
				return err
			}
			return ensureAdministrable(ctx, tx)
		}
		return nil
	})
}

// SetUserActive deactivates (active false) or reactivates the user id,
// edited from version, and returns the user as stored. Deactivating ends
// every session of the user at once, in the same transaction; nobody is
// ever deleted. It returns ENOTFOUND when a may not manage the user,
// EINVALID for someone deactivating themselves or the last administrator,
// and ECONFLICT ("error.stale_version") when the user changed since version.
func (s *Service) SetUserActive(ctx context.Context, a *auth.Actor, id int64, version int, active bool) (*UserRecord, error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Update, access.Users) {
		return nil, notFound()
	}
	var out *UserRecord
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := findUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if id == a.UserID() {
			return approdo.Errorf(approdo.EINVALID, "error.deactivate_self")
		}
		if !MayManage(a, &old.User) {
			return notFound()
		}
		if err := stale(version, old.Version); err != nil {
			return err
		}
		if old.Active == active {
			out = old
			return nil
		}
		if _, err := store.SetUserActive(ctx, tx, id, version, active); err != nil {
			return err
		}
		action := audit.Reactivate
		if !active {
			action = audit.Deactivate
			if _, err := store.DeleteUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		if err := audit.Append(ctx, tx, entry(ctx, a, action, userRecord, id, []string{"active"})); err != nil {
			return err
		}
		if !active {
			if err := ensureAdministrable(ctx, tx); err != nil {
				return err
			}
		}
		out, err = findUser(ctx, tx, id)
		return err
	})
	return out, err
}
