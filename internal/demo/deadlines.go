package demo

import (
	"context"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/deadlines"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// seedDeadlines shows the legal clocks on three demo cases: an emergency
// placement under art. 403 made yesterday evening, its oral notice to the
// prosecutor already given and the 24-hour transmission still running; an
// unaccompanied minor who entered first reception this morning, with the
// interview due in 3 days; and a 17-year-old whose birth date is known
// only as a range, whose 18th-birthday clocks show the bound they used.
// The latest cases of each kind are used, so that the first ones stay as
// the other examples describe them. It writes nothing without a vault.
func seedDeadlines(ctx context.Context, tx *store.Tx, opts []Option, now time.Time) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	now = now.UTC().Truncate(time.Minute)
	pick := func(kind cases.Kind, skip int64) (*cases.Case, error) {
		var id int64
		err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(c.id), 0) FROM cases c WHERE c.kind = ? AND c.closed_at IS NULL
			AND c.case_worker_id IS NOT NULL AND c.id <> ?
			AND EXISTS (SELECT 1 FROM case_persons p WHERE p.case_id = c.id AND p.role = 'main')`, string(kind), skip).Scan(&id)
		if err != nil || id == 0 {
			return nil, err
		}
		return store.FindCase(ctx, tx, id)
	}
	record := func(c *cases.Case, events ...struct {
		e  deadlines.Event
		at time.Time
	}) error {
		u, err := store.FindUser(ctx, tx, c.CaseWorkerID)
		if err != nil {
			return err
		}
		for _, ev := range events {
			if err := casework.RecordClockEvent(ctx, tx, o.vault, c, *u, ev.e, ev.at, ev.at.Add(10*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	}
	type at = struct {
		e  deadlines.Event
		at time.Time
	}
	placed, err := pick(cases.MinorFamilyViolence, 0)
	if err != nil {
		return err
	}
	if placed != nil {
		if err := record(placed, at{deadlines.Placement403, now.Add(-15 * time.Hour)},
			at{deadlines.OralNotice403, now.Add(-14 * time.Hour)}); err != nil {
			return err
		}
	}
	entered, err := pick(cases.UnaccompaniedMinor, 0)
	if err != nil {
		return err
	}
	if entered == nil {
		return nil
	}
	morning := time.Date(now.In(approdo.Rome).Year(), now.In(approdo.Rome).Month(), now.In(approdo.Rome).Day(), 8, 30, 0, 0, approdo.Rome)
	if morning.After(now) {
		morning = now.Add(-time.Hour)
	}
	if err := record(entered, at{deadlines.FirstReceptionEntry, morning}); err != nil {
		return err
	}
	near, err := pick(cases.UnaccompaniedMinor, entered.ID)
	if err != nil || near == nil {
		return err
	}
	// Born, by the age assessment, between 17 years 8 months and 17 years
	// 2 months ago: 18 at the earliest in 4 months, at the latest in 10.
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	b := cases.Range(today.AddDate(-18, 4, 0), today.AddDate(-18, 10, 0))
	if _, err := tx.Exec(ctx, `UPDATE persons SET birth_precision = ?, birth_min = ?, birth_max = ?
		WHERE id = (SELECT MIN(person_id) FROM case_persons WHERE case_id = ? AND role = 'main')`,
		string(b.Precision), b.Min, b.Max, near.ID); err != nil {
		return err
	}
	u, err := store.FindUser(ctx, tx, near.CaseWorkerID)
	if err != nil {
		return err
	}
	return casework.RecordBirthdayClocks(ctx, tx, o.vault, near, *u, now)
}
