package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/services"
)

const serviceColumns = `id, uid, organisation_id, name, alternate_name, description, url, email, service_types,
	case_kinds, eligibility, min_age, max_age, interpretation_services, application_process, fees_description,
	response_days, status, version, created_at, updated_at`

func scanService(row interface{ Scan(...any) error }, s *services.Service) error {
	var types, kinds, status string
	var minAge, maxAge sql.NullInt64
	if err := row.Scan(&s.ID, &s.UID, &s.OrganisationID, &s.Name, &s.AlternateName, &s.Description, &s.URL, &s.Email,
		&types, &kinds, &s.Eligibility, &minAge, &maxAge, &s.Interpretation, &s.ApplicationProcess, &s.Fees,
		&s.ResponseDays, &status, &s.Version, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return err
	}
	s.Types = splitServiceCodes(types)
	s.CaseKinds = nil
	for _, k := range splitServiceCodes(kinds) {
		s.CaseKinds = append(s.CaseKinds, cases.Kind(k))
	}
	s.MinAge, s.MaxAge = ageFromNull(minAge), ageFromNull(maxAge)
	s.Active = status == "active"
	return nil
}

func splitServiceCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinServiceKinds(kinds []cases.Kind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}

func ageFromNull(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func ageOrNull(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

// newServiceUID returns a random (version 4) UUID, the HSDS identifier of a new
// service.
func newServiceUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// InsertService stores a new service with its areas, languages, schedules,
// required documents and contacts, and sets its ID, UID (when empty),
// version and times. It returns ECONFLICT ("error.service.uid_taken") when
// another service has the same UID.
func InsertService(ctx context.Context, tx *Tx, s *services.Service) error {
	if s.UID == "" {
		s.UID = newServiceUID()
	}
	now := time.Now().UTC()
	s.CreatedAt, s.UpdatedAt, s.Version = now, now, 1
	err := tx.QueryRow(ctx, `INSERT INTO services (uid, organisation_id, name, alternate_name, description, url, email,
		service_types, case_kinds, eligibility, min_age, max_age, interpretation_services, application_process,
		fees_description, response_days, status, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.UID, s.OrganisationID, s.Name, s.AlternateName, s.Description, s.URL, s.Email, strings.Join(s.Types, ","),
		joinServiceKinds(s.CaseKinds), s.Eligibility, ageOrNull(s.MinAge), ageOrNull(s.MaxAge), s.Interpretation,
		s.ApplicationProcess, s.Fees, s.ResponseDays, s.Status(), s.Version, s.CreatedAt, s.UpdatedAt).Scan(&s.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.service.uid_taken", s.UID)
	} else if err != nil {
		return fmt.Errorf("store: unable to create service %q: %w", s.Name, err)
	}
	return insertServiceRows(ctx, tx, s)
}

// UpdateService stores s's fields and rows if the stored service is still
// at s.Version, and moves s to the next version. It returns ENOTFOUND when
// the service does not exist and ECONFLICT ("error.stale_version") when it
// was changed since s.Version.
func UpdateService(ctx context.Context, tx *Tx, s *services.Service) error {
	s.UpdatedAt = time.Now().UTC()
	res, err := tx.Exec(ctx, `UPDATE services SET organisation_id = ?, name = ?, alternate_name = ?, description = ?,
		url = ?, email = ?, service_types = ?, case_kinds = ?, eligibility = ?, min_age = ?, max_age = ?,
		interpretation_services = ?, application_process = ?, fees_description = ?, response_days = ?, status = ?,
		updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		s.OrganisationID, s.Name, s.AlternateName, s.Description, s.URL, s.Email, strings.Join(s.Types, ","),
		joinServiceKinds(s.CaseKinds), s.Eligibility, ageOrNull(s.MinAge), ageOrNull(s.MaxAge), s.Interpretation,
		s.ApplicationProcess, s.Fees, s.ResponseDays, s.Status(), s.UpdatedAt, s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update service %d: %w", s.ID, err)
	}
	if err := bumped(ctx, tx, res, "services", s.ID, &s.Version); err != nil {
		return err
	}
	for _, table := range []string{"service_areas", "service_languages", "service_schedules", "service_documents", "service_contacts"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE service_id = ?`, s.ID); err != nil {
			return fmt.Errorf("store: unable to clear %s of service %d: %w", table, s.ID, err)
		}
	}
	return insertServiceRows(ctx, tx, s)
}

func insertServiceRows(ctx context.Context, tx *Tx, s *services.Service) error {
	fail := func(what string, err error) error {
		return fmt.Errorf("store: unable to store the %s of service %d: %w", what, s.ID, err)
	}
	for _, a := range s.AreaIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO service_areas (service_id, area_id) VALUES (?, ?)`, s.ID, a); err != nil {
			return fail("areas", err)
		}
	}
	for _, l := range s.Languages {
		if _, err := tx.Exec(ctx, `INSERT INTO service_languages (service_id, code) VALUES (?, ?)`, s.ID, l); err != nil {
			return fail("languages", err)
		}
	}
	for n, x := range s.Schedules {
		if _, err := tx.Exec(ctx, `INSERT INTO service_schedules (service_id, position, byday, opens_at, closes_at, description)
			VALUES (?, ?, ?, ?, ?, ?)`, s.ID, n, strings.Join(x.Days, ","), x.OpensAt, x.ClosesAt, x.Description); err != nil {
			return fail("schedules", err)
		}
	}
	for n, d := range s.RequiredDocuments {
		if _, err := tx.Exec(ctx, `INSERT INTO service_documents (service_id, position, document) VALUES (?, ?, ?)`,
			s.ID, n, d); err != nil {
			return fail("required documents", err)
		}
	}
	for n, c := range s.Contacts {
		if _, err := tx.Exec(ctx, `INSERT INTO service_contacts (service_id, position, name, title, phone, email)
			VALUES (?, ?, ?, ?, ?, ?)`, s.ID, n, c.Name, c.Title, c.Phone, c.Email); err != nil {
			return fail("contacts", err)
		}
	}
	return nil
}

// FindService returns the service with the given ID with its areas,
// languages, schedules, required documents and contacts, or ENOTFOUND.
func FindService(ctx context.Context, tx *Tx, id int64) (*services.Service, error) {
	var s services.Service
	err := scanService(tx.QueryRow(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = ?`, id), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find service %d: %w", id, err)
	}
	list := []services.Service{s}
	if err := loadServiceRows(ctx, tx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// FindServiceByUID returns the service with the given HSDS identifier with
// its rows, or ENOTFOUND.
func FindServiceByUID(ctx context.Context, tx *Tx, uid string) (*services.Service, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM services WHERE uid = ?`, uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find service %q: %w", uid, err)
	}
	return FindService(ctx, tx, id)
}

// OrganisationOffers reports whether the organisation orgID has an active
// service that meets the need serviceType (a code of services.Types).
func OrganisationOffers(ctx context.Context, tx *Tx, orgID int64, serviceType string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM services WHERE organisation_id = ? AND status = 'active'
		AND (',' || service_types || ',') LIKE ? ESCAPE '\'`, orgID, "%,"+escapeServiceLike(serviceType)+",%").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: unable to look for services of organisation %d: %w", orgID, err)
	}
	return n > 0, nil
}

func escapeServiceLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListServices returns the services f selects with their rows, ordered by
// name, at most limit of them after skipping offset (limit 0: all).
func ListServices(ctx context.Context, tx *Tx, f services.Filter, limit, offset int) ([]services.Service, error) {
	var where []string
	var args []any
	if !f.Inactive {
		where = append(where, `status = 'active'`)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		p := "%" + escapeServiceLike(strings.ToLower(t)) + "%"
		where = append(where, `(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(alternate_name) LIKE ? ESCAPE '\'
			OR LOWER(description) LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p)
	}
	if f.Type != "" {
		where = append(where, `(',' || service_types || ',') LIKE ? ESCAPE '\'`)
		args = append(args, "%,"+escapeServiceLike(f.Type)+",%")
	}
	if f.CaseKind != "" {
		where = append(where, `(case_kinds = '' OR (',' || case_kinds || ',') LIKE ? ESCAPE '\')`)
		args = append(args, "%,"+escapeServiceLike(string(f.CaseKind))+",%")
	}
	if f.AreaID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM service_areas a WHERE a.service_id = services.id AND a.area_id = ?)`)
		args = append(args, f.AreaID)
	}
	if f.Language != "" {
		lang := `EXISTS (SELECT 1 FROM service_languages l WHERE l.service_id = services.id AND l.code = ?)`
		if f.Interpretation {
			lang = `(` + lang + ` OR interpretation_services <> '')`
		}
		where = append(where, lang)
		args = append(args, f.Language)
	}
	if f.Age >= 0 {
		where = append(where, `(min_age IS NULL OR min_age <= ?) AND (max_age IS NULL OR max_age >= ?)`)
		args = append(args, f.Age, f.Age)
	}
	if f.OrganisationID != 0 {
		where = append(where, `organisation_id = ?`)
		args = append(args, f.OrganisationID)
	}
	q := `SELECT ` + serviceColumns + ` FROM services`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY name, id`
	if limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list services: %w", err)
	}
	defer rows.Close()
	var out []services.Service
	for rows.Next() {
		var s services.Service
		if err := scanService(rows, &s); err != nil {
			return nil, fmt.Errorf("store: unable to read a service: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to list services: %w", err)
	}
	return out, loadServiceRows(ctx, tx, out)
}

// loadServiceRows fills in the areas, languages, schedules, required
// documents and contacts of list, a few hundred services at a time.
func loadServiceRows(ctx context.Context, tx *Tx, list []services.Service) error {
	const chunk = 400
	for start := 0; start < len(list); start += chunk {
		part := list[start:min(start+chunk, len(list))]
		byID := make(map[int64]*services.Service, len(part))
		ids := make([]any, len(part))
		for i := range part {
			byID[part[i].ID], ids[i] = &part[i], part[i].ID
		}
		in := `service_id IN (` + placeholders(len(ids)) + `)`
		each := func(what, q string, scan func(rows *sql.Rows) error) error {
			rows, err := tx.Query(ctx, q, ids...)
			if err != nil {
				return fmt.Errorf("store: unable to read the %s of services: %w", what, err)
			}
			defer rows.Close()
			for rows.Next() {
				if err := scan(rows); err != nil {
					return fmt.Errorf("store: unable to read the %s of services: %w", what, err)
				}
			}
			return rows.Err()
		}
		var id int64
		if err := each("areas", `SELECT service_id, area_id FROM service_areas WHERE `+in+` ORDER BY service_id, area_id`,
			func(rows *sql.Rows) error {
				var a int64
				if err := rows.Scan(&id, &a); err != nil {
					return err
				}
				byID[id].AreaIDs = append(byID[id].AreaIDs, a)
				return nil
			}); err != nil {
			return err
		}
		if err := each("languages", `SELECT service_id, code FROM service_languages WHERE `+in+` ORDER BY service_id, code`,
			func(rows *sql.Rows) error {
				var c string
				if err := rows.Scan(&id, &c); err != nil {
					return err
				}
				byID[id].Languages = append(byID[id].Languages, c)
				return nil
			}); err != nil {
			return err
		}
		if err := each("schedules", `SELECT service_id, byday, opens_at, closes_at, description FROM service_schedules
			WHERE `+in+` ORDER BY service_id, position`, func(rows *sql.Rows) error {
			var x services.Schedule
			var days string
			if err := rows.Scan(&id, &days, &x.OpensAt, &x.ClosesAt, &x.Description); err != nil {
				return err
			}
			x.Days = splitServiceCodes(days)
			byID[id].Schedules = append(byID[id].Schedules, x)
			return nil
		}); err != nil {
			return err
		}
		if err := each("required documents", `SELECT service_id, document FROM service_documents WHERE `+in+`
			ORDER BY service_id, position`, func(rows *sql.Rows) error {
			var d string
			if err := rows.Scan(&id, &d); err != nil {
				return err
			}
			byID[id].RequiredDocuments = append(byID[id].RequiredDocuments, d)
			return nil
		}); err != nil {
			return err
		}
		if err := each("contacts", `SELECT service_id, name, title, phone, email FROM service_contacts WHERE `+in+`
			ORDER BY service_id, position`, func(rows *sql.Rows) error {
			var c services.Contact
			if err := rows.Scan(&id, &c.Name, &c.Title, &c.Phone, &c.Email); err != nil {
				return err
			}
			byID[id].Contacts = append(byID[id].Contacts, c)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
