package casework

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/mediation"
	"approdo/network"
)

// The registry of mediators holds one profile per user with the mediator
// role. Coordinators and administrators add and manage the profiles (the
// policy's create and manage on mediators); case workers read them; a
// mediator reads their own and keeps their availability (update).

// MediatorView is a profile with its mediator's name, organisation and
// contact, and what the reader may do with it.
type MediatorView struct {
	mediation.Mediator
	Name         string
	Email        string
	Organisation string
	// UserActive is false for a mediator whose account was deactivated:
	// their profile stays, but takes no booking.
	UserActive bool
	AreaNames  []string
	// CanManage lets the reader edit the whole profile, CanUpdate the
	// availability alone.
	CanManage bool
	CanUpdate bool
}

// Takes reports whether the mediator of v takes bookings: an active profile
// of an active user who still holds the mediator role.
func (v *MediatorView) Takes() bool { return v.Active && v.UserActive }

// mediatorTarget is what the policy needs to know about profile m of user u.
func mediatorTarget(m *mediation.Mediator, u network.User) auth.Target {
	return auth.Target{Resource: access.Mediators, OwnerID: m.UserID, OrgID: u.OrganisationID}
}

// mediatorView describes m for a.
func mediatorView(a *auth.Actor, n *names, m *mediation.Mediator) MediatorView {
	u := n.users[m.UserID]
	v := MediatorView{Mediator: *m, Name: u.DisplayName, Email: u.Email, Organisation: n.orgs[u.OrganisationID].Name,
		UserActive: u.Active && u.Has(network.Mediator)}
	for _, id := range m.AreaIDs {
		v.AreaNames = append(v.AreaNames, n.areas[id].Name)
	}
	t := mediatorTarget(m, u)
	v.CanManage = auth.Allowed(a, access.Manage, t)
	v.CanUpdate = v.CanManage || auth.Allowed(a, access.Update, t)
	return v
}

// Mediators returns the profiles of the registry that pass f and that a may
// list, by name. It returns an empty list to whom may list none.
func (s *Service) Mediators(ctx context.Context, a *auth.Actor, f store.MediatorFilter) ([]MediatorView, error) {
	var out []MediatorView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		list, err := store.ListMediators(ctx, tx, f)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for i := range list {
			m := &list[i]
			if !auth.Allowed(a, access.List, mediatorTarget(m, n.users[m.UserID])) {
				continue
			}
			out = append(out, mediatorView(a, n, m))
		}
		return nil
	})
	slices.SortFunc(out, func(x, y MediatorView) int { return cmp.Or(strings.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID)) })
	return out, err
}

// Mediator returns profile id to whom may read it, or keep it or its
// availability; ENOTFOUND otherwise.
func (s *Service) Mediator(ctx context.Context, a *auth.Actor, id int64) (*MediatorView, error) {
	var v MediatorView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		m, err := store.FindMediator(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v = mediatorView(a, n, m)
		if !v.CanUpdate && !auth.Allowed(a, access.Read, mediatorTarget(m, n.users[m.UserID])) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// MyMediatorProfile returns the profile of the signed-in mediator, or
// ENOTFOUND when they have none.
func (s *Service) MyMediatorProfile(ctx context.Context, a *auth.Actor) (*MediatorView, error) {
	var id int64
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		m, err := store.FindMediatorOfUser(ctx, tx, a.User.ID)
		if err == nil {
			id = m.ID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Mediator(ctx, a, id)
}

// UnlistedMediators returns the active users with the mediator role who
// have no profile yet and of whom a may add one, by name.
func (s *Service) UnlistedMediators(ctx context.Context, a *auth.Actor) ([]network.User, error) {
	var out []network.User
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		listed, err := store.ListMediators(ctx, tx, store.MediatorFilter{})
		if err != nil {
			return err
		}
		has := map[int64]bool{}
		for _, m := range listed {
			has[m.UserID] = true
		}
		for _, u := range n.mediators() {
			if !has[u.ID] && auth.Allowed(a, access.Create, mediatorTarget(&mediation.Mediator{UserID: u.ID}, u)) {
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}

// checkAreas adds a problem on "area_ids" when one of ids is not an area of
// the network.
func checkAreas(n *names, ids []int64) []approdo.FieldError {
	for _, id := range ids {
		if _, ok := n.areas[id]; !ok {
			return []approdo.FieldError{{Field: "area_ids", Message: "error.field.unknown_reference"}}
		}
	}
	return nil
}

// CreateMediator adds the profile of user userID to the registry. It
// returns the profile, ENOTFOUND when a may not add profiles, EINVALID
// naming "user_id" (not an active user with the mediator role) and the
// fields of mediation.CheckProfile or an unknown area, and ECONFLICT
// ("error.mediation.profile_exists") when the user has a profile already.
func (s *Service) CreateMediator(ctx context.Context, a *auth.Actor, userID int64, p mediation.Profile, client string) (*MediatorView, error) {
	if !auth.Can(a, access.Create, access.Mediators) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var v MediatorView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		m := &mediation.Mediator{UserID: userID, CreatedAt: now, UpdatedAt: now}
		u, ok := n.users[userID]
		var problems []approdo.FieldError
		switch {
		case userID == 0:
			problems = append(problems, approdo.FieldError{Field: "user_id", Message: "error.field.required"})
		case !ok || !u.Active || !u.Has(network.Mediator):
			problems = append(problems, approdo.FieldError{Field: "user_id", Message: "error.mediation.not_mediator"})
		case !auth.Allowed(a, access.Create, mediatorTarget(m, u)):
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		problems = append(problems, approdo.ErrorFields(mediation.CheckProfile(p, m))...)
		problems = append(problems, checkAreas(n, m.AreaIDs)...)
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		if err := store.InsertMediator(ctx, tx, m); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "mediator", RecordID: strconv.FormatInt(m.ID, 10),
			Fields: []string{"user_id", "languages", "dialects", "area_ids", "gender", "slots", "availability_notes", "active"},
			Client: client}); err != nil {
			return err
		}
		v = mediatorView(a, n, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// UpdateMediator saves the whole profile id as a, who must manage it, wrote
// it from version. It returns the profile, ENOTFOUND when a may not manage
// it, EINVALID naming "version" or the fields of mediation.CheckProfile or
// an unknown area, and ECONFLICT ("error.stale_version") when someone saved
// the profile since version.
func (s *Service) UpdateMediator(ctx context.Context, a *auth.Actor, id int64, p mediation.Profile, version int, client string) (*MediatorView, error) {
	return s.saveMediator(ctx, a, id, version, client, access.Manage, func(n *names, m *mediation.Mediator) ([]string, []approdo.FieldError) {
		problems := approdo.ErrorFields(mediation.CheckProfile(p, m))
		return []string{"languages", "dialects", "area_ids", "gender", "slots", "availability_notes", "active"},
			append(problems, checkAreas(n, m.AreaIDs)...)
	})
}

// UpdateAvailability saves the weekly slots and the availability notes of
// profile id, which a manages or keeps the availability of, as a wrote
// them from version. It returns the profile, ENOTFOUND when a may do
// neither, EINVALID naming "version" or the fields of
// mediation.CheckAvailability, and ECONFLICT ("error.stale_version") when
// someone saved the profile since.
func (s *Service) UpdateAvailability(ctx context.Context, a *auth.Actor, id int64, slots []mediation.SlotInput, notes string, version int, client string) (*MediatorView, error) {
	return s.saveMediator(ctx, a, id, version, client, access.Update, func(_ *names, m *mediation.Mediator) ([]string, []approdo.FieldError) {
		return []string{"slots", "availability_notes"}, approdo.ErrorFields(mediation.CheckAvailability(slots, notes, m))
	})
}

// saveMediator loads profile id, asks the policy for verb (update also
// passes with manage), applies change, and saves and audits the profile.
func (s *Service) saveMediator(ctx context.Context, a *auth.Actor, id int64, version int, client string, verb access.Verb,
	change func(n *names, m *mediation.Mediator) ([]string, []approdo.FieldError)) (*MediatorView, error) {
	var v MediatorView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := store.FindMediator(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		t := mediatorTarget(m, n.users[m.UserID])
		if !auth.Allowed(a, access.Manage, t) && (verb == access.Manage || !auth.Allowed(a, access.Update, t)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		fields, problems := change(n, m)
		if version <= 0 {
			problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		m.UpdatedAt = s.Now().UTC()
		if verb == access.Manage {
			err = store.UpdateMediator(ctx, tx, m, version)
		} else {
			err = store.UpdateMediatorAvailability(ctx, tx, m, version)
		}
		if err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Update, RecordType: "mediator", RecordID: strconv.FormatInt(m.ID, 10), Fields: fields,
			Client: client}); err != nil {
			return err
		}
		v = mediatorView(a, n, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// RecordMediator stores profile m of its user, in tx, with no policy check
// and no audit entry: it is for seeders and importers. It checks nothing
// and sets m's ID and version.
func RecordMediator(ctx context.Context, tx *store.Tx, m *mediation.Mediator) error {
	return store.InsertMediator(ctx, tx, m)
}
