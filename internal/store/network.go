package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/network"
)

// InsertArea stores a new area and sets its ID and version. It returns
// ECONFLICT when the code is taken.
func InsertArea(ctx context.Context, tx *Tx, a *network.Area) error {
	a.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO areas (code, name, region, version) VALUES (?, ?, ?, ?) RETURNING id`,
		a.Code, a.Name, a.Region, a.Version).Scan(&a.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", a.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to create area %q: %w", a.Code, err)
	}
	return nil
}

const areaColumns = `id, code, name, region, version`

func scanArea(row interface{ Scan(...any) error }, a *network.Area) error {
	return row.Scan(&a.ID, &a.Code, &a.Name, &a.Region, &a.Version)
}

// ListAreas returns every area ordered by region and name.
func ListAreas(ctx context.Context, tx *Tx) ([]network.Area, error) {
	rows, err := tx.Query(ctx, `SELECT `+areaColumns+` FROM areas ORDER BY region, name`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list areas: %w", err)
	}
	defer rows.Close()
	var as []network.Area
	for rows.Next() {
		var a network.Area
		if err := scanArea(rows, &a); err != nil {
			return nil, fmt.Errorf("store: unable to read area: %w", err)
		}
		as = append(as, a)
	}
	return as, rows.Err()
}

// InsertOrganisation stores a new organisation and sets its ID, creation time
// and version. It returns ECONFLICT when the code is taken.
func InsertOrganisation(ctx context.Context, tx *Tx, o *network.Organisation) error {
	o.CreatedAt, o.Version = time.Now().UTC(), 1
	err := tx.QueryRow(ctx, `INSERT INTO organisations (code, name, kind, area_id, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		o.Code, o.Name, string(o.Kind), nullID(o.AreaID), o.CreatedAt, o.Version).Scan(&o.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", o.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to create organisation %q: %w", o.Code, err)
	}
	return nil
}

const organisationColumns = `id, code, name, kind, COALESCE(area_id, 0), created_at, version`

func scanOrganisation(row interface{ Scan(...any) error }, o *network.Organisation) error {
	var kind string
	if err := row.Scan(&o.ID, &o.Code, &o.Name, &kind, &o.AreaID, &o.CreatedAt, &o.Version); err != nil {
		return err
	}
	o.Kind = network.Kind(kind)
	return nil
}

// ListOrganisations returns every organisation ordered by name.
func ListOrganisations(ctx context.Context, tx *Tx) ([]network.Organisation, error) {
	rows, err := tx.Query(ctx, `SELECT `+organisationColumns+` FROM organisations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list organisations: %w", err)
	}
	defer rows.Close()
	var os []network.Organisation
	for rows.Next() {
		var o network.Organisation
		if err := scanOrganisation(rows, &o); err != nil {
			return nil, fmt.Errorf("store: unable to read organisation: %w", err)
		}
		os = append(os, o)
	}
	return os, rows.Err()
}

// FindOrganisation returns the organisation with the given ID, or ENOTFOUND.
func FindOrganisation(ctx context.Context, tx *Tx, id int64) (*network.Organisation, error) {
	var o network.Organisation
	err := scanOrganisation(tx.QueryRow(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE id = ?`, id), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find organisation %d: %w", id, err)
	}
	return &o, nil
}

// InsertProgramme stores a new programme with its partners and areas and sets
// its ID. It returns ECONFLICT when the code is taken.
func InsertProgramme(ctx context.Context, tx *Tx, p *network.Programme) error {
	p.CreatedAt, p.Version = time.Now().UTC(), 1
	err := tx.QueryRow(ctx, `INSERT INTO programmes (code, name, funder, starts_on, ends_on, lead_org_id,
		description, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Code, p.Name, p.Funder, p.StartsOn, p.EndsOn, p.LeadOrgID, p.Description, p.CreatedAt, p.Version).Scan(&p.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", p.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to create programme %q: %w", p.Code, err)
	}
	if err := insertProgrammeLinks(ctx, tx, p); err != nil {
		return err
	}
	return insertBudgetLines(ctx, tx, p)
}

// insertProgrammeLinks stores the partners and areas of p, which has none
// stored.
func insertProgrammeLinks(ctx context.Context, tx *Tx, p *network.Programme) error {
	for _, org := range p.PartnerIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO programme_partners (programme_id, organisation_id) VALUES (?, ?)`, p.ID, org); err != nil {
			return fmt.Errorf("store: unable to add partner %d to programme %d: %w", org, p.ID, err)
		}
	}
	for _, area := range p.AreaIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO programme_areas (programme_id, area_id) VALUES (?, ?)`, p.ID, area); err != nil {
			return fmt.Errorf("store: unable to add area %d to programme %d: %w", area, p.ID, err)
		}
	}
	return nil
}

const programmeColumns = `id, code, name, funder, starts_on, ends_on, lead_org_id, description, created_at, version`

func scanProgramme(row interface{ Scan(...any) error }, p *network.Programme) error {
	return row.Scan(&p.ID, &p.Code, &p.Name, &p.Funder, &p.StartsOn, &p.EndsOn, &p.LeadOrgID,
		&p.Description, &p.CreatedAt, &p.Version)
}

// ListProgrammes returns every programme with its partners, areas and budget
// lines, ordered by start date, newest first.
func ListProgrammes(ctx context.Context, tx *Tx) ([]network.Programme, error) {
	rows, err := tx.Query(ctx, `SELECT `+programmeColumns+` FROM programmes ORDER BY starts_on DESC, name`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list programmes: %w", err)
	}
	var ps []network.Programme
	byID := map[int64]int{}
	for rows.Next() {
		var p network.Programme
		if err := scanProgramme(rows, &p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read programme: %w", err)
		}
		byID[p.ID] = len(ps)
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to list programmes: %w", err)
	}
	links := []struct {
		query string
		add   func(p *network.Programme, id int64)
	}{
		{`SELECT programme_id, organisation_id FROM programme_partners ORDER BY programme_id, organisation_id`,
			func(p *network.Programme, id int64) { p.PartnerIDs = append(p.PartnerIDs, id) }},
		{`SELECT programme_id, area_id FROM programme_areas ORDER BY programme_id, area_id`,
			func(p *network.Programme, id int64) { p.AreaIDs = append(p.AreaIDs, id) }},
	}
	for _, l := range links {
		if err := eachPair(ctx, tx, l.query, func(prog, id int64) {
			if i, ok := byID[prog]; ok {
				l.add(&ps[i], id)
			}
		}); err != nil {
			return nil, err
		}
	}
	return ps, loadBudgetLines(ctx, tx, ps, byID)
}

// eachPair calls fn for every row of a two-column integer query run with
// args.
func eachPair(ctx context.Context, tx *Tx, query string, fn func(a, b int64), args ...any) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: unable to run %q: %w", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return fmt.Errorf("store: unable to read %q: %w", query, err)
		}
		fn(a, b)
	}
	return rows.Err()
}

// InsertUser stores a new user with roles, areas and password hash, and sets
// its ID. It returns ECONFLICT when the username is taken.
func InsertUser(ctx context.Context, tx *Tx, u *network.User, passwordHash string) error {
	u.CreatedAt, u.Version = time.Now().UTC(), 1
	if u.Locale == "" {
		u.Locale = "it"
	}
	err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, email, organisation_id, profession,
		languages, locale, password_hash, active, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Username, u.DisplayName, u.Email, u.OrganisationID, u.Profession, strings.Join(u.Languages, ","),
		u.Locale, passwordHash, u.Active, u.CreatedAt, u.Version).Scan(&u.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.username_taken", u.Username)
	} else if err != nil {
		return fmt.Errorf("store: unable to create user: %w", err)
	}
	return insertUserLinks(ctx, tx, u)
}

// insertUserLinks stores the roles and areas of u, who has none stored.
func insertUserLinks(ctx context.Context, tx *Tx, u *network.User) error {
	for _, r := range u.Roles {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("store: unable to give role %s to user %d: %w", r, u.ID, err)
		}
	}
	for _, a := range u.AreaIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO user_areas (user_id, area_id) VALUES (?, ?)`, u.ID, a); err != nil {
			return fmt.Errorf("store: unable to add area %d to user %d: %w", a, u.ID, err)
		}
	}
	return nil
}

const userColumns = `id, username, display_name, email, organisation_id, profession, languages, locale,
	active, created_at, version`

// scanUser reads the userColumns of a row into u, and the columns selected
// after them into extra.
func scanUser(row interface{ Scan(...any) error }, u *network.User, extra ...any) error {
	var langs string
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Email, &u.OrganisationID, &u.Profession,
		&langs, &u.Locale, &u.Active, &u.CreatedAt, &u.Version}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if langs != "" {
		u.Languages = strings.Split(langs, ",")
	}
	return nil
}

// FindUser returns the user with the given ID, with roles and areas, or
// ENOTFOUND.
func FindUser(ctx context.Context, tx *Tx, id int64) (*network.User, error) {
	var u network.User
	err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find user %d: %w", id, err)
	}
	return &u, loadUserLinks(ctx, tx, &u)
}

// FindUserCredentials returns the user with the given username and the hash
// of their password, or ENOTFOUND.
func FindUserCredentials(ctx context.Context, tx *Tx, username string) (*network.User, string, error) {
	var u network.User
	var hash string
	err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, username), &u, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, "", fmt.Errorf("store: unable to find user credentials: %w", err)
	}
	return &u, hash, loadUserLinks(ctx, tx, &u)
}

// loadUserLinks reads the roles and areas of u.
func loadUserLinks(ctx context.Context, tx *Tx, u *network.User) error {
	rows, err := tx.Query(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, u.ID)
	if err != nil {
		return fmt.Errorf("store: unable to read roles of user %d: %w", u.ID, err)
	}
	u.Roles = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return fmt.Errorf("store: unable to read role: %w", err)
		}
		u.Roles = append(u.Roles, network.Role(r))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to read roles of user %d: %w", u.ID, err)
	}
	rows, err = tx.Query(ctx, `SELECT area_id FROM user_areas WHERE user_id = ? ORDER BY area_id`, u.ID)
	if err != nil {
		return fmt.Errorf("store: unable to read areas of user %d: %w", u.ID, err)
	}
	defer rows.Close()
	u.AreaIDs = nil
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			return fmt.Errorf("store: unable to read area: %w", err)
		}
		u.AreaIDs = append(u.AreaIDs, a)
	}
	return rows.Err()
}

// ListUsers returns every user ordered by organisation and name, with roles.
func ListUsers(ctx context.Context, tx *Tx) ([]network.User, error) {
	rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY organisation_id, display_name`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list users: %w", err)
	}
	var us []network.User
	byID := map[int64]int{}
	for rows.Next() {
		var u network.User
		if err := scanUser(rows, &u); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read user: %w", err)
		}
		byID[u.ID] = len(us)
		us = append(us, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roles, err := tx.Query(ctx, `SELECT user_id, role FROM user_roles ORDER BY user_id, role`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list roles: %w", err)
	}
	defer roles.Close()
	for roles.Next() {
		var id int64
		var r string
		if err := roles.Scan(&id, &r); err != nil {
			return nil, fmt.Errorf("store: unable to read role: %w", err)
		}
		if i, ok := byID[id]; ok {
			us[i].Roles = append(us[i].Roles, network.Role(r))
		}
	}
	return us, roles.Err()
}

// CountUsers returns how many users the database holds.
func CountUsers(ctx context.Context, tx *Tx) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count users: %w", err)
	}
	return n, nil
}

// nullID writes an optional reference: NULL for none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SetUserLocale records the interface language a user chose.
func SetUserLocale(ctx context.Context, tx *Tx, userID int64, locale string) error {
	if _, err := tx.Exec(ctx, `UPDATE users SET locale = ? WHERE id = ?`, locale, userID); err != nil {
		return fmt.Errorf("store: unable to set the locale of user %d: %w", userID, err)
	}
	return nil
}
