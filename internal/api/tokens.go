package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// tokenJSON is a personal API token as the API shows it: never its value
// nor its hash.
type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	State      string     `json:"state"`
}

// tokenView is the token as the API shows it, in its state at now.
func tokenView(t store.APIToken, now time.Time) tokenJSON {
	v := tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
		State: string(t.State(now))}
	if !t.LastUsedAt.IsZero() {
		v.LastUsedAt = &t.LastUsedAt
	}
	if !t.RevokedAt.IsZero() {
		v.RevokedAt = &t.RevokedAt
	}
	return v
}

// createdTokenJSON answers the creation of a token: the token, and its
// value, which is shown this once.
type createdTokenJSON struct {
	Token  tokenJSON `json:"token"`
	Secret string    `json:"secret"`
}

// tokenRequestJSON is the body of POST /api/v1/tokens.
type tokenRequestJSON struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

// listTokens returns the signed-in user's own API tokens.
func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := a.Tokens.List(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.Tokens.Now()
	out := make([]tokenJSON, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, tokenView(t, now))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// createToken issues an API token to the signed-in user and returns its
// value once. A request authenticated by a token is refused: a token cannot
// make another.
func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	var body tokenRequestJSON
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil && !errors.Is(err, io.EOF) {
		a.fail(w, r, approdo.Invalid())
		return
	}
	// Clamped first, so that a huge number of days cannot overflow into an
	// acceptable lifetime.
	days := min(max(body.ExpiresInDays, 0), 366)
	req := auth.TokenRequest{Name: body.Name, Lifetime: time.Duration(days) * 24 * time.Hour}
	tok, secret, err := a.Tokens.Create(r.Context(), actor, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, createdTokenJSON{Token: tokenView(*tok, a.Tokens.Now()), Secret: secret})
}

// revokeToken revokes one of the signed-in user's API tokens, which stops
// working at once. Someone else's token is not found.
func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	tok, err := a.Tokens.Revoke(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, tokenView(*tok, a.Tokens.Now()))
}
