package web

import (
	"net/http"

	"approdo/network"
)

// newProgramme shows the form of a new programme.
func (h *Handler) newProgramme(w http.ResponseWriter, r *http.Request) {
	h.renderProgrammeForm(w, r, http.StatusOK, newProgrammeForm(&network.Programme{}, lang(r.Context())))
}
