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

// Edits of the network's records by its administrators. Every update names
// the version it was made from and is refused with ECONFLICT when the stored
// record has moved on, so that a concurrent edit is never overwritten.

// staleOrMissing tells apart, after an update that touched no row, a record
// that does not exist (ENOTFOUND) from one edited since the caller read it
// (ECONFLICT). The record is the row of table whose column key holds value;
// table and key are constants of this package, never input.
func staleOrMissing(ctx context.Context, tx *Tx, table, key string, value any) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+key+` = ?`, value).Scan(&n); err != nil {
		return fmt.Errorf("store: unable to look for %s %v: %w", table, value, err)
	}
	if n == 0 {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
}

// FindArea returns the area with the given ID, or ENOTFOUND.
func FindArea(ctx context.Context, tx *Tx, id int64) (*network.Area, error) {
	var a network.Area
	err := scanArea(tx.QueryRow(ctx, `SELECT `+areaColumns+` FROM areas WHERE id = ?`, id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find area %d: %w", id, err)
	}
	return &a, nil
}

// UpdateArea stores a's fields if the stored area is still at a.Version, and
// moves a to the next version. It returns ENOTFOUND for an unknown area,
// ECONFLICT with "error.stale_version" when the area was edited since, and
// ECONFLICT with "error.code_taken" when the new code belongs to another.
func UpdateArea(ctx context.Context, tx *Tx, a *network.Area) error {
	res, err := tx.Exec(ctx, `UPDATE areas SET code = ?, name = ?, region = ?, version = version + 1
		WHERE id = ? AND version = ?`, a.Code, a.Name, a.Region, a.ID, a.Version)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", a.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to update area %d: %w", a.ID, err)
	}
	return bumped(ctx, tx, res, "areas", a.ID, &a.Version)
}

// bumped finishes a versioned update: one row means the record moved to the
// next version, none that it is missing or stale.
func bumped(ctx context.Context, tx *Tx, res sql.Result, table string, id int64, version *int) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to update %s %d: %w", table, id, err)
	}
	if n == 0 {
		return staleOrMissing(ctx, tx, table, "id", id)
	}
	*version++
	return nil
}

// UpdateOrganisation stores o's fields if the stored organisation is still at
// o.Version, and moves o to the next version. It returns ENOTFOUND,
// ECONFLICT ("error.stale_version") or ECONFLICT ("error.code_taken") as
// UpdateArea does.
func UpdateOrganisation(ctx context.Context, tx *Tx, o *network.Organisation) error {
	res, err := tx.Exec(ctx, `UPDATE organisations SET code = ?, name = ?, kind = ?, area_id = ?, version = version + 1
		WHERE id = ? AND version = ?`, o.Code, o.Name, string(o.Kind), nullID(o.AreaID), o.ID, o.Version)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", o.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to update organisation %d: %w", o.ID, err)
	}
	return bumped(ctx, tx, res, "organisations", o.ID, &o.Version)
}

// FindProgramme returns the programme with the given ID with its partners,
// areas and budget lines, or ENOTFOUND.
func FindProgramme(ctx context.Context, tx *Tx, id int64) (*network.Programme, error) {
	var p network.Programme
	err := scanProgramme(tx.QueryRow(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find programme %d: %w", id, err)
	}
	if err := eachPair(ctx, tx, `SELECT programme_id, organisation_id FROM programme_partners
		WHERE programme_id = ? ORDER BY organisation_id`, func(_, org int64) { p.PartnerIDs = append(p.PartnerIDs, org) }, id); err != nil {
		return nil, err
	}
	if err := eachPair(ctx, tx, `SELECT programme_id, area_id FROM programme_areas
		WHERE programme_id = ? ORDER BY area_id`, func(_, area int64) { p.AreaIDs = append(p.AreaIDs, area) }, id); err != nil {
		return nil, err
	}
	ps := []network.Programme{p}
	if err := loadBudgetLines(ctx, tx, ps, map[int64]int{p.ID: 0}); err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// UpdateProgramme stores p's fields, partners, areas and budget lines if the
// stored programme is still at p.Version, and moves p to the next version.
// Budget lines keep their ids: a line of p with the ID of a stored line
// updates it, one without an ID is added, and a stored line p no longer
// holds is removed. It returns ENOTFOUND, ECONFLICT ("error.stale_version")
// or ECONFLICT ("error.code_taken") as UpdateArea does.
func UpdateProgramme(ctx context.Context, tx *Tx, p *network.Programme) error {
	res, err := tx.Exec(ctx, `UPDATE programmes SET code = ?, name = ?, funder = ?, starts_on = ?, ends_on = ?,
		lead_org_id = ?, description = ?, version = version + 1 WHERE id = ? AND version = ?`,
		p.Code, p.Name, p.Funder, p.StartsOn, p.EndsOn, p.LeadOrgID, p.Description, p.ID, p.Version)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", p.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to update programme %d: %w", p.ID, err)
	}
	if err := bumped(ctx, tx, res, "programmes", p.ID, &p.Version); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM programme_partners WHERE programme_id = ?`, `DELETE FROM programme_areas WHERE programme_id = ?`} {
		if _, err := tx.Exec(ctx, q, p.ID); err != nil {
			return fmt.Errorf("store: unable to update the links of programme %d: %w", p.ID, err)
		}
	}
	if err := insertProgrammeLinks(ctx, tx, p); err != nil {
		return err
	}
	return syncBudgetLines(ctx, tx, p)
}

// insertBudgetLines stores the budget lines of a new programme and sets
// their IDs.
func insertBudgetLines(ctx context.Context, tx *Tx, p *network.Programme) error {
	for i := range p.BudgetLines {
		if err := insertBudgetLine(ctx, tx, p.ID, i, &p.BudgetLines[i]); err != nil {
			return err
		}
	}
	return nil
}

// insertBudgetLine stores line l of a programme at position and sets its ID.
func insertBudgetLine(ctx context.Context, tx *Tx, programmeID int64, position int, l *network.BudgetLine) error {
	err := tx.QueryRow(ctx, `INSERT INTO programme_budget_lines (programme_id, position, code, label, amount_cents,
		organisation_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, programmeID, position, l.Code, l.Label,
		l.AmountCents, nullID(l.OrganisationID)).Scan(&l.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", l.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to add budget line to programme %d: %w", programmeID, err)
	}
	return nil
}

// syncBudgetLines makes the stored lines of p what p holds. Lines are first
// given temporary codes, so that two lines may swap codes in one edit
// without tripping the uniqueness of (programme, code).
func syncBudgetLines(ctx context.Context, tx *Tx, p *network.Programme) error {
	stored := map[int64]bool{}
	if err := eachPair(ctx, tx, `SELECT programme_id, id FROM programme_budget_lines WHERE programme_id = ?`,
		func(_, id int64) { stored[id] = true }, p.ID); err != nil {
		return err
	}
	keep := map[int64]bool{}
	for _, l := range p.BudgetLines {
		if l.ID != 0 {
			if !stored[l.ID] {
				return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
			}
			keep[l.ID] = true
		}
	}
	for id := range stored {
		if !keep[id] {
			if _, err := tx.Exec(ctx, `DELETE FROM programme_budget_lines WHERE id = ?`, id); err != nil {
				return fmt.Errorf("store: unable to remove budget line %d: %w", id, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE programme_budget_lines SET code = '#' || CAST(id AS TEXT) WHERE programme_id = ?`, p.ID); err != nil {
		return fmt.Errorf("store: unable to update the budget of programme %d: %w", p.ID, err)
	}
	for i := range p.BudgetLines {
		l := &p.BudgetLines[i]
		if l.ID == 0 {
			if err := insertBudgetLine(ctx, tx, p.ID, i, l); err != nil {
				return err
			}
			continue
		}
		_, err := tx.Exec(ctx, `UPDATE programme_budget_lines SET position = ?, code = ?, label = ?, amount_cents = ?,
			organisation_id = ? WHERE id = ?`, i, l.Code, l.Label, l.AmountCents, nullID(l.OrganisationID), l.ID)
		if IsUniqueViolation(err) {
			return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", l.Code)
		} else if err != nil {
			return fmt.Errorf("store: unable to update budget line %d: %w", l.ID, err)
		}
	}
	return nil
}

// loadBudgetLines adds the budget lines of every programme of ps, whose
// indexes by ID are byID.
func loadBudgetLines(ctx context.Context, tx *Tx, ps []network.Programme, byID map[int64]int) error {
	q := `SELECT programme_id, id, code, label, amount_cents, COALESCE(organisation_id, 0)
		FROM programme_budget_lines ORDER BY programme_id, position, id`
	var args []any
	if len(ps) == 1 {
		q = strings.Replace(q, "ORDER BY", "WHERE programme_id = ? ORDER BY", 1)
		args = append(args, ps[0].ID)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: unable to list budget lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var prog int64
		var l network.BudgetLine
		if err := rows.Scan(&prog, &l.ID, &l.Code, &l.Label, &l.AmountCents, &l.OrganisationID); err != nil {
			return fmt.Errorf("store: unable to read budget line: %w", err)
		}
		if i, ok := byID[prog]; ok {
			ps[i].BudgetLines = append(ps[i].BudgetLines, l)
		}
	}
	return rows.Err()
}

// UpdateUser stores u's profile, organisation, roles and areas if the
// stored user is still at u.Version, and moves u to the next version. The
// username, password and whether the user is active are left alone. It
// returns ENOTFOUND or ECONFLICT ("error.stale_version").
func UpdateUser(ctx context.Context, tx *Tx, u *network.User) error {
	res, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, email = ?, organisation_id = ?, profession = ?,
		languages = ?, locale = ?, version = version + 1 WHERE id = ? AND version = ?`,
		u.DisplayName, u.Email, u.OrganisationID, u.Profession, strings.Join(u.Languages, ","), u.Locale, u.ID, u.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update user %d: %w", u.ID, err)
	}
	if err := bumped(ctx, tx, res, "users", u.ID, &u.Version); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM user_roles WHERE user_id = ?`, `DELETE FROM user_areas WHERE user_id = ?`} {
		if _, err := tx.Exec(ctx, q, u.ID); err != nil {
			return fmt.Errorf("store: unable to update the roles and areas of user %d: %w", u.ID, err)
		}
	}
	return insertUserLinks(ctx, tx, u)
}

// SetUserActive activates or deactivates the user if they are still at
// version, and returns their new version. It returns ENOTFOUND or ECONFLICT
// ("error.stale_version").
func SetUserActive(ctx context.Context, tx *Tx, id int64, version int, active bool) (int, error) {
	res, err := tx.Exec(ctx, `UPDATE users SET active = ?, version = version + 1 WHERE id = ? AND version = ?`,
		active, id, version)
	if err != nil {
		return 0, fmt.Errorf("store: unable to change whether user %d is active: %w", id, err)
	}
	if err := bumped(ctx, tx, res, "users", id, &version); err != nil {
		return 0, err
	}
	return version, nil
}

// SetUserPassword stores the hash of a user's new password and moves the
// user to their next version. It returns ENOTFOUND for an unknown user.
func SetUserPassword(ctx context.Context, tx *Tx, id int64, hash string) error {
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, version = version + 1 WHERE id = ?`, hash, id)
	if err != nil {
		return fmt.Errorf("store: unable to set the password of user %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to set the password of user %d: %w", id, err)
	}
	if n == 0 {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return nil
}

// UsersWithoutPassword returns the IDs of the users who have not chosen a
// password yet: people invited who have not accepted.
func UsersWithoutPassword(ctx context.Context, tx *Tx) (map[int64]bool, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE password_hash = ''`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list users without a password: %w", err)
	}
	defer rows.Close()
	ids := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: unable to read user: %w", err)
		}
		ids[id] = true
	}
	return ids, rows.Err()
}

// UserAreaIDs returns the areas of every user who has some, by user ID.
func UserAreaIDs(ctx context.Context, tx *Tx) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	err := eachPair(ctx, tx, `SELECT user_id, area_id FROM user_areas ORDER BY user_id, area_id`, func(u, a int64) {
		out[u] = append(out[u], a)
	})
	return out, err
}

// CountAdministrators returns how many active users who have chosen a
// password hold a role that lets them change roles across the network, that
// is, who could undo a change that locks everybody else out.
func CountAdministrators(ctx context.Context, tx *Tx) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(DISTINCT u.id) FROM users u
		JOIN user_roles ur ON ur.user_id = u.id
		JOIN role_permissions p ON p.role = ur.role
		WHERE u.active AND u.password_hash <> '' AND p.verb = 'update' AND p.resource = 'role' AND p.scope = 'network'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count administrators: %w", err)
	}
	return n, nil
}

// Invitation lets a new user choose their password once, before it
// expires. Only the SHA-256 hash of its token is stored.
type Invitation struct {
	ID        int64
	TokenHash []byte
	UserID    int64
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero while unused
}

// InsertInvitation stores a new invitation and sets its ID.
func InsertInvitation(ctx context.Context, tx *Tx, inv *Invitation) error {
	err := tx.QueryRow(ctx, `INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, inv.TokenHash, inv.UserID, inv.CreatedBy, inv.CreatedAt, inv.ExpiresAt).Scan(&inv.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create an invitation for user %d: %w", inv.UserID, err)
	}
	return nil
}

const invitationColumns = `id, token_hash, user_id, created_by, created_at, expires_at, used_at`

// scanInvitation reads the invitationColumns of a row.
func scanInvitation(row interface{ Scan(...any) error }) (*Invitation, error) {
	var inv Invitation
	var used sql.NullTime
	if err := row.Scan(&inv.ID, &inv.TokenHash, &inv.UserID, &inv.CreatedBy, &inv.CreatedAt, &inv.ExpiresAt, &used); err != nil {
		return nil, err
	}
	if used.Valid {
		inv.UsedAt = used.Time
	}
	return &inv, nil
}

// FindInvitation returns the invitation whose token has the given hash, or
// ENOTFOUND.
func FindInvitation(ctx context.Context, tx *Tx, tokenHash []byte) (*Invitation, error) {
	inv, err := scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find invitation: %w", err)
	}
	return inv, nil
}

// LatestInvitation returns the newest invitation of a user, or ENOTFOUND
// when they were never invited.
func LatestInvitation(ctx context.Context, tx *Tx, userID int64) (*Invitation, error) {
	inv, err := scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the invitation of user %d: %w", userID, err)
	}
	return inv, nil
}

// UseInvitation marks an unused invitation as used at t. It returns
// ENOTFOUND when the invitation is unknown or already used, so that a token
// works once even when two requests race.
func UseInvitation(ctx context.Context, tx *Tx, id int64, t time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL`, t, id)
	if err != nil {
		return fmt.Errorf("store: unable to use invitation %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to use invitation %d: %w", id, err)
	}
	if n == 0 {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return nil
}

// WithdrawInvitations marks every unused invitation of a user as used at t,
// so that only the newest link works.
func WithdrawInvitations(ctx context.Context, tx *Tx, userID int64, t time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE invitations SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, t, userID); err != nil {
		return fmt.Errorf("store: unable to withdraw the invitations of user %d: %w", userID, err)
	}
	return nil
}
