package audit

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"

	"approdo/internal/store"
)

// Filter narrows a search of the log; zero values do not filter.
type Filter struct {
	ActorID    int64
	CaseID     int64
	RecordType string
	RecordID   string
	Action     Action
	From, To   time.Time // To is exclusive
	Before     int64     // entries before this number, for paging back
	Limit      int
}

// Search returns the entries that pass f, newest first.
func Search(ctx context.Context, tx *store.Tx, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	add := func(clause string, v any) {
		where = append(where, clause)
		args = append(args, v)
	}
	if f.ActorID != 0 {
		add("actor_id = ?", f.ActorID)
	}
	if f.CaseID != 0 {
		add("case_id = ?", f.CaseID)
	}
	if f.RecordType != "" {
		add("record_type = ?", f.RecordType)
	}
	if f.RecordID != "" {
		add("record_id = ?", f.RecordID)
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		add("seq < ?", f.Before)
	}
	q := `SELECT ` + entryColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q += " ORDER BY seq DESC LIMIT ?"
	rows, err := tx.Query(ctx, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit: unable to search the log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: unable to read an entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Actions lists every action, for filters.
var Actions = []Action{Login, LoginFailed, LoginLocked, Logout, LogoutEverywhere, Read, Create, Update, Delete,
	Export, PermissionChange, BreakGlass, SecondFactor, TokenCreate, TokenRevoke, KeyRotate}

// searchPage is how many entries a search returns at once.
const searchPage = 100

// ParseFilter reads a search's filters as a form or a query string gives
// them: user id, record type and id, action, from and to dates (YYYY-MM-DD,
// in Europe/Rome; to is inclusive) and the entry to page back from. It
// returns EINVALID naming each malformed field, with the filter of the
// fields that were well formed.
func ParseFilter(user, recordType, recordID, action, from, to, before string) (Filter, error) {
	f := Filter{RecordType: recordType, RecordID: recordID, Limit: searchPage}
	var problems []approdo.FieldError
	if user != "" {
		id, err := strconv.ParseInt(user, 10, 64)
		if err != nil || id < 0 {
			problems = append(problems, approdo.FieldError{Field: "user", Message: "error.field.unknown_value"})
		}
		f.ActorID = id
	}
	if action != "" {
		if !slices.Contains(Actions, Action(action)) {
			problems = append(problems, approdo.FieldError{Field: "action", Message: "error.field.unknown_value"})
		} else {
			f.Action = Action(action)
		}
	}
	day := func(field, s string, next bool) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, approdo.Rome)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: field, Message: "error.field.date"})
			return time.Time{}
		}
		if next {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	f.From, f.To = day("from", from, false), day("to", to, true)
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		problems = append(problems, approdo.FieldError{Field: "to", Message: "error.field.before_start"})
	}
	if before != "" {
		n, err := strconv.ParseInt(before, 10, 64)
		if err != nil || n < 1 {
			problems = append(problems, approdo.FieldError{Field: "before", Message: "error.field.unknown_value"})
		}
		f.Before = n
	}
	if len(problems) > 0 {
		return f, approdo.Invalid(problems...)
	}
	return f, nil
}
