package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// tokenID reads the {id} of a token route; a malformed id is not found.
func tokenID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return id, nil
}

// showRevokeToken asks the signed-in user to confirm that a token of theirs
// is to be revoked. Someone else's token is not found.
func (h *Handler) showRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.Tokens.Find(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	row := tokenRow{APIToken: *tok, State: tok.State(h.Tokens.Now())}
	if row.State != store.TokenActive {
		http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "token_revoke", h.newPage(r, "tokens.revoke.title", row))
}
