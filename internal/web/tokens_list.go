package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"approdo/internal/auth"
	"approdo/internal/store"
)

// tokenLifetimes are the lifetimes, in days, a person chooses from when
// creating an API token; the middle one is preselected.
var tokenLifetimes = []int{30, 90, 365}

// defaultTokenLifetime is the preselected lifetime, in days.
const defaultTokenLifetime = 90

// tokensPage is what the API tokens page shows: the user's tokens, the form
// to create one and, right after a creation, the new token's value, once.
type tokensPage struct {
	Tokens    []tokenRow
	Form      tokenForm
	Lifetimes []int
	NameMax   int
	Created   *createdToken
	Revoked   string // the name of the token just revoked
}

// tokenRow is one token in the list.
type tokenRow struct {
	store.APIToken
	State store.TokenState
}

// tokenForm is the form that creates a token, as submitted.
type tokenForm struct {
	Name          string
	ExpiresInDays int
	Errors        []formError
}

// FieldError returns the message of the named field, or "".
func (f tokenForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// createdToken is a token just created, with its value.
type createdToken struct {
	Name      string
	Value     string
	ExpiresAt time.Time
}

// showTokens shows the signed-in user's API tokens and the form to create
// one.
func (h *Handler) showTokens(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, http.StatusOK, tokenForm{ExpiresInDays: defaultTokenLifetime}, nil)
}

// renderTokens renders the API tokens page with the given form and, after a
// creation, the new token.
func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, form tokenForm, created *createdToken) {
	tokens, err := h.Tokens.List(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := tokensPage{Form: form, Lifetimes: tokenLifetimes, NameMax: auth.TokenNameMax, Created: created}
	now := h.Tokens.Now()
	revoked, _ := strconv.ParseInt(r.URL.Query().Get("revoked"), 10, 64)
	for _, t := range tokens {
		data.Tokens = append(data.Tokens, tokenRow{APIToken: t, State: t.State(now)})
		if t.ID == revoked && !t.RevokedAt.IsZero() {
			data.Revoked = t.Name
		}
	}
	if !slices.Contains(tokenLifetimes, data.Form.ExpiresInDays) {
		data.Form.ExpiresInDays = defaultTokenLifetime
	}
	h.render(w, r, status, "tokens", h.newPage(r, "tokens.title", data))
}
