package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/projects"
)

// projectFormData is what the form of a project's draft shows.
type projectFormData struct {
	*casework.ProjectView
	Form    projectForm
	Errors  []formError
	Domains []projects.Domain
	// Locked says that the project waits for a signature or a decision
	// and cannot change now.
	Locked bool
}

// FieldError returns the message of the named field, or "".
func (d projectFormData) FieldError(name string) string { return fieldError(d.Errors, name) }

// editProject shows the form of the project's draft, filled with the
// project as it stands, or says why it cannot change now.
func (h *Handler) editProject(w http.ResponseWriter, r *http.Request) {
	h.renderProjectForm(w, r, http.StatusOK, nil, nil)
}

// renderProjectForm shows the draft form with status: filled with form
// when given (what the user typed), with the project otherwise.
func (h *Handler) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, form *projectForm, errs []formError) {
	id := pathID(r, "id")
	if id == 0 {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	v, err := h.Cases.Project(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := projectFormData{ProjectView: v, Errors: errs, Domains: projects.Domains, Locked: !v.CanEdit && form == nil}
	if form != nil {
		d.Form = *form
	} else if v.Project != nil {
		d.Form = newProjectForm(&v.Project.Content, v.Project.Version, lang(r.Context()))
	} else {
		d.Form = newProjectForm(nil, 0, lang(r.Context()))
	}
	h.render(w, r, status, "project_form", h.newPage(r, "project.edit_title", d))
}
