// Package directory is the service of the network's service directory: the
// services each organisation offers, searched by need, area, language and
// age, edited by the organisation that offers them, and exchanged with other
// directories as Open Referral HSDS JSON or CSV. It is built like
// internal/admin: every method takes the acting user, asks the one policy,
// validates with the domain's rules (services.Check), checks references,
// writes through store and appends the audit entry in one transaction, so
// that the web UI and the JSON API, which both call it, cannot disagree.
//
// A service the actor may not read or edit is ENOTFOUND, never forbidden.
// Bad input is EINVALID naming each field at fault; an edit made from a
// version that is no longer current is ECONFLICT "error.stale_version", and
// nothing is written.
package directory

import (
	"context"
	"slices"
	"strconv"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/network"
	"approdo/services"
)

// RecordType is what audit entries name a service by.
const RecordType = "service"

// StaleVersion is the catalogue key of the ECONFLICT error of an edit made
// from an old version of a service.
const StaleVersion = "error.stale_version"

// IsStale reports whether err refuses an edit made from an old version.
func IsStale(err error) bool {
	key, _ := approdo.ErrorMessage(err)
	return approdo.ErrorCode(err) == approdo.ECONFLICT && key == StaleVersion
}

// Service is the service directory.
type Service struct {
	DB *store.DB
	// Catalogue names the types of service and the kinds of case in the
	// taxonomy terms of an HSDS export.
	Catalogue *i18n.Catalogue
}

// New returns the directory over db.
func New(db *store.DB, cat *i18n.Catalogue) *Service { return &Service{DB: db, Catalogue: cat} }

func notFound() error { return approdo.Errorf(approdo.ENOTFOUND, "error.not_found") }

// Target returns the facts the policy judges a service of organisation
// orgID by.
func Target(orgID int64) auth.Target {
	return auth.Target{Resource: access.Services, OrgID: orgID}
}

func allow(a *auth.Actor, v access.Verb, orgID int64) error {
	if !auth.Allowed(a, v, Target(orgID)) {
		return notFound()
	}
	return nil
}

func entry(ctx context.Context, a *auth.Actor, action audit.Action, id int64, fields []string) *audit.Entry {
	e := &audit.Entry{ActorID: a.UserID(), ActorOrgID: a.Organisation.ID, Action: action, RecordType: RecordType,
		Fields: fields, Client: auth.ClientFrom(ctx)}
	if id != 0 {
		e.RecordID = strconv.FormatInt(id, 10)
	}
	return e
}

// CanRead reports whether a may search the directory.
func CanRead(a *auth.Actor) bool { return auth.Can(a, access.Read, access.Services) }

// CanCreate reports whether a may add services to some organisation.
func CanCreate(a *auth.Actor) bool { return auth.Can(a, access.Create, access.Services) }

// CanEdit reports whether a may edit the service s.
func CanEdit(a *auth.Actor, s *services.Service) bool {
	return auth.Allowed(a, access.Update, Target(s.OrganisationID))
}

// CanExchange reports whether a may import the directory (and so replace
// entries of any organisation).
func CanExchange(a *auth.Actor) bool { return auth.Can(a, access.Manage, access.Services) }

// Search returns the services f selects, ordered by name, at most limit
// after skipping offset (limit 0: all). It returns ENOTFOUND when a may not
// read the directory.
func (d *Service) Search(ctx context.Context, a *auth.Actor, f services.Filter, limit, offset int) ([]services.Service, error) {
	if !CanRead(a) {
		return nil, notFound()
	}
	f.Normalize()
	var out []services.Service
	err := d.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.ListServices(ctx, tx, f, limit, offset)
		return err
	})
	return out, err
}

// Find returns the service with the given ID, or ENOTFOUND when there is
// none or a may not read it.
func (d *Service) Find(ctx context.Context, a *auth.Actor, id int64) (*services.Service, error) {
	if !CanRead(a) {
		return nil, notFound()
	}
	var out *services.Service
	err := d.DB.Read(ctx, func(tx *store.Tx) (err error) {
		if out, err = store.FindService(ctx, tx, id); err != nil {
			return err
		}
		return allow(a, access.Read, out.OrganisationID)
	})
	return out, err
}

// Organisations returns the organisations a may add services to, by name.
func (d *Service) Organisations(ctx context.Context, a *auth.Actor) ([]network.Organisation, error) {
	var out []network.Organisation
	err := d.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ListOrganisations(ctx, tx)
		for _, o := range all {
			if auth.Allowed(a, access.Create, Target(o.ID)) {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

// checkRefs returns EINVALID when the organisation or an area of s does not
// exist.
func checkRefs(ctx context.Context, tx *store.Tx, s *services.Service) error {
	var p []approdo.FieldError
	if _, err := store.FindOrganisation(ctx, tx, s.OrganisationID); approdo.ErrorCode(err) == approdo.ENOTFOUND {
		p = append(p, approdo.FieldError{Field: "organisation_id", Message: "error.field.unknown_reference"})
	} else if err != nil {
		return err
	}
	areas, err := store.ListAreas(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range s.AreaIDs {
		if !slices.ContainsFunc(areas, func(a network.Area) bool { return a.ID == id }) {
			p = append(p, approdo.FieldError{Field: "area_ids", Message: "error.field.unknown_reference"})
			break
		}
	}
	if len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}

// Create checks and stores a new service and sets its ID, UID and version.
// It returns ENOTFOUND when a may not add services to its organisation,
// EINVALID for bad input or unknown references, and ECONFLICT when its UID
// is taken.
func (d *Service) Create(ctx context.Context, a *auth.Actor, s *services.Service) error {
	if !CanCreate(a) {
		return notFound()
	}
	s.Normalize()
	// An organisation the actor may not reach is a field problem when the
	// actor may add services elsewhere, so that the form can say so.
	if s.OrganisationID != 0 && !auth.Allowed(a, access.Create, Target(s.OrganisationID)) {
		return approdo.Invalid(approdo.FieldError{Field: "organisation_id", Message: "error.service.not_your_organisation"})
	}
	if err := services.Check(s); err != nil {
		return err
	}
	return d.DB.Write(ctx, func(tx *store.Tx) error {
		if err := checkRefs(ctx, tx, s); err != nil {
			return err
		}
		if err := store.InsertService(ctx, tx, s); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Create, s.ID, s.Changes(&services.Service{})))
	})
}

// Update stores the new fields of the service s.ID, edited from s.Version,
// and moves s to the stored version. An edit that changes nothing writes
// nothing. It returns ENOTFOUND when there is no such service or a may not
// edit it, EINVALID for bad input, and ECONFLICT ("error.stale_version")
// when the service was edited since s.Version.
func (d *Service) Update(ctx context.Context, a *auth.Actor, s *services.Service) (err error) {
	if !auth.Can(a, access.Update, access.Services) {
		return notFound()
	}
	s.Normalize()
	version := s.Version
	defer func() {
		if err != nil {
			s.Version = version
		}
	}()
	return d.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindService(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		// Authorisation comes before validation: someone who may not edit
		// the service learns nothing from their input.
		if err := allow(a, access.Update, old.OrganisationID); err != nil {
			return err
		}
		if s.OrganisationID != old.OrganisationID && !auth.Allowed(a, access.Update, Target(s.OrganisationID)) {
			return approdo.Invalid(approdo.FieldError{Field: "organisation_id", Message: "error.service.not_your_organisation"})
		}
		s.UID, s.CreatedAt = old.UID, old.CreatedAt
		if err := services.Check(s); err != nil {
			return err
		}
		if s.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, StaleVersion)
		}
		if err := checkRefs(ctx, tx, s); err != nil {
			return err
		}
		fields := old.Changes(s)
		if len(fields) == 0 {
			s.UpdatedAt = old.UpdatedAt
			return nil
		}
		if err := store.UpdateService(ctx, tx, s); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Update, s.ID, fields))
	})
}
