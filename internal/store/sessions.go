package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
)

// Session is a signed-in browser or client. Only the SHA-256 hash of its
// token is stored, so a copy of the database cannot be used to sign in.
type Session struct {
	TokenHash  []byte
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// InsertSession stores a new session.
func InsertSession(ctx context.Context, tx *Tx, s *Session) error {
	_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, s.CSRFToken, s.CreatedAt, s.LastSeenAt, s.ExpiresAt)
	if err != nil {
		return fmt.Errorf("store: unable to create session: %w", err)
	}
	return nil
}

// FindSession returns the session with the given token hash, or ENOTFOUND.
func FindSession(ctx context.Context, tx *Tx, tokenHash []byte) (*Session, error) {
	s := Session{TokenHash: tokenHash}
	err := tx.QueryRow(ctx, `SELECT user_id, csrf_token, created_at, last_seen_at, expires_at
		FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&s.UserID, &s.CSRFToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find session: %w", err)
	}
	return &s, nil
}

// TouchSession records that the session was used at t.
func TouchSession(ctx context.Context, tx *Tx, tokenHash []byte, t time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, t, tokenHash); err != nil {
		return fmt.Errorf("store: unable to touch session: %w", err)
	}
	return nil
}

// DeleteSession removes one session.
func DeleteSession(ctx context.Context, tx *Tx, tokenHash []byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: unable to delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of a user ("log out everywhere")
// and returns how many there were.
func DeleteUserSessions(ctx context.Context, tx *Tx, userID int64) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("store: unable to delete sessions of user %d: %w", userID, err)
	}
	return res.RowsAffected()
}

// DeleteExpiredSessions removes sessions whose absolute expiry is before t.
func DeleteExpiredSessions(ctx context.Context, tx *Tx, t time.Time) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, t)
	if err != nil {
		return 0, fmt.Errorf("store: unable to delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
