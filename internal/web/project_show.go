package web

import (
	"net/http"
	"net/url"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/projects"
)

// projectData is what the project section of a case shows.
type projectData struct {
	*casework.ProjectView
	Errors []formError
	// Comments is what the lead entity typed to return the project, kept
	// after a failed submit.
	Comments string
	// Exception is the reason of a budget exception typed by the approver.
	Exception string
	// Review and Expense hold what was typed in a refused review or
	// expense form.
	Review  url.Values
	Expense url.Values
	Saved   bool
}

// ExpenseValue returns what was typed in field name of a refused expense.
func (d projectData) ExpenseValue(name string) string { return d.Expense.Get(name) }

// ReviewValue returns what was typed in field name of a refused review.
func (d projectData) ReviewValue(name string) string { return d.Review.Get(name) }

// FieldError returns the message of the named field, or "".
func (d projectData) FieldError(name string) string { return fieldError(d.Errors, name) }

// Progresses lists the degrees of progress a review offers.
func (d projectData) Progresses() []projects.Progress { return projects.Progresses }

// CommentsError returns the message of the comments field, or "".
func (d projectData) CommentsError() string { return fieldError(d.Errors, "comments") }

// showCaseProject shows the individual project of a case: its goals and
// actions, where it stands, its approved versions, and what the reader may
// do with it.
func (h *Handler) showCaseProject(w http.ResponseWriter, r *http.Request) {
	h.renderProject(w, r, http.StatusOK, projectData{Saved: r.URL.Query().Has("saved")})
}

// renderProject loads the project of the case in the path and shows its
// section with status.
func (h *Handler) renderProject(w http.ResponseWriter, r *http.Request, status int, d projectData) {
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
	d.ProjectView = v
	h.renderSection(w, r, status, "case_project", h.newPage(r, "case.section.project", d))
}
