package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/services"
)

// createService adds a service to the directory and shows it, or shows the
// form again with its problems and everything typed.
func (h *Handler) createService(w http.ResponseWriter, r *http.Request) {
	h.saveService(w, r, 0, func(s *services.Service) error {
		return h.serviceDirectory().Create(r.Context(), auth.ActorFrom(r.Context()), s)
	})
}
