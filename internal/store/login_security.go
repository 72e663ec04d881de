package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
)

// Login throttling. Failed sign-ins are counted per subject, a key naming an
// account or a client address (hashed by the caller, so that neither a
// username nobody has nor an address is stored as typed), in a window that
// starts at the first failure; a subject that reaches its limit is locked
// until a time. Rows live in the database so that every instance sees them.

// AddLoginFailure counts one failed sign-in of subject at now and returns
// how many failures the subject has since windowStart. Failures before
// windowStart are forgotten: the count starts again at one.
func AddLoginFailure(ctx context.Context, tx *Tx, subject string, now, windowStart time.Time) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO login_throttle (subject, failures, window_start) VALUES (?, 1, ?)
		ON CONFLICT (subject) DO UPDATE SET
			failures = CASE WHEN login_throttle.window_start > ? THEN login_throttle.failures + 1 ELSE 1 END,
			window_start = CASE WHEN login_throttle.window_start > ? THEN login_throttle.window_start ELSE excluded.window_start END
		RETURNING failures`, subject, now, windowStart, windowStart).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count a failed sign-in: %w", err)
	}
	return n, nil
}

// LockLogin locks subject until the given time and starts its count of
// failures again.
func LockLogin(ctx context.Context, tx *Tx, subject string, until time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE login_throttle SET locked_until = ?, failures = 0, window_start = ? WHERE subject = ?`,
		until, until, subject)
	if err != nil {
		return fmt.Errorf("store: unable to lock sign-ins: %w", err)
	}
	return nil
}

// LoginLockedUntil returns the latest time until which any of subjects is
// locked, or the zero time when none is locked after now.
func LoginLockedUntil(ctx context.Context, tx *Tx, now time.Time, subjects ...string) (time.Time, error) {
	var until time.Time
	for _, s := range subjects {
		var t sql.NullTime
		err := tx.QueryRow(ctx, `SELECT locked_until FROM login_throttle WHERE subject = ?`, s).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return time.Time{}, fmt.Errorf("store: unable to read sign-in locks: %w", err)
		}
		if t.Valid && t.Time.After(now) && t.Time.After(until) {
			until = t.Time.UTC()
		}
	}
	return until, nil
}

// ClearLoginFailures forgets the failures and lock of subject, after a
// successful sign-in.
func ClearLoginFailures(ctx context.Context, tx *Tx, subject string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE subject = ?`, subject); err != nil {
		return fmt.Errorf("store: unable to clear failed sign-ins: %w", err)
	}
	return nil
}

// DeleteStaleLoginThrottles removes counts whose window started before
// before and which hold no lock after now.
func DeleteStaleLoginThrottles(ctx context.Context, tx *Tx, before, now time.Time) error {
	_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)`,
		before, now)
	if err != nil {
		return fmt.Errorf("store: unable to remove old failed sign-ins: %w", err)
	}
	return nil
}

// PendingLogin is the first half of a two-step sign-in: the password was
// right and the second factor is still to come. It is not a session: it
// reaches nothing but the second step, and only the SHA-256 of its token is
// stored.
type PendingLogin struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// InsertPendingLogin stores a pending sign-in, removing those of every user
// that expired before its creation.
func InsertPendingLogin(ctx context.Context, tx *Tx, p *PendingLogin) error {
	if _, err := tx.Exec(ctx, `DELETE FROM login_pending WHERE expires_at < ?`, p.CreatedAt); err != nil {
		return fmt.Errorf("store: unable to remove expired pending sign-ins: %w", err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO login_pending (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		p.TokenHash, p.UserID, p.CreatedAt, p.ExpiresAt)
	if err != nil {
		return fmt.Errorf("store: unable to store a pending sign-in: %w", err)
	}
	return nil
}

// FindPendingLogin returns the pending sign-in with the given token hash, or
// ENOTFOUND.
func FindPendingLogin(ctx context.Context, tx *Tx, tokenHash []byte) (*PendingLogin, error) {
	p := PendingLogin{TokenHash: tokenHash}
	err := tx.QueryRow(ctx, `SELECT user_id, created_at, expires_at FROM login_pending WHERE token_hash = ?`, tokenHash).
		Scan(&p.UserID, &p.CreatedAt, &p.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find a pending sign-in: %w", err)
	}
	return &p, nil
}

// DeletePendingLogin removes a pending sign-in and reports whether it was
// there, so that of two requests completing it only one succeeds.
func DeletePendingLogin(ctx context.Context, tx *Tx, tokenHash []byte) (bool, error) {
	res, err := tx.Exec(ctx, `DELETE FROM login_pending WHERE token_hash = ?`, tokenHash)
	if err != nil {
		return false, fmt.Errorf("store: unable to delete a pending sign-in: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteUserPendingLogins removes every pending sign-in of a user.
func DeleteUserPendingLogins(ctx context.Context, tx *Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM login_pending WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: unable to delete pending sign-ins of user %d: %w", userID, err)
	}
	return nil
}

// DeleteOtherSessions ends every session of a user but the one whose token
// hash is keep (every one when keep is nil), and returns how many it ended.
func DeleteOtherSessions(ctx context.Context, tx *Tx, userID int64, keep []byte) (int64, error) {
	if keep == nil {
		return DeleteUserSessions(ctx, tx, userID)
	}
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("store: unable to end other sessions of user %d: %w", userID, err)
	}
	return res.RowsAffected()
}

// FindPasswordHash returns the password hash of a user, or ENOTFOUND.
func FindPasswordHash(ctx context.Context, tx *Tx, userID int64) (string, error) {
	var hash string
	err := tx.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return "", fmt.Errorf("store: unable to read the password of user %d: %w", userID, err)
	}
	return hash, nil
}

// SecondFactor is a user's TOTP second factor. Secret and PendingSecret are
// sealed by the vault; PendingSecret is the secret of an enrolment not yet
// confirmed. LastStep is the time step of the last code accepted, so that a
// code is never accepted twice.
type SecondFactor struct {
	UserID        int64
	Secret        string
	PendingSecret string
	EnabledAt     time.Time // zero until an enrolment is confirmed
	LastStep      int64
	UpdatedAt     time.Time
}

// Enabled reports whether the second factor is in use.
func (f *SecondFactor) Enabled() bool { return f != nil && !f.EnabledAt.IsZero() && f.Secret != "" }

// FindSecondFactor returns the second factor of a user, or ENOTFOUND when
// they never began an enrolment.
func FindSecondFactor(ctx context.Context, tx *Tx, userID int64) (*SecondFactor, error) {
	f := SecondFactor{UserID: userID}
	var enabled sql.NullTime
	err := tx.QueryRow(ctx, `SELECT secret, pending_secret, enabled_at, last_step, updated_at
		FROM user_second_factors WHERE user_id = ?`, userID).
		Scan(&f.Secret, &f.PendingSecret, &enabled, &f.LastStep, &f.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to read the second factor of user %d: %w", userID, err)
	}
	if enabled.Valid {
		f.EnabledAt = enabled.Time.UTC()
	}
	return &f, nil
}

// HasSecondFactor reports whether a user has a second factor in use.
func HasSecondFactor(ctx context.Context, tx *Tx, userID int64) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM user_second_factors
		WHERE user_id = ? AND enabled_at IS NOT NULL AND secret <> ''`, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: unable to read the second factor of user %d: %w", userID, err)
	}
	return n > 0, nil
}

// SetPendingSecondFactor stores the sealed secret of an enrolment that the
// user has still to confirm, keeping any second factor in use.
func SetPendingSecondFactor(ctx context.Context, tx *Tx, userID int64, sealed string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO user_second_factors (user_id, pending_secret, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret, updated_at = excluded.updated_at`,
		userID, sealed, now)
	if err != nil {
		return fmt.Errorf("store: unable to begin the enrolment of user %d: %w", userID, err)
	}
	return nil
}

// EnableSecondFactor puts a confirmed secret in use, with the time step of
// the code that confirmed it, and drops the pending secret. pending is the
// sealed pending secret that was confirmed: when another request changed it
// meanwhile, nothing is changed and the error is ECONFLICT.
func EnableSecondFactor(ctx context.Context, tx *Tx, userID int64, pending, sealed string, step int64, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE user_second_factors SET secret = ?, pending_secret = '', enabled_at = ?,
		last_step = ?, updated_at = ? WHERE user_id = ? AND pending_secret = ? AND enabled_at IS NULL`,
		sealed, now, step, now, userID, pending)
	if err != nil {
		return fmt.Errorf("store: unable to enable the second factor of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to enable the second factor of user %d: %w", userID, err)
	}
	if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.second_factor_not_begun")
	}
	return nil
}

// UseSecondFactorStep records that the code of time step step was accepted.
// It reports false when a code of that step or a later one was accepted
// already, so that a code cannot be replayed.
func UseSecondFactorStep(ctx context.Context, tx *Tx, userID, step int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE user_second_factors SET last_step = ? WHERE user_id = ? AND last_step < ?`,
		step, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: unable to record a second-factor code of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ResetSecondFactor removes a user's second factor, its pending enrolment
// and its recovery codes, and reports whether there was anything to remove.
func ResetSecondFactor(ctx context.Context, tx *Tx, userID int64) (bool, error) {
	codes, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = ?`, userID)
	if err != nil {
		return false, fmt.Errorf("store: unable to delete the recovery codes of user %d: %w", userID, err)
	}
	factor, err := tx.Exec(ctx, `DELETE FROM user_second_factors WHERE user_id = ?`, userID)
	if err != nil {
		return false, fmt.Errorf("store: unable to delete the second factor of user %d: %w", userID, err)
	}
	nc, err := codes.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: unable to delete the recovery codes of user %d: %w", userID, err)
	}
	nf, err := factor.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: unable to delete the second factor of user %d: %w", userID, err)
	}
	return nc+nf > 0, nil
}

// ReplaceRecoveryCodes stores the hashes of a user's new recovery codes in
// place of any they had.
func ReplaceRecoveryCodes(ctx context.Context, tx *Tx, userID int64, hashes [][]byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: unable to delete the recovery codes of user %d: %w", userID, err)
	}
	for _, h := range hashes {
		if _, err := tx.Exec(ctx, `INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return fmt.Errorf("store: unable to store a recovery code of user %d: %w", userID, err)
		}
	}
	return nil
}

// UseRecoveryCode consumes the recovery code with the given hash and
// reports whether the user had it.
func UseRecoveryCode(ctx context.Context, tx *Tx, userID int64, hash []byte) (bool, error) {
	res, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = ? AND code_hash = ?`, userID, hash)
	if err != nil {
		return false, fmt.Errorf("store: unable to use a recovery code of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountRecoveryCodes returns how many unused recovery codes a user has.
func CountRecoveryCodes(ctx context.Context, tx *Tx, userID int64) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count the recovery codes of user %d: %w", userID, err)
	}
	return n, nil
}
