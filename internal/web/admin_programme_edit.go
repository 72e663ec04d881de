package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editProgramme shows the form of an existing programme and its budget,
// with the version it was made from.
func (h *Handler) editProgramme(w http.ResponseWriter, r *http.Request) {
	p, err := h.Admin.Programme(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderProgrammeForm(w, r, http.StatusOK, newProgrammeForm(p, lang(r.Context())))
}
