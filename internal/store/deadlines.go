package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/deadlines"
)

// The rules of the legal and protocol clocks, the events recorded on cases
// that start and stop them, and the tasks they make (case_tasks rows with
// a rule_code).

const ruleColumns = `code, COALESCE(programme_id, 0), name_it, name_en, starts_on, offset_amount, offset_unit, birthday,
	responsible, title_it, title_en, completes_on, source_text, source_url, enabled, version, updated_at`

func scanRule(row interface{ Scan(...any) error }, r *deadlines.Rule) error {
	var starts, unit, birthday, completes string
	if err := row.Scan(&r.Code, &r.ProgrammeID, &r.NameIT, &r.NameEN, &starts, &r.Offset.Amount, &unit, &birthday,
		&r.Responsible, &r.TitleIT, &r.TitleEN, &completes, &r.SourceText, &r.SourceURL, &r.Enabled, &r.Version, &r.UpdatedAt); err != nil {
		return err
	}
	r.Starts, r.Offset.Unit, r.Birthday, r.Completes = deadlines.Event(starts), deadlines.Unit(unit), deadlines.Bound(birthday),
		deadlines.Event(completes)
	return nil
}

// ListDeadlineRules returns every rule, the network's and the programmes',
// disabled ones included, by code, the network's first.
func ListDeadlineRules(ctx context.Context, tx *Tx) ([]deadlines.Rule, error) {
	rows, err := tx.Query(ctx, `SELECT `+ruleColumns+` FROM deadline_rules ORDER BY code, COALESCE(programme_id, 0)`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the deadline rules: %w", err)
	}
	defer rows.Close()
	var out []deadlines.Rule
	for rows.Next() {
		var r deadlines.Rule
		if err := scanRule(rows, &r); err != nil {
			return nil, fmt.Errorf("store: unable to read a deadline rule: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindDeadlineRule returns the rule with the given code of programme (0:
// the network's), or ENOTFOUND.
func FindDeadlineRule(ctx context.Context, tx *Tx, code string, programme int64) (*deadlines.Rule, error) {
	var r deadlines.Rule
	err := scanRule(tx.QueryRow(ctx, `SELECT `+ruleColumns+` FROM deadline_rules WHERE code = ? AND COALESCE(programme_id, 0) = ?`,
		code, programme), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find deadline rule %q: %w", code, err)
	}
	return &r, nil
}

// InsertDeadlineRule adds r at version 1. A code the network (or r's
// programme) already has is ECONFLICT ("error.code_taken").
func InsertDeadlineRule(ctx context.Context, tx *Tx, r *deadlines.Rule) error {
	_, err := tx.Exec(ctx, `INSERT INTO deadline_rules (code, programme_id, name_it, name_en, starts_on, offset_amount, offset_unit,
		birthday, responsible, title_it, title_en, completes_on, source_text, source_url, enabled, version, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
		r.Code, nullID(r.ProgrammeID), r.NameIT, r.NameEN, string(r.Starts), r.Offset.Amount, string(r.Offset.Unit), string(r.Birthday),
		r.Responsible, r.TitleIT, r.TitleEN, string(r.Completes), r.SourceText, r.SourceURL, r.Enabled, r.UpdatedAt.UTC())
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", r.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to add deadline rule %q: %w", r.Code, err)
	}
	r.Version = 1
	return nil
}

// UpdateDeadlineRule stores r's fields if the rule with its code and
// programme is still at r.Version, and moves r to the next version. It
// returns ENOTFOUND for an unknown rule and ECONFLICT
// ("error.stale_version") when the rule was edited since.
func UpdateDeadlineRule(ctx context.Context, tx *Tx, r *deadlines.Rule) error {
	res, err := tx.Exec(ctx, `UPDATE deadline_rules SET name_it = ?, name_en = ?, starts_on = ?, offset_amount = ?, offset_unit = ?,
		birthday = ?, responsible = ?, title_it = ?, title_en = ?, completes_on = ?, source_text = ?, source_url = ?, enabled = ?,
		updated_at = ?, version = version + 1 WHERE code = ? AND COALESCE(programme_id, 0) = ? AND version = ?`,
		r.NameIT, r.NameEN, string(r.Starts), r.Offset.Amount, string(r.Offset.Unit), string(r.Birthday), r.Responsible, r.TitleIT,
		r.TitleEN, string(r.Completes), r.SourceText, r.SourceURL, r.Enabled, r.UpdatedAt.UTC(), r.Code, r.ProgrammeID, r.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update deadline rule %q: %w", r.Code, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to update deadline rule %q: %w", r.Code, err)
	}
	if n == 0 {
		if _, err := FindDeadlineRule(ctx, tx, r.Code, r.ProgrammeID); err != nil {
			return err
		}
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	r.Version++
	return nil
}

// ClockEvent is an event recorded on a case that starts or stops clocks.
type ClockEvent struct {
	ID         int64
	CaseID     int64
	Event      deadlines.Event
	OccurredAt time.Time
	RecordedBy int64
	RecordedAt time.Time
}

// InsertClockEvent records e and sets its ID.
func InsertClockEvent(ctx context.Context, tx *Tx, e *ClockEvent) error {
	err := tx.QueryRow(ctx, `INSERT INTO case_clock_events (case_id, event, occurred_at, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, e.CaseID, string(e.Event), e.OccurredAt.UTC(), e.RecordedBy, e.RecordedAt.UTC()).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record event %q of case %d: %w", e.Event, e.CaseID, err)
	}
	return nil
}

// ListClockEvents returns the events recorded on case caseID, most recent
// first.
func ListClockEvents(ctx context.Context, tx *Tx, caseID int64) ([]ClockEvent, error) {
	rows, err := tx.Query(ctx, `SELECT id, case_id, event, occurred_at, recorded_by, recorded_at FROM case_clock_events
		WHERE case_id = ? ORDER BY occurred_at DESC, id DESC`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the events of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []ClockEvent
	for rows.Next() {
		var e ClockEvent
		var ev string
		if err := rows.Scan(&e.ID, &e.CaseID, &ev, &e.OccurredAt, &e.RecordedBy, &e.RecordedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read an event: %w", err)
		}
		e.Event = deadlines.Event(ev)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ClockTask is a task a clock made: its rule and when its clock started.
type ClockTask struct {
	cases.Task
	RuleCode  string
	StartedAt time.Time
}

// SetTaskClock names the rule that made task id and when its clock started.
func SetTaskClock(ctx context.Context, tx *Tx, id int64, rule string, started time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE case_tasks SET rule_code = ?, clock_started_at = ? WHERE id = ?`, rule, started.UTC(), id); err != nil {
		return fmt.Errorf("store: unable to tie task %d to rule %q: %w", id, rule, err)
	}
	return nil
}

// ListClockTasks returns the tasks of case caseID that clocks made, open
// ones first, soonest due first, with their sealed texts.
func ListClockTasks(ctx context.Context, tx *Tx, caseID int64) ([]ClockTask, error) {
	rows, err := tx.Query(ctx, `SELECT `+taskColumns+`, rule_code, clock_started_at FROM case_tasks
		WHERE case_id = ? AND rule_code IS NOT NULL
		ORDER BY CASE state WHEN 'open' THEN 0 ELSE 1 END, due_at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the clocks of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []ClockTask
	for rows.Next() {
		var t ClockTask
		var state string
		var closed, started sql.NullTime
		if err := rows.Scan(&t.ID, &t.CaseID, &t.Title, &t.DueAt, &t.ResponsibleID, &state, &t.Reason, &t.CreatedBy,
			&t.CreatedAt, &t.ClosedBy, &closed, &t.Version, &t.RuleCode, &started); err != nil {
			return nil, fmt.Errorf("store: unable to read a clock: %w", err)
		}
		t.State = cases.TaskState(state)
		if closed.Valid {
			t.ClosedAt = closed.Time
		}
		if started.Valid {
			t.StartedAt = started.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MoveClockTask sets a new due date and start of open task t's clock,
// provided the task is still at t.Version, and bumps its version. It
// returns ECONFLICT ("error.stale_version") when the task changed since.
func MoveClockTask(ctx context.Context, tx *Tx, t *ClockTask, due, started time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE case_tasks SET due_at = ?, clock_started_at = ?, version = version + 1
		WHERE id = ? AND version = ? AND state = 'open'`, due.UTC(), started.UTC(), t.ID, t.Version)
	if err != nil {
		return fmt.Errorf("store: unable to move task %d: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to move task %d: %w", t.ID, err)
	} else if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	t.DueAt, t.StartedAt, t.Version = due, started, t.Version+1
	return nil
}

// MainBirthDate returns the birth date of the main person of case caseID,
// unknown when the case has none.
func MainBirthDate(ctx context.Context, tx *Tx, caseID int64) (cases.BirthDate, error) {
	var b cases.BirthDate
	var precision string
	var bmin, bmax sql.NullTime
	err := tx.QueryRow(ctx, `SELECT p.birth_precision, p.birth_min, p.birth_max FROM persons p
		JOIN case_persons cp ON cp.person_id = p.id WHERE cp.case_id = ? AND cp.role = ? ORDER BY p.id LIMIT 1`,
		caseID, string(cases.MainPerson)).Scan(&precision, &bmin, &bmax)
	if errors.Is(err, sql.ErrNoRows) {
		return cases.BirthDate{Precision: cases.UnknownDate}, nil
	} else if err != nil {
		return b, fmt.Errorf("store: unable to read the birth date of case %d: %w", caseID, err)
	}
	b.Precision, b.Min, b.Max = cases.Precision(precision), day(bmin), day(bmax)
	return b, nil
}
