package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/mediation"
)

// InsertMediator stores a new mediator profile with its languages, areas and
// slots, and sets its ID and version. It returns ECONFLICT
// ("error.mediation.profile_exists") when the user has a profile already.
func InsertMediator(ctx context.Context, tx *Tx, m *mediation.Mediator) error {
	m.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO mediators (user_id, gender, dialects, availability_notes, active, created_at,
		updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.UserID, string(m.Gender), m.Dialects, m.AvailabilityNotes, m.Active, m.CreatedAt.UTC(), m.UpdatedAt.UTC(),
		m.Version).Scan(&m.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.mediation.profile_exists")
	} else if err != nil {
		return fmt.Errorf("store: unable to create the mediator profile of user %d: %w", m.UserID, err)
	}
	if err := replaceMediatorLinks(ctx, tx, m, true); err != nil {
		return err
	}
	return replaceMediatorSlots(ctx, tx, m)
}

// UpdateMediator saves the whole profile m, provided it is still at
// version, and bumps its version. It returns ECONFLICT
// ("error.stale_version") when someone saved the profile since.
func UpdateMediator(ctx context.Context, tx *Tx, m *mediation.Mediator, version int) error {
	res, err := tx.Exec(ctx, `UPDATE mediators SET gender = ?, dialects = ?, availability_notes = ?, active = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(m.Gender), m.Dialects, m.AvailabilityNotes, m.Active, m.UpdatedAt.UTC(), m.ID, version)
	if err := changedOne(res, err, "update mediator", m.ID); err != nil {
		return err
	}
	m.Version = version + 1
	if err := replaceMediatorLinks(ctx, tx, m, false); err != nil {
		return err
	}
	return replaceMediatorSlots(ctx, tx, m)
}

// UpdateMediatorAvailability saves the slots and availability notes of m
// alone, provided it is still at version, and bumps its version. It
// returns ECONFLICT ("error.stale_version") when someone saved the profile
// since.
func UpdateMediatorAvailability(ctx context.Context, tx *Tx, m *mediation.Mediator, version int) error {
	res, err := tx.Exec(ctx, `UPDATE mediators SET availability_notes = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, m.AvailabilityNotes, m.UpdatedAt.UTC(), m.ID, version)
	if err := changedOne(res, err, "update the availability of mediator", m.ID); err != nil {
		return err
	}
	m.Version = version + 1
	return replaceMediatorSlots(ctx, tx, m)
}

// changedOne turns the result of an UPDATE guarded by a version into
// ECONFLICT when it changed no row.
func changedOne(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return fmt.Errorf("store: unable to %s %d: %w", what, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to %s %d: %w", what, id, err)
	}
	if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	return nil
}

func replaceMediatorLinks(ctx context.Context, tx *Tx, m *mediation.Mediator, fresh bool) error {
	if !fresh {
		for _, table := range []string{"mediator_languages", "mediator_areas"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE mediator_id = ?`, m.ID); err != nil {
				return fmt.Errorf("store: unable to clear %s of mediator %d: %w", table, m.ID, err)
			}
		}
	}
	for _, l := range m.Languages {
		if _, err := tx.Exec(ctx, `INSERT INTO mediator_languages (mediator_id, language) VALUES (?, ?)`, m.ID, l); err != nil {
			return fmt.Errorf("store: unable to add language %s to mediator %d: %w", l, m.ID, err)
		}
	}
	for _, a := range m.AreaIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO mediator_areas (mediator_id, area_id) VALUES (?, ?)`, m.ID, a); err != nil {
			return fmt.Errorf("store: unable to add area %d to mediator %d: %w", a, m.ID, err)
		}
	}
	return nil
}

func replaceMediatorSlots(ctx context.Context, tx *Tx, m *mediation.Mediator) error {
	if _, err := tx.Exec(ctx, `DELETE FROM mediator_slots WHERE mediator_id = ?`, m.ID); err != nil {
		return fmt.Errorf("store: unable to clear the slots of mediator %d: %w", m.ID, err)
	}
	for _, s := range m.Slots {
		if _, err := tx.Exec(ctx, `INSERT INTO mediator_slots (mediator_id, weekday, from_minute, to_minute) VALUES (?, ?, ?, ?)`,
			m.ID, s.Weekday, s.From, s.To); err != nil {
			return fmt.Errorf("store: unable to add a slot to mediator %d: %w", m.ID, err)
		}
	}
	return nil
}

const mediatorColumns = `id, user_id, gender, dialects, availability_notes, active, created_at, updated_at, version`

func scanMediator(row interface{ Scan(...any) error }, m *mediation.Mediator) error {
	var gender string
	if err := row.Scan(&m.ID, &m.UserID, &gender, &m.Dialects, &m.AvailabilityNotes, &m.Active, &m.CreatedAt,
		&m.UpdatedAt, &m.Version); err != nil {
		return err
	}
	m.Gender = mediation.Gender(gender)
	return nil
}

// FindMediator returns mediator profile id with its languages, areas and
// slots, or ENOTFOUND.
func FindMediator(ctx context.Context, tx *Tx, id int64) (*mediation.Mediator, error) {
	return findMediator(ctx, tx, `id = ?`, id)
}

// FindMediatorOfUser returns the mediator profile of user userID, or
// ENOTFOUND when they have none.
func FindMediatorOfUser(ctx context.Context, tx *Tx, userID int64) (*mediation.Mediator, error) {
	return findMediator(ctx, tx, `user_id = ?`, userID)
}

func findMediator(ctx context.Context, tx *Tx, where string, arg int64) (*mediation.Mediator, error) {
	var m mediation.Mediator
	err := scanMediator(tx.QueryRow(ctx, `SELECT `+mediatorColumns+` FROM mediators WHERE `+where, arg), &m)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find a mediator: %w", err)
	}
	list := []mediation.Mediator{m}
	if err := loadMediatorLinks(ctx, tx, list, `WHERE mediator_id = ?`, m.ID); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// LockMediator makes the transaction the only one that books mediator id
// until it ends: on PostgreSQL by locking the mediator's row, so that two
// assignments of one mediator to overlapping times cannot both check
// before either writes; SQLite has one writer at a time already.
func LockMediator(ctx context.Context, tx *Tx, id int64) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT id FROM mediators WHERE id = ? FOR UPDATE`, id); err != nil {
		return fmt.Errorf("store: unable to lock mediator %d: %w", id, err)
	}
	return nil
}

// MediatorFilter chooses the profiles of the registry: those who speak a
// language, serve an area, or take bookings. A zero filter lists all.
type MediatorFilter struct {
	Language   string
	AreaID     int64
	ActiveOnly bool
}

// ListMediators returns the profiles that pass f with their languages,
// areas and slots, in the order they were added.
func ListMediators(ctx context.Context, tx *Tx, f MediatorFilter) ([]mediation.Mediator, error) {
	where, args := "1 = 1", []any{}
	if f.Language != "" {
		where += " AND id IN (SELECT mediator_id FROM mediator_languages WHERE language = ?)"
		args = append(args, f.Language)
	}
	if f.AreaID != 0 {
		where += " AND id IN (SELECT mediator_id FROM mediator_areas WHERE area_id = ?)"
		args = append(args, f.AreaID)
	}
	if f.ActiveOnly {
		where += " AND active = TRUE"
	}
	rows, err := tx.Query(ctx, `SELECT `+mediatorColumns+` FROM mediators WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list mediators: %w", err)
	}
	var out []mediation.Mediator
	for rows.Next() {
		var m mediation.Mediator
		if err := scanMediator(rows, &m); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a mediator: %w", err)
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, loadMediatorLinks(ctx, tx, out, "")
}

// loadMediatorLinks fills the languages, areas and slots of list, reading
// the rows that pass where (with args), or every row when where is "".
func loadMediatorLinks(ctx context.Context, tx *Tx, list []mediation.Mediator, where string, args ...any) error {
	byID := map[int64]*mediation.Mediator{}
	for i := range list {
		byID[list[i].ID] = &list[i]
		list[i].Languages, list[i].AreaIDs, list[i].Slots = nil, nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT mediator_id, language FROM mediator_languages `+where+` ORDER BY mediator_id, language`, args...)
	if err != nil {
		return fmt.Errorf("store: unable to read the languages of mediators: %w", err)
	}
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			rows.Close()
			return fmt.Errorf("store: unable to read a mediator's language: %w", err)
		}
		if m := byID[id]; m != nil {
			m.Languages = append(m.Languages, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	err = eachPair(ctx, tx, `SELECT mediator_id, area_id FROM mediator_areas `+where+` ORDER BY mediator_id, area_id`,
		func(id, area int64) {
			if m := byID[id]; m != nil {
				m.AreaIDs = append(m.AreaIDs, area)
			}
		}, args...)
	if err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT mediator_id, weekday, from_minute, to_minute FROM mediator_slots `+where+
		` ORDER BY mediator_id, weekday, from_minute`, args...)
	if err != nil {
		return fmt.Errorf("store: unable to read the slots of mediators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s mediation.Slot
		if err := rows.Scan(&id, &s.Weekday, &s.From, &s.To); err != nil {
			return fmt.Errorf("store: unable to read a mediator's slot: %w", err)
		}
		if m := byID[id]; m != nil {
			m.Slots = append(m.Slots, s)
		}
	}
	return rows.Err()
}

// InsertBooking records a new requested booking and sets its ID, state and
// version. Its place and notes must already be sealed.
func InsertBooking(ctx context.Context, tx *Tx, b *mediation.Booking) error {
	if b.State == "" {
		b.State = mediation.Requested
	}
	b.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO mediation_bookings (case_id, requested_by, requester_org_id, language, purpose,
		starts_at, duration_minutes, ends_at, remote, place_sealed, notes_sealed, mediator_gender, state, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		b.CaseID, b.RequestedBy, b.RequesterOrgID, b.Language, string(b.Purpose), b.StartsAt.UTC(), b.DurationMinutes,
		b.EndsAt().UTC(), b.Remote, b.Place, b.Notes, string(b.MediatorGender), string(b.State), b.CreatedAt.UTC(),
		b.Version).Scan(&b.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a mediation booking of case %d: %w", b.CaseID, err)
	}
	return nil
}

const bookingColumns = `id, case_id, requested_by, requester_org_id, language, purpose, starts_at, duration_minutes,
	remote, place_sealed, notes_sealed, mediator_gender, state, COALESCE(mediator_id, 0), COALESCE(assigned_by, 0),
	assigned_at, confirmed_at, worked_minutes, done_at, cancel_reason_sealed, COALESCE(cancelled_by, 0), cancelled_at,
	created_at, version`

func scanBooking(row interface{ Scan(...any) error }, b *mediation.Booking) error {
	var purpose, gender, state string
	var assigned, confirmed, done, cancelled sql.NullTime
	if err := row.Scan(&b.ID, &b.CaseID, &b.RequestedBy, &b.RequesterOrgID, &b.Language, &purpose, &b.StartsAt,
		&b.DurationMinutes, &b.Remote, &b.Place, &b.Notes, &gender, &state, &b.MediatorID, &b.AssignedBy, &assigned,
		&confirmed, &b.WorkedMinutes, &done, &b.CancelReason, &b.CancelledBy, &cancelled, &b.CreatedAt, &b.Version); err != nil {
		return err
	}
	b.Purpose, b.MediatorGender, b.State = mediation.Purpose(purpose), mediation.Gender(gender), mediation.State(state)
	b.StartsAt, b.CreatedAt = b.StartsAt.UTC(), b.CreatedAt.UTC()
	for _, t := range []struct {
		from sql.NullTime
		to   *time.Time
	}{{assigned, &b.AssignedAt}, {confirmed, &b.ConfirmedAt}, {done, &b.DoneAt}, {cancelled, &b.CancelledAt}} {
		*t.to = time.Time{}
		if t.from.Valid {
			*t.to = t.from.Time.UTC()
		}
	}
	return nil
}

// FindBooking returns booking id, with its sealed texts, or ENOTFOUND.
func FindBooking(ctx context.Context, tx *Tx, id int64) (*mediation.Booking, error) {
	var b mediation.Booking
	err := scanBooking(tx.QueryRow(ctx, `SELECT `+bookingColumns+` FROM mediation_bookings WHERE id = ?`, id), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find mediation booking %d: %w", id, err)
	}
	return &b, nil
}

// ListCaseBookings returns the bookings of a case: those still open first,
// soonest first, then the others, most recent first.
func ListCaseBookings(ctx context.Context, tx *Tx, caseID int64) ([]mediation.Booking, error) {
	return queryBookings(ctx, tx, `SELECT `+bookingColumns+` FROM mediation_bookings WHERE case_id = ?
		ORDER BY CASE WHEN state IN ('requested', 'assigned', 'confirmed') THEN 0 ELSE 1 END,
		CASE WHEN state IN ('requested', 'assigned', 'confirmed') THEN starts_at END, starts_at DESC, id`, caseID)
}

// BookingFilter chooses bookings across cases. A booking passes when it is
// the mediator's, or requested by the organisation, or on a case of one of
// the programmes, or always with All; a filter that names none of these
// lists nothing. States and From narrow the list further.
type BookingFilter struct {
	All          bool
	MediatorID   int64
	OrgID        int64
	ProgrammeIDs []int64
	States       []mediation.State
	// From keeps the bookings that end after it, when set.
	From  time.Time
	Limit int
}

// ListBookings returns the bookings that pass f, soonest first.
func ListBookings(ctx context.Context, tx *Tx, f BookingFilter) ([]mediation.Booking, error) {
	var reach []string
	var args []any
	if f.All {
		reach = append(reach, "1 = 1")
	}
	if f.MediatorID != 0 {
		reach = append(reach, "mediator_id = ?")
		args = append(args, f.MediatorID)
	}
	if f.OrgID != 0 {
		reach = append(reach, "requester_org_id = ?")
		args = append(args, f.OrgID)
	}
	if len(f.ProgrammeIDs) > 0 {
		reach = append(reach, "case_id IN (SELECT id FROM cases WHERE programme_id IN ("+placeholders(len(f.ProgrammeIDs))+"))")
		for _, id := range f.ProgrammeIDs {
			args = append(args, id)
		}
	}
	if len(reach) == 0 {
		return nil, nil
	}
	where := "(" + reach[0]
	for _, r := range reach[1:] {
		where += " OR " + r
	}
	where += ")"
	if len(f.States) > 0 {
		where += " AND state IN (" + placeholders(len(f.States)) + ")"
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.From.IsZero() {
		where += " AND ends_at > ?"
		args = append(args, f.From.UTC())
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	return queryBookings(ctx, tx, `SELECT `+bookingColumns+` FROM mediation_bookings WHERE `+where+
		` ORDER BY starts_at, id LIMIT ?`, append(args, f.Limit)...)
}

// OverlappingBookings returns the bookings that hold mediator mediatorID's
// time (assigned or confirmed) and share a minute with [start, end), other
// than booking except.
func OverlappingBookings(ctx context.Context, tx *Tx, mediatorID int64, start, end time.Time, except int64) ([]mediation.Booking, error) {
	return queryBookings(ctx, tx, `SELECT `+bookingColumns+` FROM mediation_bookings
		WHERE mediator_id = ? AND state IN ('assigned', 'confirmed') AND starts_at < ? AND ends_at > ? AND id <> ?
		ORDER BY starts_at, id`, mediatorID, end.UTC(), start.UTC(), except)
}

// BusyMediators returns the mediators with a booking that holds their time
// (assigned or confirmed) and shares a minute with [start, end), other than
// booking except.
func BusyMediators(ctx context.Context, tx *Tx, start, end time.Time, except int64) (map[int64]bool, error) {
	ids, err := queryIDs(ctx, tx, `SELECT DISTINCT mediator_id FROM mediation_bookings
		WHERE state IN ('assigned', 'confirmed') AND starts_at < ? AND ends_at > ? AND id <> ?`, end.UTC(), start.UTC(), except)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func queryBookings(ctx context.Context, tx *Tx, query string, args ...any) ([]mediation.Booking, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list mediation bookings: %w", err)
	}
	defer rows.Close()
	var out []mediation.Booking
	for rows.Next() {
		var b mediation.Booking
		if err := scanBooking(rows, &b); err != nil {
			return nil, fmt.Errorf("store: unable to read a mediation booking: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SaveBooking writes the state of booking b (its mediator, the times of
// its steps, the minutes worked, the sealed reason it was cancelled for),
// provided it is still at version, and bumps its version. It returns
// ECONFLICT ("error.stale_version") when someone changed the booking since.
func SaveBooking(ctx context.Context, tx *Tx, b *mediation.Booking, version int) error {
	null := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	res, err := tx.Exec(ctx, `UPDATE mediation_bookings SET state = ?, mediator_id = ?, assigned_by = ?, assigned_at = ?,
		confirmed_at = ?, worked_minutes = ?, done_at = ?, cancel_reason_sealed = ?, cancelled_by = ?, cancelled_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`,
		string(b.State), nullID(b.MediatorID), nullID(b.AssignedBy), null(b.AssignedAt), null(b.ConfirmedAt),
		b.WorkedMinutes, null(b.DoneAt), b.CancelReason, nullID(b.CancelledBy), null(b.CancelledAt), b.ID, version)
	if err := changedOne(res, err, "save mediation booking", b.ID); err != nil {
		return err
	}
	b.Version = version + 1
	return nil
}

// InsertDeclined records a mediator's decline of a booking, with its
// reason already sealed.
func InsertDeclined(ctx context.Context, tx *Tx, d *mediation.Declined) error {
	if _, err := tx.Exec(ctx, `INSERT INTO mediation_declines (booking_id, mediator_id, reason_sealed, declined_at)
		VALUES (?, ?, ?, ?)`, d.BookingID, d.MediatorID, d.Reason, d.At.UTC()); err != nil {
		return fmt.Errorf("store: unable to record a decline of booking %d: %w", d.BookingID, err)
	}
	return nil
}

// ListDeclined returns the declines of a booking, newest first, with their
// sealed reasons.
func ListDeclined(ctx context.Context, tx *Tx, bookingID int64) ([]mediation.Declined, error) {
	rows, err := tx.Query(ctx, `SELECT booking_id, mediator_id, reason_sealed, declined_at FROM mediation_declines
		WHERE booking_id = ? ORDER BY declined_at DESC`, bookingID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the declines of booking %d: %w", bookingID, err)
	}
	defer rows.Close()
	var out []mediation.Declined
	for rows.Next() {
		var d mediation.Declined
		if err := rows.Scan(&d.BookingID, &d.MediatorID, &d.Reason, &d.At); err != nil {
			return nil, fmt.Errorf("store: unable to read a decline: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
