package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editArea shows the form of an existing area, with the version it was
// made from.
func (h *Handler) editArea(w http.ResponseWriter, r *http.Request) {
	area, err := h.Admin.Area(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAreaForm(w, r, http.StatusOK, newAreaForm(area))
}
