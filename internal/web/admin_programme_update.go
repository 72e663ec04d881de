package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/network"
)

// updateProgramme saves an edited programme and its budget, or shows the
// form again: with its problems, or, for an edit made from an older
// version, with what was saved meanwhile and the current version, so that
// saving again applies it.
func (h *Handler) updateProgramme(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	h.saveProgramme(w, r, id, func(p *network.Programme) error {
		return h.Admin.UpdateProgramme(r.Context(), auth.ActorFrom(r.Context()), p)
	})
}
