package admin

import (
	"context"

	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// areaRecord is what audit entries name an area by.
const areaRecord = "area"

func areaTarget(id int64) auth.Target { return auth.Target{Resource: access.Areas, AreaID: id} }

// Areas returns every area, for an actor who may update some.
func (s *Service) Areas(ctx context.Context, a *auth.Actor) ([]network.Area, error) {
	if !auth.Can(a, access.Update, access.Areas) {
		return nil, notFound()
	}
	var out []network.Area
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ListAreas(ctx, tx)
		for _, x := range all {
			if auth.Allowed(a, access.Update, areaTarget(x.ID)) {
				out = append(out, x)
			}
		}
		return err
	})
	return out, err
}

// Area returns the area with the given ID for an actor who may update it,
// or ENOTFOUND.
func (s *Service) Area(ctx context.Context, a *auth.Actor, id int64) (*network.Area, error) {
	if err := allow(a, access.Update, areaTarget(id)); err != nil {
		return nil, err
	}
	var out *network.Area
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.FindArea(ctx, tx, id)
		return err
	})
	return out, err
}

// CreateArea checks and stores a new area and sets its ID and version. It
// returns ENOTFOUND when a may not create areas, EINVALID for bad input and
// ECONFLICT on the field "code" when the code is taken.
func (s *Service) CreateArea(ctx context.Context, a *auth.Actor, x *network.Area) error {
	if !auth.Can(a, access.Create, access.Areas) {
		return notFound()
	}
	x.Normalize()
	if err := x.Validate(); err != nil {
		return err
	}
	// The caches of the network's names hold the areas too.
	defer auth.AccessChanged()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.InsertArea(ctx, tx, x); err != nil {
			return err
		}
		if err := allow(a, access.Create, areaTarget(x.ID)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Create, areaRecord, x.ID, x.Changes(&network.Area{})))
	})
	return codeTaken(err, "code")
}

// UpdateArea stores the new fields of the area x.ID, edited from
// x.Version, and moves x to the stored version. An edit that changes
// nothing writes nothing. It returns ENOTFOUND, EINVALID, ECONFLICT
// ("error.stale_version") when the area was edited since x.Version, and
// ECONFLICT on the field "code" when the code is taken.
func (s *Service) UpdateArea(ctx context.Context, a *auth.Actor, x *network.Area) (err error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if err := allow(a, access.Update, areaTarget(x.ID)); err != nil {
		return err
	}
	x.Normalize()
	defer keepOnFailure(&x.Version)(&err)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		// A record that does not exist is not found, before its input is
		// judged, like on every other route.
		old, err := store.FindArea(ctx, tx, x.ID)
		if err != nil {
			return err
		}
		if err := x.Validate(); err != nil {
			return err
		}
		if err := stale(x.Version, old.Version); err != nil {
			return err
		}
		fields := old.Changes(x)
		if len(fields) == 0 {
			return nil
		}
		if err := store.UpdateArea(ctx, tx, x); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Update, areaRecord, x.ID, fields))
	})
	return codeTaken(err, "code")
}
