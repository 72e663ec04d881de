package server

import (
	"net/http"
	"strings"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/web"
)

// bearer authenticates JSON API requests that carry a personal API token in
// "Authorization: Bearer <token>" as the token's owner, and puts the actor
// in the request's context before session runs, which then leaves the
// request alone.
//
// Tokens are for the API only: on any other path the header is ignored, so
// no page of the UI is reachable with a token. On the API a token that is
// malformed, unknown, expired or revoked, or whose owner was deactivated,
// answers 401 at once, with a WWW-Authenticate challenge; the request never
// falls back to a session cookie it may also carry. Authorization headers
// of other schemes are left to whatever put them there (a proxy's Basic
// authentication, for example).
//
// A request authenticated by a token needs no anti-forgery token (see csrf):
// browsers never add an Authorization header on their own, so such a
// request cannot be forged from another site.
func (s *Server) bearer(next http.Handler, cat *i18n.Catalogue) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		value, ok := bearerToken(r)
		if !ok || !isAPI(r) {
			next.ServeHTTP(w, r)
			return
		}
		actor, err := s.tokens.Authenticate(r.Context(), value)
		if err != nil {
			if approdo.ErrorCode(err) == approdo.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="approdo", error="invalid_token"`)
			}
			s.fail(w, r, cat, err)
			return
		}
		if info := requestInfoFrom(r.Context()); info != nil {
			*info.userID = actor.User.ID
		}
		ctx := auth.WithActor(r.Context(), actor)
		if c, err := r.Cookie(web.LanguageCookie); r.Header.Get("Accept-Language") == "" && (err != nil || !i18n.Supported(c.Value)) {
			ctx = i18n.WithLang(ctx, actor.User.Locale)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header and
// whether the request has one; the scheme's name is case-insensitive
// (RFC 9110, section 11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(value), true
}
