package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// openTasksData is what the list of open tasks shows.
type openTasksData struct {
	List    string // casework.TasksMine or casework.TasksOrganisation
	Overdue bool
	Tasks   []casework.TaskView
}

// listOpenTasks shows the open tasks soonest due first: the actor's own
// ("list=me", the default) or those on the cases of the actor's
// organisation ("list=organisation"), only the overdue ones with
// "overdue=1".
func (h *Handler) listOpenTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := openTasksData{List: casework.TasksMine, Overdue: q.Get("overdue") == "1"}
	if q.Get("list") == casework.TasksOrganisation {
		d.List = casework.TasksOrganisation
	}
	tasks, err := h.Cases.OpenTasks(r.Context(), auth.ActorFrom(r.Context()), d.List, d.Overdue, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Tasks = tasks
	h.render(w, r, http.StatusOK, "tasks", h.newPage(r, "tasks.title", d))
}
