package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/cases"
)

// InsertTask records a new open task and sets its ID and version. Its title
// must already be sealed.
func InsertTask(ctx context.Context, tx *Tx, t *cases.Task) error {
	t.State, t.Version = cases.TaskOpen, 1
	err := tx.QueryRow(ctx, `INSERT INTO case_tasks (case_id, title_sealed, due_at, responsible_id, state, created_by,
		created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.CaseID, t.Title, t.DueAt.UTC(), t.ResponsibleID, string(t.State), t.CreatedBy, t.CreatedAt.UTC(), t.Version).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a task of case %d: %w", t.CaseID, err)
	}
	return nil
}

const taskColumns = `id, case_id, title_sealed, due_at, responsible_id, state, reason_sealed, created_by, created_at,
	COALESCE(closed_by, 0), closed_at, version`

func scanTask(row interface{ Scan(...any) error }, t *cases.Task) error {
	var state string
	var closed sql.NullTime
	if err := row.Scan(&t.ID, &t.CaseID, &t.Title, &t.DueAt, &t.ResponsibleID, &state, &t.Reason, &t.CreatedBy,
		&t.CreatedAt, &t.ClosedBy, &closed, &t.Version); err != nil {
		return err
	}
	t.State = cases.TaskState(state)
	if closed.Valid {
		t.ClosedAt = closed.Time
	}
	return nil
}

// FindTask returns task id of case caseID, with its sealed texts, or
// ENOTFOUND.
func FindTask(ctx context.Context, tx *Tx, caseID, id int64) (*cases.Task, error) {
	var t cases.Task
	err := scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+` FROM case_tasks WHERE id = ? AND case_id = ?`, id, caseID), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find task %d: %w", id, err)
	}
	return &t, nil
}

// ListCaseTasks returns the tasks of a case: the open ones first, soonest
// due first, then the others, most recently closed first.
func ListCaseTasks(ctx context.Context, tx *Tx, caseID int64) ([]cases.Task, error) {
	return queryTasks(ctx, tx, `SELECT `+taskColumns+` FROM case_tasks WHERE case_id = ?
		ORDER BY CASE state WHEN 'open' THEN 0 ELSE 1 END, CASE state WHEN 'open' THEN due_at END, closed_at DESC, id`, caseID)
}

// TaskFilter chooses the open tasks of a list across cases: those a user is
// responsible for, or those on the cases an organisation holds, optionally
// only the overdue ones.
type TaskFilter struct {
	ResponsibleID int64
	OwnerOrgID    int64
	// OverdueAt keeps the tasks due before it, when set.
	OverdueAt time.Time
	Limit     int
}

// ListOpenTasks returns the open tasks that pass the filter, soonest due
// first. A filter that names neither a user nor an organisation lists
// nothing.
func ListOpenTasks(ctx context.Context, tx *Tx, f TaskFilter) ([]cases.Task, error) {
	where, args := "state = 'open'", []any{}
	switch {
	case f.ResponsibleID != 0:
		where += " AND responsible_id = ?"
		args = append(args, f.ResponsibleID)
	case f.OwnerOrgID != 0:
		where += " AND case_id IN (SELECT id FROM cases WHERE owner_org_id = ?)"
		args = append(args, f.OwnerOrgID)
	default:
		return nil, nil
	}
	if !f.OverdueAt.IsZero() {
		where += " AND due_at < ?"
		args = append(args, f.OverdueAt.UTC())
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	return queryTasks(ctx, tx, `SELECT `+taskColumns+` FROM case_tasks WHERE `+where+` ORDER BY due_at, id LIMIT ?`,
		append(args, f.Limit)...)
}

func queryTasks(ctx context.Context, tx *Tx, query string, args ...any) ([]cases.Task, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list tasks: %w", err)
	}
	defer rows.Close()
	var out []cases.Task
	for rows.Next() {
		var t cases.Task
		if err := scanTask(rows, &t); err != nil {
			return nil, fmt.Errorf("store: unable to read a task: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FinishTask marks task t done or closed (with its sealed reason) by actor
// at at, provided it is still at t.Version, and bumps its version. It
// returns ECONFLICT ("error.stale_version") when someone changed the task
// since.
func FinishTask(ctx context.Context, tx *Tx, t *cases.Task, state cases.TaskState, reason string, actor int64, at time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE case_tasks SET state = ?, reason_sealed = ?, closed_by = ?, closed_at = ?,
		version = version + 1 WHERE id = ? AND version = ? AND state = 'open'`,
		string(state), reason, actor, at.UTC(), t.ID, t.Version)
	if err != nil {
		return fmt.Errorf("store: unable to finish task %d: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to finish task %d: %w", t.ID, err)
	} else if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	t.State, t.Reason, t.ClosedBy, t.ClosedAt, t.Version = state, reason, actor, at.UTC(), t.Version+1
	return nil
}
