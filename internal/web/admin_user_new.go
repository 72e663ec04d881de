package web

import (
	"net/http"

	"approdo/internal/i18n"
	"approdo/network"
)

// newUser shows the form that invites a new user.
func (h *Handler) newUser(w http.ResponseWriter, r *http.Request) {
	h.renderUserForm(w, r, http.StatusOK, newUserForm(&network.User{Locale: i18n.Default}))
}
