package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/internal/web"
)

// contentSecurityPolicy allows scripts, styles and fonts from Approdo itself
// only: no inline script, no inline style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// chain wraps h in every middleware, outermost first.
func (s *Server) chain(h http.Handler, sessions *auth.Sessions, cat *i18n.Catalogue) http.Handler {
	h = s.csrf(h, cat)
	h = s.session(h, sessions, cat)
	h = s.bearer(h, cat)
	h = s.language(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.limitBody(h)
	h = s.headers(h)
	h = s.observe(h)
	h = s.recover(h)
	return h
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives every request an id and, when it ends, writes one log line
// and updates the metrics. The log names the route pattern, never the path or
// query, so that no name or search term reaches it; users are named by id.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		var userID int64
		ctx := withRequestInfo(r.Context(), &requestInfo{id: id, userID: &userID})
		r = r.WithContext(auth.WithClient(ctx, s.clientAddress(r)))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		_, route := s.mux.Handler(r)
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.observe(r.Method, route, sw.status, elapsed)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("id", id), slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Float64("ms", float64(elapsed.Microseconds())/1000), slog.Int64("user", userID))
	})
}

// clientAddress returns the address of the client: the first hop of
// X-Forwarded-For behind a trusted proxy, the connection's peer otherwise.
func (s *Server) clientAddress(r *http.Request) string {
	if s.cfg.TrustProxy {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recover turns a panic into a 500 and a log line with the stack's top.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic while serving a request", "route", r.Pattern, "panic", fmt.Sprint(p))
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// headers sets the security headers of every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body: at MaxBodyBytes, and at MaxUploadBytes
// for the routes that take a file.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if _, pattern := s.mux.Handler(r); s.uploads[pattern] {
			limit = s.cfg.MaxUploadBytes
		}
		if r.ContentLength > limit {
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// language picks the request's language: the language cookie, then the
// Accept-Language header, then Italian. The signed-in user's own preference
// is applied by session, which runs after this.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := i18n.Negotiate(r.Header.Get("Accept-Language"))
		if c, err := r.Cookie(web.LanguageCookie); err == nil && i18n.Supported(c.Value) {
			lang = c.Value
		}
		next.ServeHTTP(w, r.WithContext(i18n.WithLang(r.Context(), lang)))
	})
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// session finds the signed-in actor from the session cookie and puts it in
// the request's context. An expired or unknown session is dropped and the
// request continues as anonymous. A request that bearer already
// authenticated by an API token is left alone.
func (s *Server) session(next http.Handler, sessions *auth.Sessions, cat *i18n.Catalogue) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(web.SessionCookie)
		if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/static/") || auth.ActorFrom(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		actor, err := sessions.Authenticate(r.Context(), c.Value)
		switch approdo.ErrorCode(err) {
		case "":
			if info := requestInfoFrom(r.Context()); info != nil {
				*info.userID = actor.User.ID
			}
			ctx := auth.WithActor(r.Context(), actor)
			if c, err := r.Cookie(web.LanguageCookie); err != nil || !i18n.Supported(c.Value) {
				ctx = i18n.WithLang(ctx, actor.User.Locale)
			}
			r = r.WithContext(ctx)
		case approdo.EUNAUTHORIZED:
			http.SetCookie(w, web.ExpiredCookie(web.SessionCookie, s.secure(r)))
		default:
			s.fail(w, r, cat, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// csrf refuses unsafe requests that do not carry the anti-forgery token of
// their session, or, before sign-in, of the visitor's token cookie. It also
// hands the token to the templates through the context.
func (s *Server) csrf(next http.Handler, cat *i18n.Catalogue) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A request authenticated by an API token (see bearer) cannot be
		// forged by a browser and carries no anti-forgery token.
		if a := auth.ActorFrom(r.Context()); strings.HasPrefix(r.URL.Path, "/static/") || (a != nil && a.Token != nil) {
			next.ServeHTTP(w, r)
			return
		}
		var want string
		if a := auth.ActorFrom(r.Context()); a != nil {
			want = a.Session.CSRFToken
		} else if c, err := r.Cookie(web.CSRFCookie); err == nil && len(c.Value) >= 32 {
			want = c.Value
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			if want == "" {
				token, err := auth.NewCSRFToken()
				if err != nil {
					s.fail(w, r, cat, err)
					return
				}
				http.SetCookie(w, web.NewCookie(web.CSRFCookie, token, 0, s.secure(r)))
				want = token
			}
			next.ServeHTTP(w, r.WithContext(auth.WithCSRF(r.Context(), want)))
			return
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			got = r.PostFormValue("csrf_token")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(w, r, cat, approdo.Errorf(approdo.EFORBIDDEN, "error.csrf"))
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithCSRF(r.Context(), want)))
	})
}

// fail answers a request that middleware refuses: JSON for the API, plain
// text in the request's language otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, cat *i18n.Catalogue, err error) {
	lang := i18n.LangFrom(r.Context())
	if isAPI(r) {
		respond.JSONError(w, r, cat, lang, err)
		return
	}
	code := approdo.ErrorCode(err)
	if code == approdo.EINTERNAL {
		s.log.Error("internal error in middleware", "err", err)
	}
	key, args := approdo.ErrorMessage(err)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(respond.Status(code))
	w.Write([]byte(cat.T(lang, key, args...) + "\n"))
}

// metricsLabelStatus returns the status as a metrics label.
func metricsLabelStatus(code int) string { return strconv.Itoa(code) }
