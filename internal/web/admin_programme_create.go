package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/network"
)

// createProgramme saves a new programme with its budget and shows it, or
// shows the form again with its problems and everything typed.
func (h *Handler) createProgramme(w http.ResponseWriter, r *http.Request) {
	h.saveProgramme(w, r, 0, func(p *network.Programme) error {
		return h.Admin.CreateProgramme(r.Context(), auth.ActorFrom(r.Context()), p)
	})
}
