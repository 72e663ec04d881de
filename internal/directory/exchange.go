package directory

import (
	"context"
	"strconv"
	"strings"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/services"
)

// MaxImport is the most services one import may hold.
const MaxImport = 5000

// Export returns the whole directory, inactive services included, as HSDS,
// ordered by name, and records the export in the audit log. It returns
// ENOTFOUND when a may not read the directory.
func (d *Service) Export(ctx context.Context, a *auth.Actor, format string) ([]HSDSService, error) {
	if !CanRead(a) {
		return nil, notFound()
	}
	var out []HSDSService
	err := d.DB.Write(ctx, func(tx *store.Tx) error {
		r, err := loadRefs(ctx, tx)
		if err != nil {
			return err
		}
		list, err := store.ListServices(ctx, tx, services.Filter{Inactive: true, Age: services.AnyAge}, 0, 0)
		if err != nil {
			return err
		}
		out = make([]HSDSService, 0, len(list))
		for i := range list {
			out = append(out, d.toHSDS(&list[i], r))
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Export, 0, []string{"hsds_" + format}))
	})
	return out, err
}

func loadRefs(ctx context.Context, tx *store.Tx) (r refs, err error) {
	if r.orgs, err = store.ListOrganisations(ctx, tx); err != nil {
		return r, err
	}
	r.areas, err = store.ListAreas(ctx, tx)
	return r, err
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Import stores HSDS services in the directory: a service whose id is the
// UID of a stored one replaces it, any other is added. Every row is checked
// before anything is written, and if one is bad nothing is: the EINVALID
// error names each problem as "services.N.FIELD", N counting the services
// from 0. Each service created or changed has its audit entry. It returns
// ENOTFOUND when a may not import the directory.
func (d *Service) Import(ctx context.Context, a *auth.Actor, list []HSDSService) (*ImportResult, error) {
	if !CanExchange(a) {
		return nil, notFound()
	}
	if len(list) == 0 {
		return nil, approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.service.import_empty"})
	}
	if len(list) > MaxImport {
		return nil, approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.field.too_many", Args: []any{MaxImport}})
	}
	res := &ImportResult{}
	err := d.DB.Write(ctx, func(tx *store.Tx) error {
		r, err := loadRefs(ctx, tx)
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		rows := make([]*services.Service, len(list))
		seen := map[string]int{}
		for n := range list {
			prefix := "services." + strconv.Itoa(n) + "."
			s, p := fromHSDS(&list[n], r)
			s.Normalize()
			for _, f := range p {
				f.Field = prefix + f.Field
				problems = append(problems, f)
			}
			if err := services.Check(s); err != nil {
				for _, f := range approdo.ErrorFields(err) {
					if hasField(p, f.Field) {
						continue // already said, more precisely
					}
					// A problem of a nested row names the list: "schedules".
					name, _, _ := strings.Cut(f.Field, ".")
					f.Field = prefix + name
					problems = append(problems, f)
				}
			}
			if s.UID != "" {
				if first, dup := seen[s.UID]; dup {
					problems = append(problems, approdo.FieldError{Field: prefix + "id", Message: "error.service.duplicate_id", Args: []any{first + 1}})
				}
				seen[s.UID] = n
			}
			if s.OrganisationID != 0 && !auth.Allowed(a, access.Manage, Target(s.OrganisationID)) {
				problems = append(problems, approdo.FieldError{Field: prefix + "organisation_id", Message: "error.service.not_your_organisation"})
			}
			rows[n] = s
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		for _, s := range rows {
			old, err := d.stored(ctx, tx, s.UID)
			if err != nil {
				return err
			}
			if old == nil {
				if err := store.InsertService(ctx, tx, s); err != nil {
					return err
				}
				res.Created++
				if err := audit.Append(ctx, tx, entry(ctx, a, audit.Create, s.ID, s.Changes(&services.Service{}))); err != nil {
					return err
				}
				continue
			}
			if err := allow(a, access.Manage, old.OrganisationID); err != nil {
				return err
			}
			s.ID, s.Version, s.CreatedAt = old.ID, old.Version, old.CreatedAt
			fields := old.Changes(s)
			if len(fields) == 0 {
				res.Unchanged++
				continue
			}
			if err := store.UpdateService(ctx, tx, s); err != nil {
				return err
			}
			res.Updated++
			if err := audit.Append(ctx, tx, entry(ctx, a, audit.Update, s.ID, fields)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// stored returns the stored service with the given UID, or nil.
func (d *Service) stored(ctx context.Context, tx *store.Tx, uid string) (*services.Service, error) {
	if uid == "" {
		return nil, nil
	}
	s, err := store.FindServiceByUID(ctx, tx, uid)
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return nil, nil
	}
	return s, err
}

func hasField(p []approdo.FieldError, field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}
