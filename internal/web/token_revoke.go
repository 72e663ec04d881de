package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
)

// revokeToken revokes a token of the signed-in user, which stops working at
// once, and returns to the list, which says so. Someone else's token is not
// found.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Tokens.Revoke(r.Context(), auth.ActorFrom(r.Context()), id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/tokens?revoked="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
