package web

import (
	"net/http"

	"approdo/internal/auth"
)

// reinviteUser issues a new invitation link to a user whose link expired or
// who forgot their password, and shows it this once; earlier links stop
// working.
func (h *Handler) reinviteUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	id := pathID(r, "id")
	inv, err := h.Admin.ReinviteUser(ctx, a, id)
	if err != nil {
		h.userActionFailed(w, r, id, err)
		return
	}
	u, err := h.Admin.User(ctx, a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderInvited(w, r, &u.User, inv, false)
}
