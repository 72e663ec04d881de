package web

import (
	"net/http"
	"strconv"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// taskFieldPrefix prefixes the ids of the fields of the form that adds a
// task, which shares the case page with other sections' forms.
const taskFieldPrefix = "task-"

// tasksData is what the tasks section of a case shows: its tasks, open ones
// first, and the forms to add a task and to finish one.
type tasksData struct {
	*casework.CaseTasks
	Form   taskForm
	Errors []formError
	// FinishErrors are the problems of the form that finished task
	// FinishID, shown beside it.
	FinishID     int64
	FinishReason string
	FinishErrors []formError
	// Open shows the form to add a task unfolded, after a failed submit.
	Open  bool
	Saved bool
}

// FieldError returns the message of the add form's field name, or "".
func (d tasksData) FieldError(name string) string { return fieldError(d.Errors, taskFieldPrefix+name) }

// FinishError returns the message of field name of the form that finishes
// task id, or "".
func (d tasksData) FinishError(id int64, name string) string {
	if id != d.FinishID {
		return ""
	}
	return fieldError(d.FinishErrors, finishFieldPrefix(id)+name)
}

// finishFieldPrefix prefixes the ids of the fields of the form that
// finishes task id.
func finishFieldPrefix(id int64) string { return "task-" + strconv.FormatInt(id, 10) + "-" }

// tasksState is what a render of the section carries over from a submit.
type tasksState struct {
	form         *taskForm
	errors       []formError
	finishID     int64
	finishReason string
	finishErrors []formError
	saved        bool
}

// showCaseTasks shows the tasks of a case.
func (h *Handler) showCaseTasks(w http.ResponseWriter, r *http.Request) {
	h.renderTasks(w, r, http.StatusOK, tasksState{saved: r.URL.Query().Has("saved")})
}

// renderTasks loads the tasks of the case named in the path and shows the
// section with status, as a part of the case page to htmx and as a page of
// its own otherwise.
func (h *Handler) renderTasks(w http.ResponseWriter, r *http.Request, status int, st tasksState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	ct, err := h.Cases.Tasks(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := tasksData{CaseTasks: ct, Saved: st.saved, Errors: st.errors, FinishID: st.finishID,
		FinishReason: st.finishReason, FinishErrors: st.finishErrors}
	if st.form != nil {
		d.Form, d.Open = *st.form, len(st.errors) > 0
	} else {
		d.Form = newTaskForm(ct.Case)
	}
	h.renderSection(w, r, status, "case_tasks", h.newPage(r, "case.section.tasks", d))
}

// newTaskForm is the empty form to add a task to c: its case worker is
// responsible unless the author says otherwise.
func newTaskForm(c *cases.Case) taskForm {
	f := taskForm{}
	if c.CaseWorkerID != 0 {
		f.ResponsibleID = strconv.FormatInt(c.CaseWorkerID, 10)
	}
	return f
}
