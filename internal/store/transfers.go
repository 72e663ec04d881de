package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"approdo"
	"approdo/cases"
)

// InsertTransfer records a request to transfer a case and sets its ID. The
// reason must already be sealed. A case with a transfer pending already is
// ECONFLICT ("error.transfer.pending").
func InsertTransfer(ctx context.Context, tx *Tx, t *cases.Transfer) error {
	err := tx.QueryRow(ctx, `INSERT INTO case_transfers (case_id, from_org_id, to_org_id, requested_by, requested_at,
		reason_sealed, requester_stays, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.CaseID, t.FromOrgID, t.ToOrgID, t.RequestedBy, t.RequestedAt.UTC(), t.Reason, t.RequesterStays,
		string(t.State)).Scan(&t.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.transfer.pending")
	} else if err != nil {
		return fmt.Errorf("store: unable to record a transfer of case %d: %w", t.CaseID, err)
	}
	return nil
}

const transferColumns = `id, case_id, from_org_id, to_org_id, requested_by, requested_at, reason_sealed,
	requester_stays, state, COALESCE(decided_by, 0), decided_at, decline_reason_sealed`

func scanTransfer(row interface{ Scan(...any) error }, t *cases.Transfer) error {
	var state string
	var decided sql.NullTime
	if err := row.Scan(&t.ID, &t.CaseID, &t.FromOrgID, &t.ToOrgID, &t.RequestedBy, &t.RequestedAt, &t.Reason,
		&t.RequesterStays, &state, &t.DecidedBy, &decided, &t.DeclineReason); err != nil {
		return err
	}
	t.State = cases.TransferState(state)
	if decided.Valid {
		t.DecidedAt = decided.Time
	}
	return nil
}

// FindTransfer returns the transfer with the given ID, with its sealed
// reasons, or ENOTFOUND.
func FindTransfer(ctx context.Context, tx *Tx, id int64) (*cases.Transfer, error) {
	var t cases.Transfer
	err := scanTransfer(tx.QueryRow(ctx, `SELECT `+transferColumns+` FROM case_transfers WHERE id = ?`, id), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find transfer %d: %w", id, err)
	}
	return &t, nil
}

// PendingTransfer returns the transfer of a case waiting for a decision, or
// nil.
func PendingTransfer(ctx context.Context, tx *Tx, caseID int64) (*cases.Transfer, error) {
	var t cases.Transfer
	err := scanTransfer(tx.QueryRow(ctx, `SELECT `+transferColumns+` FROM case_transfers WHERE case_id = ? AND state = ?`,
		caseID, string(cases.AwaitingDecision)), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the pending transfer of case %d: %w", caseID, err)
	}
	return &t, nil
}

// TransferFilter narrows a list of transfers; zero values do not filter,
// but a list needs an organisation.
type TransferFilter struct {
	ToOrgID   int64 // transfers addressed to this organisation
	FromOrgID int64 // transfers requested by this organisation
	State     cases.TransferState
	Limit     int
}

// ListTransfers returns the transfers that pass the filter, newest first,
// with their sealed reasons. A filter naming no organisation lists nothing.
func ListTransfers(ctx context.Context, tx *Tx, f TransferFilter) ([]cases.Transfer, error) {
	if f.ToOrgID == 0 && f.FromOrgID == 0 {
		return nil, nil
	}
	q := `SELECT ` + transferColumns + ` FROM case_transfers WHERE TRUE`
	var args []any
	if f.ToOrgID != 0 {
		q += ` AND to_org_id = ?`
		args = append(args, f.ToOrgID)
	}
	if f.FromOrgID != 0 {
		q += ` AND from_org_id = ?`
		args = append(args, f.FromOrgID)
	}
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, string(f.State))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := tx.Query(ctx, q+` ORDER BY requested_at DESC, id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list transfers: %w", err)
	}
	defer rows.Close()
	var out []cases.Transfer
	for rows.Next() {
		var t cases.Transfer
		if err := scanTransfer(rows, &t); err != nil {
			return nil, fmt.Errorf("store: unable to read a transfer: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DecideTransfer records the decision on a pending transfer: its new
// state, who decided and when, and for a refusal the sealed reason. A
// transfer decided already is ECONFLICT ("error.transfer.decided").
func DecideTransfer(ctx context.Context, tx *Tx, t *cases.Transfer) error {
	res, err := tx.Exec(ctx, `UPDATE case_transfers SET state = ?, decided_by = ?, decided_at = ?, decline_reason_sealed = ?
		WHERE id = ? AND state = ?`, string(t.State), t.DecidedBy, t.DecidedAt.UTC(), t.DeclineReason, t.ID,
		string(cases.AwaitingDecision))
	if err != nil {
		return fmt.Errorf("store: unable to decide transfer %d: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to decide transfer %d: %w", t.ID, err)
	} else if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.transfer.decided")
	}
	return nil
}

// CountPendingTransfers returns how many transfers wait for the decision of
// an organisation.
func CountPendingTransfers(ctx context.Context, tx *Tx, toOrgID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_transfers WHERE to_org_id = ? AND state = ?`,
		toOrgID, string(cases.AwaitingDecision)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count pending transfers: %w", err)
	}
	return n, nil
}

// OrganisationsAllowed returns the organisations with at least one active
// user whose roles let them take verb on resource within their
// organisation or wider, such as those that can decide a transfer.
func OrganisationsAllowed(ctx context.Context, tx *Tx, verb, resource string) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT DISTINCT u.organisation_id FROM users u
		JOIN user_roles r ON r.user_id = u.id
		JOIN role_permissions p ON p.role = r.role
		WHERE u.active = TRUE AND p.verb = ? AND p.resource = ? AND p.scope IN ('organisation', 'area', 'network')
		ORDER BY u.organisation_id`, verb, resource)
}
