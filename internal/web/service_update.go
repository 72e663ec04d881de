package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/services"
)

// updateService saves an edited service (deactivating it, or activating it
// again, with its status) and shows it, or shows the form again: with its
// problems, or, for an edit made from an older version, with what was saved
// meanwhile and the current version, so that saving again applies it.
func (h *Handler) updateService(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "service")
	h.saveService(w, r, id, func(s *services.Service) error {
		return h.serviceDirectory().Update(r.Context(), auth.ActorFrom(r.Context()), s)
	})
}
