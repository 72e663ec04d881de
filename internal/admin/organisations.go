package admin

import (
	"context"

	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// organisationRecord is what audit entries name an organisation by.
const organisationRecord = "organisation"

func organisationTarget(o *network.Organisation) auth.Target {
	return auth.Target{Resource: access.Organisations, OrgID: o.ID, AreaID: o.AreaID}
}

// Organisations returns every organisation the actor may update.
func (s *Service) Organisations(ctx context.Context, a *auth.Actor) ([]network.Organisation, error) {
	if !auth.Can(a, access.Update, access.Organisations) {
		return nil, notFound()
	}
	var out []network.Organisation
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ListOrganisations(ctx, tx)
		for _, o := range all {
			if auth.Allowed(a, access.Update, organisationTarget(&o)) {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

// Organisation returns the organisation with the given ID for an actor who
// may update it, or ENOTFOUND.
func (s *Service) Organisation(ctx context.Context, a *auth.Actor, id int64) (*network.Organisation, error) {
	if !auth.Can(a, access.Update, access.Organisations) {
		return nil, notFound()
	}
	var out *network.Organisation
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		if out, err = store.FindOrganisation(ctx, tx, id); err != nil {
			return err
		}
		return allow(a, access.Update, organisationTarget(out))
	})
	return out, err
}

// CreateOrganisation checks and stores a new organisation and sets its ID
// and version. It returns ENOTFOUND when a may not create it, EINVALID for
// bad input or an unknown area, and ECONFLICT on the field "code" when the
// code is taken.
func (s *Service) CreateOrganisation(ctx context.Context, a *auth.Actor, o *network.Organisation) error {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Create, access.Organisations) {
		return notFound()
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := checkOrganisationRefs(ctx, tx, o); err != nil {
			return err
		}
		if err := store.InsertOrganisation(ctx, tx, o); err != nil {
			return err
		}
		if err := allow(a, access.Create, organisationTarget(o)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Create, organisationRecord, o.ID, o.Changes(&network.Organisation{})))
	})
	return codeTaken(err, "code")
}

func checkOrganisationRefs(ctx context.Context, tx *store.Tx, o *network.Organisation) error {
	var r refs
	if o.AreaID != 0 {
		if err := r.area(ctx, tx, "area_id", o.AreaID); err != nil {
			return err
		}
	}
	return r.err()
}

// UpdateOrganisation stores the new fields of the organisation o.ID, edited
// from o.Version, and moves o to the stored version. An edit that changes
// nothing writes nothing. It returns ENOTFOUND, EINVALID, ECONFLICT
// ("error.stale_version") when the organisation was edited since o.Version,
// and ECONFLICT on the field "code" when the code is taken.
func (s *Service) UpdateOrganisation(ctx context.Context, a *auth.Actor, o *network.Organisation) (err error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Update, access.Organisations) {
		return notFound()
	}
	o.Normalize()
	defer keepOnFailure(&o.Version)(&err)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindOrganisation(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		// The actor must reach the organisation both where it is and where
		// the edit moves it; authorisation comes before validation.
		if err := allow(a, access.Update, organisationTarget(old)); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if err := allow(a, access.Update, organisationTarget(o)); err != nil {
			return err
		}
		if err := stale(o.Version, old.Version); err != nil {
			return err
		}
		if err := checkOrganisationRefs(ctx, tx, o); err != nil {
			return err
		}
		fields := old.Changes(o)
		if len(fields) == 0 {
			o.CreatedAt = old.CreatedAt
			return nil
		}
		if err := store.UpdateOrganisation(ctx, tx, o); err != nil {
			return err
		}
		o.CreatedAt = old.CreatedAt
		return audit.Append(ctx, tx, entry(ctx, a, audit.Update, organisationRecord, o.ID, fields))
	})
	return codeTaken(err, "code")
}
