package web

import (
	"net/http"

	"approdo/internal/auth"
)

// createMediator adds a profile to the registry and goes back to it.
func (h *Handler) createMediator(w http.ResponseWriter, r *http.Request) {
	f, p := readMediatorForm(r)
	_, err := h.Cases.CreateMediator(r.Context(), auth.ActorFrom(r.Context()), parseID(f.UserID), p, auth.ClientFrom(r.Context()))
	if err != nil {
		h.mediatorSaveFailed(w, r, f, err)
		return
	}
	http.Redirect(w, r, "/mediators?saved=1", http.StatusSeeOther)
}
