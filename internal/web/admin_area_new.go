package web

import (
	"net/http"

	"approdo/network"
)

// newArea shows the form of a new area.
func (h *Handler) newArea(w http.ResponseWriter, r *http.Request) {
	h.renderAreaForm(w, r, http.StatusOK, newAreaForm(&network.Area{}))
}
