package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"approdo"
)

// JobState is where a durable job stands.
type JobState string

// The states of a job. A pending job waits for its run_at; a running one is
// held by a lease until it is done, skipped (nothing to do, for example no
// mail server configured), or pending again after a failure. After too many
// attempts it is failed, and stays so until an administrator retries it.
const (
	JobPending JobState = "pending"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobSkipped JobState = "skipped"
	JobFailed  JobState = "failed"
)

// The kinds of job that the store itself enqueues.
const (
	// JobMailNotification sends one notification by e-mail.
	JobMailNotification = "mail_notification"
	// JobMailDigest sends a user's notifications of a day in one e-mail.
	JobMailDigest = "mail_digest"
	// JobTaskDue notifies the responsible of a task that is due.
	JobTaskDue = "task_due"
)

// JobPayload is what a job works on: ids and instants only, never a name, a
// note or a reason.
type JobPayload struct {
	UserID         int64 `json:"user_id,omitempty"`
	NotificationID int64 `json:"notification_id,omitempty"`
	TaskID         int64 `json:"task_id,omitempty"`
	// Due is the due time, in Unix seconds, the reminder was made for.
	Due int64 `json:"due,omitempty"`
	// Soon marks the reminder sent before the due time.
	Soon bool `json:"soon,omitempty"`
	// From and To bound, in Unix seconds, the notifications of a digest.
	From int64 `json:"from,omitempty"`
	To   int64 `json:"to,omitempty"`
}

// Job is a unit of durable work.
type Job struct {
	ID          int64
	Kind        string
	Key         string
	Payload     JobPayload
	State       JobState
	RunAt       time.Time
	Attempts    int
	LastError   string
	LockedUntil time.Time
	LockedBy    string
	CreatedAt   time.Time
	FinishedAt  time.Time
}

// EnqueueJob records job j unless a job with its key exists already, and
// reports whether it was recorded. It runs in the caller's transaction, so a
// job is enqueued exactly when the change that asks for it commits.
func EnqueueJob(ctx context.Context, tx *Tx, j *Job) (bool, error) {
	payload, err := json.Marshal(j.Payload)
	if err != nil {
		return false, fmt.Errorf("store: unable to encode the payload of job %q: %w", j.Key, err)
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = time.Now().UTC()
	}
	if j.RunAt.IsZero() {
		j.RunAt = j.CreatedAt
	}
	j.State = JobPending
	res, err := tx.Exec(ctx, `INSERT INTO jobs (kind, job_key, payload, state, run_at, created_at)
		VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (job_key) DO NOTHING`,
		j.Kind, j.Key, string(payload), j.RunAt.UTC(), j.CreatedAt.UTC())
	if err != nil {
		return false, fmt.Errorf("store: unable to enqueue job %q: %w", j.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: unable to enqueue job %q: %w", j.Key, err)
	}
	return n == 1, nil
}

const jobColumns = `id, kind, job_key, payload, state, run_at, attempts, last_error, locked_until, locked_by,
	created_at, finished_at`

func scanJob(row interface{ Scan(...any) error }, j *Job) error {
	var payload, state string
	var locked, finished sql.NullTime
	if err := row.Scan(&j.ID, &j.Kind, &j.Key, &payload, &state, &j.RunAt, &j.Attempts, &j.LastError, &locked,
		&j.LockedBy, &j.CreatedAt, &finished); err != nil {
		return err
	}
	j.State = JobState(state)
	if locked.Valid {
		j.LockedUntil = locked.Time
	}
	if finished.Valid {
		j.FinishedAt = finished.Time
	}
	if err := json.Unmarshal([]byte(payload), &j.Payload); err != nil {
		return fmt.Errorf("store: the payload of job %d is broken: %w", j.ID, err)
	}
	return nil
}

// ClaimJobs takes up to limit jobs that are due at now (pending with run_at
// passed, or running with an expired lease), oldest run_at first, marks them
// running for worker until now+lease and counts the attempt. On PostgreSQL
// the rows are locked with SKIP LOCKED, so concurrent claimers take disjoint
// jobs; on SQLite the single writer serialises claims.
func ClaimJobs(ctx context.Context, tx *Tx, worker string, now time.Time, lease time.Duration, limit int) ([]Job, error) {
	now = now.UTC()
	ids, err := dueJobs(ctx, tx, now, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Job, 0, len(ids))
	for _, id := range ids {
		var j Job
		err := scanJob(tx.QueryRow(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?,
			locked_by = ? WHERE id = ? RETURNING `+jobColumns, now.Add(lease), worker, id), &j)
		if err != nil {
			return nil, fmt.Errorf("store: unable to claim job %d: %w", id, err)
		}
		out = append(out, j)
	}
	return out, nil
}

// dueJobs returns the ids of up to limit jobs due at now, oldest run_at
// first. Pending jobs and jobs whose lease expired are found apart, each in
// the order of the index jobs_due, so that a backlog of due jobs costs a
// claim the few rows it takes rather than a sort of the whole backlog. On
// PostgreSQL each query locks what it finds, up to limit rows more than are
// claimed, until the claim commits.
func dueJobs(ctx context.Context, tx *Tx, now time.Time, limit int) ([]int64, error) {
	type due struct {
		runAt time.Time
		id    int64
	}
	var found []due
	for _, query := range []string{
		`SELECT run_at, id FROM jobs WHERE state = 'pending' AND run_at <= ? ORDER BY run_at, id LIMIT ?`,
		`SELECT run_at, id FROM jobs WHERE state = 'running' AND locked_until <= ? ORDER BY run_at, id LIMIT ?`,
	} {
		if tx.Dialect() == Postgres {
			query += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := tx.Query(ctx, query, now, limit)
		if err != nil {
			return nil, fmt.Errorf("store: unable to find due jobs: %w", err)
		}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.runAt, &d.id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: unable to read a due job: %w", err)
			}
			found = append(found, d)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("store: unable to find due jobs: %w", err)
		}
	}
	slices.SortFunc(found, func(a, b due) int {
		return cmp.Or(a.runAt.Compare(b.runAt), cmp.Compare(a.id, b.id))
	})
	ids := make([]int64, 0, min(len(found), limit))
	for _, d := range found[:min(len(found), limit)] {
		ids = append(ids, d.id)
	}
	return ids, nil
}

// FinishJob records how a running job ended: done or skipped, or, after a
// failure, pending again at retryAt, or failed. It changes nothing, and
// reports false, when worker no longer holds the job's lease.
func FinishJob(ctx context.Context, tx *Tx, id int64, worker string, state JobState, lastError string, retryAt, now time.Time) (bool, error) {
	var res sql.Result
	var err error
	if state == JobPending {
		res, err = tx.Exec(ctx, `UPDATE jobs SET state = 'pending', run_at = ?, last_error = ?, locked_until = NULL,
			locked_by = '' WHERE id = ? AND state = 'running' AND locked_by = ?`, retryAt.UTC(), lastError, id, worker)
	} else {
		res, err = tx.Exec(ctx, `UPDATE jobs SET state = ?, last_error = ?, locked_until = NULL, locked_by = '',
			finished_at = ? WHERE id = ? AND state = 'running' AND locked_by = ?`, string(state), lastError, now.UTC(), id, worker)
	}
	if err != nil {
		return false, fmt.Errorf("store: unable to record the end of job %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: unable to record the end of job %d: %w", id, err)
	}
	return n == 1, nil
}

// ListJobs returns the jobs in state, most recently created first.
func ListJobs(ctx context.Context, tx *Tx, state JobState, limit int) ([]Job, error) {
	rows, err := tx.Query(ctx, `SELECT `+jobColumns+` FROM jobs WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
		string(state), limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		if err := scanJob(rows, &j); err != nil {
			return nil, fmt.Errorf("store: unable to read a job: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// FindJob returns job id, or ENOTFOUND.
func FindJob(ctx context.Context, tx *Tx, id int64) (*Job, error) {
	var j Job
	err := scanJob(tx.QueryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id), &j)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find job %d: %w", id, err)
	}
	return &j, nil
}

// RetryJob makes failed job id pending again at now, with its attempts
// counted afresh. It returns ENOTFOUND when no job has that id, and
// ECONFLICT when the job is not failed.
func RetryJob(ctx context.Context, tx *Tx, id int64, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE jobs SET state = 'pending', attempts = 0, run_at = ?, finished_at = NULL
		WHERE id = ? AND state = 'failed'`, now.UTC(), id)
	if err != nil {
		return fmt.Errorf("store: unable to retry job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to retry job %d: %w", id, err)
	} else if n == 1 {
		return nil
	}
	if _, err := FindJob(ctx, tx, id); err != nil {
		return err
	}
	return approdo.Errorf(approdo.ECONFLICT, "error.job_not_failed")
}

// MailPreference is how a user wants notifications by e-mail.
type MailPreference string

// The e-mail preferences.
const (
	MailNone        MailPreference = "none"
	MailImmediately MailPreference = "immediately"
	MailDaily       MailPreference = "daily"
)

// Valid reports whether p is one of the preferences.
func (p MailPreference) Valid() bool {
	return p == MailNone || p == MailImmediately || p == MailDaily
}

// DigestHour is the hour of the day, in Europe/Rome, at which daily digests
// are sent.
const DigestHour = 8

// Recipient is what an e-mail needs of a user: an address, a language and a
// preference. It holds no name.
type Recipient struct {
	UserID     int64
	Email      string
	Locale     string
	Preference MailPreference
	Active     bool
}

// FindRecipient returns the e-mail address, language and preference of user
// id, or ENOTFOUND.
func FindRecipient(ctx context.Context, tx *Tx, id int64) (*Recipient, error) {
	r := Recipient{UserID: id}
	var pref string
	err := tx.QueryRow(ctx, `SELECT email, locale, notify_email, active FROM users WHERE id = ?`, id).
		Scan(&r.Email, &r.Locale, &pref, &r.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the e-mail settings of user %d: %w", id, err)
	}
	r.Preference = MailPreference(pref)
	return &r, nil
}

// SetMailPreference records how user id wants notifications by e-mail.
func SetMailPreference(ctx context.Context, tx *Tx, id int64, p MailPreference) error {
	if !p.Valid() {
		return approdo.Invalid(approdo.FieldError{Field: "email_notifications", Message: "error.field.unknown_value"})
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET notify_email = ? WHERE id = ?`, string(p), id); err != nil {
		return fmt.Errorf("store: unable to set the e-mail preference of user %d: %w", id, err)
	}
	return nil
}

// NextDigest returns the end of the digest period that at falls in: the next
// DigestHour o'clock in Europe/Rome strictly after at. Its date names the
// digest.
func NextDigest(at time.Time) time.Time {
	l := at.In(approdo.Rome)
	d := time.Date(l.Year(), l.Month(), l.Day(), DigestHour, 0, 0, 0, approdo.Rome)
	if !d.After(l) {
		d = time.Date(l.Year(), l.Month(), l.Day()+1, DigestHour, 0, 0, 0, approdo.Rome)
	}
	return d
}

// enqueueNotificationMail asks for notification n to be sent by e-mail, as
// its user prefers: a job of its own, the job of the day's digest, or none.
// Users without an address, or inactive, get nothing.
func enqueueNotificationMail(ctx context.Context, tx *Tx, n *Notification) error {
	r, err := FindRecipient(ctx, tx, n.UserID)
	if err != nil {
		return err
	}
	if r.Email == "" || !r.Active {
		return nil
	}
	switch r.Preference {
	case MailImmediately:
		_, err = EnqueueJob(ctx, tx, &Job{Kind: JobMailNotification, Key: "notification:" + strconv.FormatInt(n.ID, 10),
			Payload: JobPayload{UserID: n.UserID, NotificationID: n.ID}, RunAt: n.CreatedAt, CreatedAt: n.CreatedAt})
	case MailDaily:
		end := NextDigest(n.CreatedAt)
		_, err = EnqueueJob(ctx, tx, &Job{Kind: JobMailDigest,
			Key:     fmt.Sprintf("digest:%d:%s", n.UserID, end.Format(time.DateOnly)),
			Payload: JobPayload{UserID: n.UserID, From: end.AddDate(0, 0, -1).Unix(), To: end.Unix()},
			RunAt:   end, CreatedAt: n.CreatedAt})
	}
	return err
}

// FindNotification returns notification id, or ENOTFOUND.
func FindNotification(ctx context.Context, tx *Tx, id int64) (*Notification, error) {
	var n Notification
	var read sql.NullTime
	err := tx.QueryRow(ctx, `SELECT id, user_id, kind, COALESCE(case_id, 0), case_code, COALESCE(actor_id, 0),
		created_at, read_at FROM notifications WHERE id = ?`, id).
		Scan(&n.ID, &n.UserID, &n.Kind, &n.CaseID, &n.CaseCode, &n.ActorID, &n.CreatedAt, &read)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find notification %d: %w", id, err)
	}
	if read.Valid {
		n.ReadAt = read.Time
	}
	return &n, nil
}

// ListNotificationsBetween returns a user's notifications created in
// [from, to), oldest first.
func ListNotificationsBetween(ctx context.Context, tx *Tx, userID int64, from, to time.Time) ([]Notification, error) {
	rows, err := tx.Query(ctx, `SELECT id, user_id, kind, COALESCE(case_id, 0), case_code, COALESCE(actor_id, 0),
		created_at FROM notifications WHERE user_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`,
		userID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: unable to list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.CaseID, &n.CaseCode, &n.ActorID, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a notification: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// TaskReminder is what a reminder needs of an open task: ids and the due
// time, never its title.
type TaskReminder struct {
	TaskID        int64
	CaseID        int64
	CaseCode      string
	ResponsibleID int64
	State         string
	DueAt         time.Time
}

// OpenTasksDueBetween returns the open tasks due in [from, to).
func OpenTasksDueBetween(ctx context.Context, tx *Tx, from, to time.Time) ([]TaskReminder, error) {
	return queryTaskReminders(ctx, tx, `SELECT t.id, t.case_id, c.code, t.responsible_id, t.state, t.due_at
		FROM case_tasks t JOIN cases c ON c.id = t.case_id
		WHERE t.state = 'open' AND t.due_at >= ? AND t.due_at < ? ORDER BY t.due_at, t.id`, from.UTC(), to.UTC())
}

// FindTaskReminder returns what a reminder needs of task id, or ENOTFOUND.
func FindTaskReminder(ctx context.Context, tx *Tx, id int64) (*TaskReminder, error) {
	out, err := queryTaskReminders(ctx, tx, `SELECT t.id, t.case_id, c.code, t.responsible_id, t.state, t.due_at
		FROM case_tasks t JOIN cases c ON c.id = t.case_id WHERE t.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return &out[0], nil
}

func queryTaskReminders(ctx context.Context, tx *Tx, query string, args ...any) ([]TaskReminder, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list tasks to remind: %w", err)
	}
	defer rows.Close()
	var out []TaskReminder
	for rows.Next() {
		var r TaskReminder
		if err := rows.Scan(&r.TaskID, &r.CaseID, &r.CaseCode, &r.ResponsibleID, &r.State, &r.DueAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a task to remind: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PurgeJobs removes the jobs that ended done or skipped before before, and
// returns how many. Failed jobs stay until an administrator retries them.
func PurgeJobs(ctx context.Context, tx *Tx, before time.Time) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM jobs WHERE state IN ('done', 'skipped') AND finished_at < ?`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: unable to purge old jobs: %w", err)
	}
	return res.RowsAffected()
}

// JobKeysSince returns the keys of the jobs of kind due at or after since.
func JobKeysSince(ctx context.Context, tx *Tx, kind string, since time.Time) (map[string]bool, error) {
	rows, err := tx.Query(ctx, `SELECT job_key FROM jobs WHERE kind = ? AND run_at >= ?`, kind, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the keys of %s jobs: %w", kind, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: unable to read a job key: %w", err)
		}
		out[k] = true
	}
	return out, rows.Err()
}
