package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/network"
)

// invitationForm is the page where an invited person chooses their
// password.
type invitationForm struct {
	formState
	User      *network.User
	Token     string
	MinLength int
}

// showInvitation shows an invited person who they are invited as and asks
// them to choose a password. A link that is unknown, used or expired shows
// the not-found page with a message saying to ask for a new one.
func (h *Handler) showInvitation(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := h.Admin.Invitee(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderInvitation(w, r, http.StatusOK, invitationForm{User: u, Token: token})
}

func (h *Handler) renderInvitation(w http.ResponseWriter, r *http.Request, status int, f invitationForm) {
	f.MinLength = auth.MinPasswordLength
	h.render(w, r, status, "invitation", h.newPage(r, "invitation.title", f))
}
