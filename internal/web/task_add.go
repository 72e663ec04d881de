package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// addTask adds a task to a case. htmx gets the section back with the task
// in it; a plain form is sent back to the section. Invalid input shows the
// form again with what was typed and a message on each field.
func (h *Handler) addTask(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := readTaskForm(r)
	_, err := h.Cases.AddTask(r.Context(), auth.ActorFrom(r.Context()), id, form.input(), auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		h.renderTasks(w, r, http.StatusUnprocessableEntity, tasksState{form: &form, errors: h.prefixedErrors(r, err, taskFieldPrefix)})
		return
	default:
		h.fail(w, r, err)
		return
	}
	h.tasksSaved(w, r, id)
}

// tasksSaved answers a change of the tasks that succeeded: the section to
// htmx, a redirect to it otherwise.
func (h *Handler) tasksSaved(w http.ResponseWriter, r *http.Request, id int64) {
	if r.Header.Get("HX-Request") == "true" {
		h.renderTasks(w, r, http.StatusOK, tasksState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/tasks?saved=1", http.StatusSeeOther)
}

// prefixedErrors is formErrors with every field named as prefix+field, the
// id of its input.
func (h *Handler) prefixedErrors(r *http.Request, err error, prefix string) []formError {
	errs := h.formErrors(r, err)
	for i := range errs {
		if errs[i].Field != "" {
			errs[i].Field = prefix + errs[i].Field
		}
	}
	return errs
}
