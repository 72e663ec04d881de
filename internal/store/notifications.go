package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Notification tells a user that something happened on a case. It names the
// case by its code, never by the person's name.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string // a catalogue key suffix: "notification.<kind>"
	CaseID    int64
	CaseCode  string
	ActorID   int64
	CreatedAt time.Time
	ReadAt    time.Time
}

// InsertNotification stores a notification and sets its ID. In the same
// transaction it enqueues the e-mail the user asked for, if any.
func InsertNotification(ctx context.Context, tx *Tx, n *Notification) error {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	n.CreatedAt = n.CreatedAt.UTC() // SQLite compares times as text
	err := tx.QueryRow(ctx, `INSERT INTO notifications (user_id, kind, case_id, case_code, actor_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, n.UserID, n.Kind, nullID(n.CaseID), n.CaseCode, nullID(n.ActorID),
		n.CreatedAt).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create a notification: %w", err)
	}
	return enqueueNotificationMail(ctx, tx, n)
}

// ListNotifications returns a user's newest notifications.
func ListNotifications(ctx context.Context, tx *Tx, userID int64, limit int) ([]Notification, error) {
	rows, err := tx.Query(ctx, `SELECT id, user_id, kind, COALESCE(case_id, 0), case_code, COALESCE(actor_id, 0),
		created_at, read_at FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.CaseID, &n.CaseCode, &n.ActorID, &n.CreatedAt, &read); err != nil {
			return nil, fmt.Errorf("store: unable to read a notification: %w", err)
		}
		if read.Valid {
			n.ReadAt = read.Time
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UsersWithRoleIn returns the active users of an organisation who hold role.
func UsersWithRoleIn(ctx context.Context, tx *Tx, orgID int64, role string) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.organisation_id = ? AND r.role = ? AND u.active = TRUE ORDER BY u.id`, orgID, role)
}
