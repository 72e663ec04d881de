package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
)

// APIToken is a personal API token. Only the SHA-256 hash of its value is
// stored, with Prefix, the value's first and non-secret characters, by which
// the server finds the row and the owner recognises the token.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	Hash       []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time // zero when never used
	RevokedAt  time.Time // zero while not revoked
}

// TokenState is where a token stands at a given time.
type TokenState string

// The states of a token.
const (
	TokenActive  TokenState = "active"
	TokenExpired TokenState = "expired"
	TokenRevoked TokenState = "revoked"
)

// State returns the state of the token at now: revoked wins over expired.
func (t *APIToken) State(now time.Time) TokenState {
	switch {
	case !t.RevokedAt.IsZero():
		return TokenRevoked
	case !now.Before(t.ExpiresAt):
		return TokenExpired
	}
	return TokenActive
}

// InsertAPIToken stores a new token and sets its ID. It returns ECONFLICT
// when the prefix is taken, so that the caller can draw another.
func InsertAPIToken(ctx context.Context, tx *Tx, t *APIToken) error {
	err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.Prefix, t.Hash, t.CreatedAt, t.ExpiresAt).Scan(&t.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.token_prefix_taken")
	} else if err != nil {
		return fmt.Errorf("store: unable to create an API token for user %d: %w", t.UserID, err)
	}
	return nil
}

const apiTokenColumns = `id, user_id, name, prefix, token_hash, created_at, expires_at, last_used_at, revoked_at`

func scanAPIToken(row interface{ Scan(...any) error }, t *APIToken) error {
	var used, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Hash, &t.CreatedAt, &t.ExpiresAt, &used, &revoked); err != nil {
		return err
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	t.LastUsedAt, t.RevokedAt = time.Time{}, time.Time{}
	if used.Valid {
		t.LastUsedAt = used.Time.UTC()
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time.UTC()
	}
	return nil
}

// FindAPIToken returns the token with the given ID, or ENOTFOUND.
func FindAPIToken(ctx context.Context, tx *Tx, id int64) (*APIToken, error) {
	var t APIToken
	err := scanAPIToken(tx.QueryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE id = ?`, id), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find API token %d: %w", id, err)
	}
	return &t, nil
}

// FindAPITokenByPrefix returns the token with the given prefix, or
// ENOTFOUND.
func FindAPITokenByPrefix(ctx context.Context, tx *Tx, prefix string) (*APIToken, error) {
	var t APIToken
	err := scanAPIToken(tx.QueryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE prefix = ?`, prefix), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find an API token by prefix: %w", err)
	}
	return &t, nil
}

// ListUserAPITokens returns every token of a user, revoked and expired ones
// included, newest first.
func ListUserAPITokens(ctx context.Context, tx *Tx, userID int64) ([]APIToken, error) {
	rows, err := tx.Query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ?
		ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the API tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var ts []APIToken
	for rows.Next() {
		var t APIToken
		if err := scanAPIToken(rows, &t); err != nil {
			return nil, fmt.Errorf("store: unable to read an API token: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeAPIToken marks a token revoked at t and reports whether it was not
// revoked before.
func RevokeAPIToken(ctx context.Context, tx *Tx, id int64, t time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, t, id)
	if err != nil {
		return false, fmt.Errorf("store: unable to revoke API token %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TouchAPIToken records that a token was used at t, unless a use later than
// t minus every is already recorded, so that a token in constant use costs
// one write per interval and instances racing on one token write once.
func TouchAPIToken(ctx context.Context, tx *Tx, id int64, t time.Time, every time.Duration) error {
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = ?
		WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`, t, id, t.Add(-every))
	if err != nil {
		return fmt.Errorf("store: unable to record the use of API token %d: %w", id, err)
	}
	return nil
}
