package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/referrals"
)

// Referrals are stored with their reason and answer sealed: the functions
// here read and write Referral.Reason and Referral.Answer as they are
// given, and the caller seals and opens them.

const referralColumns = `id, case_id, from_org_id, from_user_id, to_org_id, COALESCE(service_id, 0), reason_sealed, urgency,
	sections, consent_by, consent_given_at, consent_language, consent_revoked_at, state, sent_at, answer_by, answered_at,
	COALESCE(answered_by, 0), closed_at, answer_sealed, version`

// newestFirst orders referrals from the last sent.
const newestFirst = `sent_at DESC, id DESC`

// scanReferral reads a row of referralColumns.
func scanReferral(row interface{ Scan(...any) error }, r *referrals.Referral) error {
	var urgency, sections, by, state string
	var revoked, answered, closed sql.NullTime
	if err := row.Scan(&r.ID, &r.CaseID, &r.FromOrgID, &r.FromUserID, &r.ToOrgID, &r.ServiceID, &r.Reason, &urgency,
		&sections, &by, &r.Consent.GivenAt, &r.Consent.NoticeLanguage, &revoked, &state, &r.SentAt, &r.AnswerBy, &answered,
		&r.AnsweredBy, &closed, &r.Answer, &r.Version); err != nil {
		return err
	}
	r.Urgency, r.Consent.By, r.State = referrals.Urgency(urgency), referrals.Consenter(by), referrals.State(state)
	r.Sections = nil
	for _, s := range strings.Split(sections, ",") {
		if s != "" {
			r.Sections = append(r.Sections, referrals.Section(s))
		}
	}
	r.Consent.RevokedAt, r.AnsweredAt, r.ClosedAt = revoked.Time, answered.Time, closed.Time
	return nil
}

// joinSections writes sections as the comma-separated column holds them.
func joinSections(ss []referrals.Section) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// InsertReferral records a referral as sent and sets its ID and version.
func InsertReferral(ctx context.Context, tx *Tx, r *referrals.Referral) error {
	r.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO referrals (case_id, from_org_id, from_user_id, to_org_id, service_id, reason_sealed,
		urgency, sections, consent_by, consent_given_at, consent_language, state, sent_at, answer_by, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		r.CaseID, r.FromOrgID, r.FromUserID, r.ToOrgID, nullID(r.ServiceID), r.Reason, string(r.Urgency),
		joinSections(r.Sections), string(r.Consent.By), r.Consent.GivenAt.UTC(), r.Consent.NoticeLanguage, string(r.State),
		r.SentAt.UTC(), r.AnswerBy.UTC()).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a referral of case %d: %w", r.CaseID, err)
	}
	return nil
}

// FindReferral returns referral id, or ENOTFOUND.
func FindReferral(ctx context.Context, tx *Tx, id int64) (*referrals.Referral, error) {
	var r referrals.Referral
	err := scanReferral(tx.QueryRow(ctx, `SELECT `+referralColumns+` FROM referrals WHERE id = ?`, id), &r)
	if err == sql.ErrNoRows {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read referral %d: %w", id, err)
	}
	return &r, nil
}

// listReferrals returns the referrals a query's WHERE clause selects in
// order, at most limit (0: all).
func listReferrals(ctx context.Context, tx *Tx, where, order string, limit int, args ...any) ([]referrals.Referral, error) {
	q := `SELECT ` + referralColumns + ` FROM referrals WHERE ` + where + ` ORDER BY ` + order
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list referrals: %w", err)
	}
	defer rows.Close()
	var out []referrals.Referral
	for rows.Next() {
		var r referrals.Referral
		if err := scanReferral(rows, &r); err != nil {
			return nil, fmt.Errorf("store: unable to read a referral: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListCaseReferrals returns the referrals of a case, newest first.
func ListCaseReferrals(ctx context.Context, tx *Tx, caseID int64) ([]referrals.Referral, error) {
	return listReferrals(ctx, tx, `case_id = ?`, newestFirst, 0, caseID)
}

// ListOrganisationReferrals returns the referrals an organisation received
// (incoming) or sent, newest first, only those in state when it is set, at
// most limit.
func ListOrganisationReferrals(ctx context.Context, tx *Tx, orgID int64, incoming bool, state referrals.State, limit int) ([]referrals.Referral, error) {
	where := `from_org_id = ?`
	if incoming {
		where = `to_org_id = ?`
	}
	args := []any{orgID}
	if state != "" {
		where += ` AND state = ?`
		args = append(args, string(state))
	}
	return listReferrals(ctx, tx, where, newestFirst, limit, args...)
}

// UpdateReferral writes the state, the answer and the times of r, made from
// version; ECONFLICT ("error.referral.changed") when someone changed the
// referral since. It sets r.Version to the new version.
func UpdateReferral(ctx context.Context, tx *Tx, r *referrals.Referral, version int) error {
	res, err := tx.Exec(ctx, `UPDATE referrals SET state = ?, answered_at = ?, answered_by = ?, closed_at = ?, answer_sealed = ?,
		consent_revoked_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(r.State), nullTime(r.AnsweredAt), nullID(r.AnsweredBy), nullTime(r.ClosedAt), r.Answer,
		nullTime(r.Consent.RevokedAt), r.ID, version)
	if err != nil {
		return fmt.Errorf("store: unable to update referral %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.referral.changed")
	}
	r.Version = version + 1
	return nil
}

// DueReferrals returns the referrals still waiting for an answer whose time
// to answer ran out before now, oldest first.
func DueReferrals(ctx context.Context, tx *Tx, now time.Time) ([]referrals.Referral, error) {
	return listReferrals(ctx, tx, `state = 'sent' AND answer_by < ?`, `answer_by, id`, 0, now.UTC())
}

// ReferralGrants returns, by case, the sections the accepted referrals
// with a standing consent share with an organisation.
func ReferralGrants(ctx context.Context, tx *Tx, orgID int64) (map[int64][]referrals.Section, error) {
	rows, err := tx.Query(ctx, `SELECT case_id, sections FROM referrals
		WHERE to_org_id = ? AND state = 'accepted' AND consent_revoked_at IS NULL`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the referrals to organisation %d: %w", orgID, err)
	}
	defer rows.Close()
	out := map[int64][]referrals.Section{}
	for rows.Next() {
		var caseID int64
		var sections string
		if err := rows.Scan(&caseID, &sections); err != nil {
			return nil, err
		}
		for _, s := range strings.Split(sections, ",") {
			if s != "" {
				out[caseID] = append(out[caseID], referrals.Section(s))
			}
		}
	}
	return out, rows.Err()
}

// InsertTeamChange records a change to a case's team with its sealed
// reason.
func InsertTeamChange(ctx context.Context, tx *Tx, caseID, userID int64, change, role, reasonSealed string, by int64, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO case_team_changes (case_id, user_id, change, role, reason_sealed, changed_by, changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, caseID, userID, change, role, reasonSealed, by, at.UTC())
	if err != nil {
		return fmt.Errorf("store: unable to record a change to the team of case %d: %w", caseID, err)
	}
	return nil
}
