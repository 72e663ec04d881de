package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"approdo/cases"
)

const insertEvent = `INSERT INTO case_events (case_id, at, actor_id, kind, ref_id, detail) VALUES (?, ?, ?, ?, ?, ?)`

// eventArgs returns the values of insertEvent for e.
func eventArgs(e *cases.Event) ([]any, error) {
	detail := ""
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return nil, fmt.Errorf("store: unable to encode an event's detail: %w", err)
		}
		detail = string(b)
	}
	return []any{e.CaseID, e.At, nullID(e.ActorID), string(e.Kind), nullID(e.RefID), detail}, nil
}

// InsertCaseEvent appends an event to a case's timeline and sets its ID.
// Call it in the transaction of the change it records.
func InsertCaseEvent(ctx context.Context, tx *Tx, e *cases.Event) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	args, err := eventArgs(e)
	if err != nil {
		return err
	}
	err = tx.QueryRow(ctx, insertEvent+` RETURNING id`, args...).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a %s event on case %d: %w", e.Kind, e.CaseID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE cases SET updated_at = ? WHERE id = ? AND updated_at < ?`, e.At, e.CaseID, e.At); err != nil {
		return fmt.Errorf("store: unable to touch case %d: %w", e.CaseID, err)
	}
	return nil
}

// ListCaseEvents returns a case's events, newest first, before the event
// with id before (0 for the newest), at most limit.
func ListCaseEvents(ctx context.Context, tx *Tx, caseID, before int64, limit int) ([]cases.Event, error) {
	q := `SELECT id, case_id, at, COALESCE(actor_id, 0), kind, COALESCE(ref_id, 0), detail FROM case_events WHERE case_id = ?`
	args := []any{caseID}
	if before > 0 {
		q += ` AND id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ?`
	rows, err := tx.Query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the events of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []cases.Event
	for rows.Next() {
		var e cases.Event
		var kind string
		var detail sql.NullString
		if err := rows.Scan(&e.ID, &e.CaseID, &e.At, &e.ActorID, &kind, &e.RefID, &detail); err != nil {
			return nil, fmt.Errorf("store: unable to read an event: %w", err)
		}
		e.Kind = cases.EventKind(kind)
		if detail.String != "" {
			if err := json.Unmarshal([]byte(detail.String), &e.Detail); err != nil {
				return nil, fmt.Errorf("store: event %d has a malformed detail: %w", e.ID, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
