package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/projects"
)

// reviewProject records a review of a case's approved project: its date,
// the progress of each goal with a note, and a summary. A refused review
// shows the section again with what was typed and the problems.
func (h *Handler) reviewProject(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	rev := projects.Review{Summary: r.PostFormValue("summary")}
	var problems []approdo.FieldError
	if s := strings.TrimSpace(r.PostFormValue("reviewed_on")); s != "" {
		t, err := time.ParseInLocation(projectDateLayout, s, approdo.Rome)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: "reviewed_on", Message: "error.field.date"})
		}
		rev.ReviewedOn = t
	}
	for _, d := range projects.Domains {
		name := "goals." + string(d) + "."
		progress := r.PostFormValue(name + "progress")
		if progress == "" {
			continue
		}
		rev.Goals = append(rev.Goals, projects.GoalProgress{Domain: d, Progress: projects.Progress(progress),
			Note: strings.TrimSpace(r.PostFormValue(name + "note"))})
	}
	_, err := h.Cases.ReviewProject(r.Context(), auth.ActorFrom(r.Context()), id, rev, problems, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/project?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderProject(w, r, http.StatusUnprocessableEntity, projectData{Errors: h.formErrors(r, err), Review: r.PostForm})
	case approdo.ECONFLICT:
		h.renderProject(w, r, http.StatusConflict, projectData{Errors: h.formErrors(r, err), Review: r.PostForm})
	default:
		h.fail(w, r, err)
	}
}
