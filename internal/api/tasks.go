package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
)

// taskJSON is a task on a case as the API shows it.
type taskJSON struct {
	ID            int64   `json:"id"`
	CaseID        int64   `json:"case_id"`
	CaseCode      string  `json:"case_code"`
	Title         string  `json:"title"`
	DueAt         string  `json:"due_at"`
	ResponsibleID int64   `json:"responsible_id"`
	Responsible   string  `json:"responsible"`
	State         string  `json:"state"`
	Overdue       bool    `json:"overdue"`
	Reason        string  `json:"reason"`
	CreatedBy     int64   `json:"created_by"`
	CreatedAt     string  `json:"created_at"`
	ClosedBy      *int64  `json:"closed_by"`
	ClosedAt      *string `json:"closed_at"`
	Version       int     `json:"version"`
}

func taskView(v casework.TaskView) taskJSON {
	out := taskJSON{ID: v.ID, CaseID: v.CaseID, CaseCode: v.CaseCode, Title: v.Title, DueAt: v.DueAt.UTC().Format(time.RFC3339),
		ResponsibleID: v.ResponsibleID, Responsible: v.Responsible, State: string(v.State), Overdue: v.Overdue,
		Reason: v.Reason, CreatedBy: v.Task.CreatedBy, CreatedAt: v.CreatedAt.UTC().Format(time.RFC3339),
		ClosedBy: optionalID(v.Task.ClosedBy), Version: v.Version}
	if !v.ClosedAt.IsZero() {
		at := v.ClosedAt.UTC().Format(time.RFC3339)
		out.ClosedAt = &at
	}
	return out
}

// taskListJSON is a list of tasks.
type taskListJSON struct {
	Items []taskJSON `json:"items"`
}

func taskList(tasks []casework.TaskView) taskListJSON {
	out := taskListJSON{Items: []taskJSON{}}
	for _, t := range tasks {
		out.Items = append(out.Items, taskView(t))
	}
	return out
}

// listCaseTasks returns the tasks of a case, open ones first.
func (a *API) listCaseTasks(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	ct, err := a.Cases.Tasks(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, taskList(ct.Tasks))
}

// taskInputJSON is the body of a new task.
type taskInputJSON struct {
	Title         string `json:"title"`
	DueAt         string `json:"due_at"`
	ResponsibleID int64  `json:"responsible_id"`
}

// createTask adds a task to a case.
func (a *API) createTask(w http.ResponseWriter, r *http.Request) {
	var body taskInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.TaskInput{Title: body.Title, ResponsibleID: body.ResponsibleID}
	if s := strings.TrimSpace(body.DueAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "due_at", Message: "error.field.datetime"})
		}
		in.DueAt = t
	}
	v, err := a.Cases.AddTask(r.Context(), auth.ActorFrom(r.Context()), pathID(r), in, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(v.CaseID, 10)+"/tasks")
	respond.JSON(w, http.StatusCreated, taskView(*v))
}

// taskFinishJSON is the body that finishes a task.
type taskFinishJSON struct {
	State   string `json:"state"`
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// finishTask marks a task done, or closes it with a reason; a task changed
// since the version sent answers 409.
func (a *API) finishTask(w http.ResponseWriter, r *http.Request) {
	taskID, err := strconv.ParseInt(r.PathValue("task"), 10, 64)
	if err != nil || taskID <= 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body taskFinishJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.FinishTask(r.Context(), auth.ActorFrom(r.Context()), pathID(r), taskID,
		casework.TaskFinish{State: cases.TaskState(body.State), Reason: body.Reason, Version: body.Version}, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, taskView(*v))
}

// listOpenTasks returns the open tasks soonest due first: the caller's
// own (list=me, the default) or those on the cases of the caller's
// organisation (list=organisation), only the overdue ones with
// overdue=true.
func (a *API) listOpenTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var problems []approdo.FieldError
	list := casework.TasksMine
	switch q.Get("list") {
	case "", casework.TasksMine:
	case casework.TasksOrganisation:
		list = casework.TasksOrganisation
	default:
		problems = append(problems, approdo.FieldError{Field: "list", Message: "error.field.unknown_value"})
	}
	overdue := false
	switch q.Get("overdue") {
	case "", "false", "0":
	case "true", "1":
		overdue = true
	default:
		problems = append(problems, approdo.FieldError{Field: "overdue", Message: "error.field.unknown_value"})
	}
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	tasks, err := a.Cases.OpenTasks(r.Context(), auth.ActorFrom(r.Context()), list, overdue, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, taskList(tasks))
}
