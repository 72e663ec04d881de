package web

import (
	"net/http"
	"strings"
	"time"

	"approdo"
	"approdo/internal/casework"
)

// taskForm is the form to add a task as the user filled it in.
type taskForm struct {
	Title         string
	DueAt         string
	ResponsibleID string
}

// readTaskForm reads the form to add a task.
func readTaskForm(r *http.Request) taskForm {
	return taskForm{Title: r.PostFormValue("title"), DueAt: r.PostFormValue("due_at"),
		ResponsibleID: r.PostFormValue("responsible_id")}
}

// input turns the form into what the service takes, with the problem of a
// due date that could not be read.
func (f taskForm) input() casework.TaskInput {
	in := casework.TaskInput{Title: f.Title, ResponsibleID: parseID(f.ResponsibleID)}
	if s := strings.TrimSpace(f.DueAt); s != "" {
		t, err := time.ParseInLocation(occurredLayout, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "due_at", Message: "error.field.datetime"})
		}
		in.DueAt = t
	}
	return in
}
