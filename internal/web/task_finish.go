package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// finishTask marks a task done, or closes it with a reason. A task someone
// finished or changed meanwhile is shown as it now stands, with a message
// and status 409; a missing reason is asked for beside the task.
func (h *Handler) finishTask(w http.ResponseWriter, r *http.Request) {
	id, taskID := pathID(r, "id"), pathID(r, "task")
	if id == 0 || taskID == 0 {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	f := casework.TaskFinish{State: cases.TaskState(r.PostFormValue("state")), Reason: r.PostFormValue("reason"), Version: version}
	_, err := h.Cases.FinishTask(r.Context(), auth.ActorFrom(r.Context()), id, taskID, f, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		h.tasksSaved(w, r, id)
	case approdo.EINVALID:
		h.renderTasks(w, r, http.StatusUnprocessableEntity, tasksState{finishID: taskID, finishReason: f.Reason,
			finishErrors: h.prefixedErrors(r, err, finishFieldPrefix(taskID))})
	case approdo.ECONFLICT:
		h.renderTasks(w, r, http.StatusConflict, tasksState{finishID: taskID, finishReason: f.Reason,
			finishErrors: h.formErrors(r, err)})
	default:
		h.fail(w, r, err)
	}
}
