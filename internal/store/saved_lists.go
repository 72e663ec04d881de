package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"approdo"
	"approdo/cases"
)

// InsertSavedList stores a working list and sets its ID. A name the user
// gave another list already is EINVALID on the field "name"
// ("error.list.name_taken").
func InsertSavedList(ctx context.Context, tx *Tx, l *cases.SavedList) error {
	err := tx.QueryRow(ctx, `INSERT INTO saved_lists (user_id, name, query, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		l.UserID, l.Name, l.Query, l.CreatedAt.UTC()).Scan(&l.ID)
	if IsUniqueViolation(err) {
		return approdo.Invalid(approdo.FieldError{Field: "name", Message: "error.list.name_taken"})
	} else if err != nil {
		return fmt.Errorf("store: unable to save a working list: %w", err)
	}
	return nil
}

// FindSavedList returns the working list with the given ID, or ENOTFOUND.
func FindSavedList(ctx context.Context, tx *Tx, id int64) (*cases.SavedList, error) {
	var l cases.SavedList
	err := tx.QueryRow(ctx, `SELECT id, user_id, name, query, created_at FROM saved_lists WHERE id = ?`, id).Scan(
		&l.ID, &l.UserID, &l.Name, &l.Query, &l.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find working list %d: %w", id, err)
	}
	return &l, nil
}

// ListSavedLists returns a user's working lists by name.
func ListSavedLists(ctx context.Context, tx *Tx, userID int64) ([]cases.SavedList, error) {
	rows, err := tx.Query(ctx, `SELECT id, user_id, name, query, created_at FROM saved_lists WHERE user_id = ?
		ORDER BY name, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list working lists: %w", err)
	}
	defer rows.Close()
	var out []cases.SavedList
	for rows.Next() {
		var l cases.SavedList
		if err := rows.Scan(&l.ID, &l.UserID, &l.Name, &l.Query, &l.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a working list: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// DeleteSavedList removes a working list.
func DeleteSavedList(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM saved_lists WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete working list %d: %w", id, err)
	}
	return nil
}
