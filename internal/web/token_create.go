package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/auth"
)

// createToken creates an API token for the signed-in user and shows its
// value this once, on the page itself: it is never put in a URL, a cookie
// or the database. Invalid input shows the form again with its problems.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	form := tokenForm{Name: r.PostFormValue("name")}
	days, err := strconv.Atoi(r.PostFormValue("expires_in_days"))
	if err != nil || !slices.Contains(tokenLifetimes, days) {
		days = 0
	}
	form.ExpiresInDays = days
	req := auth.TokenRequest{Name: form.Name, Lifetime: time.Duration(days) * 24 * time.Hour}
	tok, value, err := h.Tokens.Create(r.Context(), auth.ActorFrom(r.Context()), req)
	if approdo.ErrorCode(err) == approdo.EINVALID {
		form.Errors = h.formErrors(r, err)
		h.renderTokens(w, r, http.StatusUnprocessableEntity, form, nil)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	created := &createdToken{Name: tok.Name, Value: value, ExpiresAt: tok.ExpiresAt}
	h.renderTokens(w, r, http.StatusOK, tokenForm{ExpiresInDays: defaultTokenLifetime}, created)
}
