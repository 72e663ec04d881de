package web

import (
	"net/http"

	"approdo/internal/auth"
)

// listProjectsAwaiting shows the lead entity the projects waiting for its
// decision, oldest first.
func (h *Handler) listProjectsAwaiting(w http.ResponseWriter, r *http.Request) {
	list, err := h.Cases.ProjectsAwaiting(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "projects_awaiting", h.newPage(r, "projects.awaiting_title", list))
}
