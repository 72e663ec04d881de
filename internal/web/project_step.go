package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// projectStep returns the handler of one step of a project: co-sign,
// submit, approve (with the reason of an exception when it goes beyond a
// budget line) or return with comments. A refused step shows the section
// again with the reason and status 422 or 409.
func (h *Handler) projectStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := pathID(r, "id")
		if id == 0 {
			h.notFound(w, r)
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		comments, exception := r.PostFormValue("comments"), r.PostFormValue("exception")
		err := h.Cases.StepProject(r.Context(), auth.ActorFrom(r.Context()), id, step,
			casework.ProjectStep{Version: version, Comments: comments, Exception: exception}, auth.ClientFrom(r.Context()))
		switch approdo.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/project?saved=1", http.StatusSeeOther)
		case approdo.EINVALID:
			h.renderProject(w, r, http.StatusUnprocessableEntity, projectData{Errors: h.formErrors(r, err), Comments: comments, Exception: exception})
		case approdo.ECONFLICT:
			h.renderProject(w, r, http.StatusConflict, projectData{Errors: h.formErrors(r, err), Comments: comments, Exception: exception})
		default:
			h.fail(w, r, err)
		}
	}
}
