package cases

import (
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
)

// A task is something that must be done on a case by a date: call the
// guardian, send the placement to the prosecutor, renew a permit. Someone
// on the case's team is responsible for it. A task is open until it is done
// or closed with a reason (when it no longer applies); a task still open
// after its due date is overdue, and so is its case.

// TaskState is where a task stands.
type TaskState string

// The states of a task.
const (
	TaskOpen   TaskState = "open"
	TaskDone   TaskState = "done"
	TaskClosed TaskState = "closed" // closed without being done, with a reason
)

// Valid reports whether s is a known state.
func (s TaskState) Valid() bool { return s == TaskOpen || s == TaskDone || s == TaskClosed }

// MaxTaskTitle is the longest title a task may have, in characters.
const MaxTaskTitle = 300

// Task is a dated duty on a case. Its title is stored sealed, as it may
// name the person; a notification names the case by its code only.
type Task struct {
	ID            int64
	CaseID        int64
	Title         string
	DueAt         time.Time
	ResponsibleID int64
	State         TaskState
	// Reason says why a task was closed without being done; it is sealed.
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
	ClosedBy  int64
	ClosedAt  time.Time
	Version   int
}

// Overdue reports whether t is open past its due date at now.
func (t *Task) Overdue(now time.Time) bool {
	return t.State == TaskOpen && now.After(t.DueAt)
}

// CheckTask checks a new task: a title of at most MaxTaskTitle characters,
// a due date, and someone responsible. A due date in the past is allowed,
// since a task may record a duty already late. It returns EINVALID naming
// the fields "title", "due_at" and "responsible_id".
func CheckTask(t *Task) error {
	var problems []approdo.FieldError
	switch n := utf8.RuneCountInString(strings.TrimSpace(t.Title)); {
	case n == 0:
		problems = append(problems, approdo.FieldError{Field: "title", Message: "error.field.required"})
	case n > MaxTaskTitle:
		problems = append(problems, approdo.FieldError{Field: "title", Message: "error.field.too_long", Args: []any{MaxTaskTitle}})
	}
	if t.DueAt.IsZero() {
		problems = append(problems, approdo.FieldError{Field: "due_at", Message: "error.field.required"})
	}
	if t.ResponsibleID == 0 {
		problems = append(problems, approdo.FieldError{Field: "responsible_id", Message: "error.field.required"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}
