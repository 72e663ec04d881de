package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"approdo/internal/demo"
	"approdo/internal/server"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
	"approdo/internal/web"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a running server over a database holding the demo network.
type env struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	logs   *syncBuffer
	server *server.Server
}

// newEnv seeds the demo network into db, which must be empty, and serves it.
// Tests that need the database changed before the server starts use it;
// the others use eachEnv or seededEnv, which copy a network seeded once.
func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	dir := t.TempDir()
	if err := seedDemo(context.Background(), db, dir); err != nil {
		t.Fatal(err)
	}
	return serve(t, db, dir)
}

// seedDemo seeds the demo network, sealed with a vault whose master key it
// keeps in dir.
func seedDemo(ctx context.Context, db *store.DB, dir string) error {
	v, err := vault.Open(ctx, db, vault.NewKeyring(dir, ""))
	if err != nil {
		return err
	}
	_, err = demo.Seed(ctx, db, demo.WithVault(v))
	return err
}

// seededEnv serves a fresh copy of the demo network on dialect d.
func seededEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	db, dir := storetest.Seeded(t, d, "demo", seedDemo)
	return serve(t, db, dir)
}

// eachEnv runs fn on both databases, each with a server over a fresh copy
// of the demo network.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env, db *store.DB)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := seededEnv(t, d)
			fn(t, e, e.db)
		})
	}
}

// skipWalkIfShort skips a test that walks every route in a -short run: the
// full run walks them on both databases, and under the race detector a walk
// costs minutes while finding nothing a shorter test would not.
func skipWalkIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("walks every route: run without -short")
	}
}

// serve starts a server over db, with the vault whose master key is in dir.
func serve(t *testing.T, db *store.DB, dir string) *env {
	t.Helper()
	logs := &syncBuffer{}
	v, err := vault.Open(context.Background(), db, vault.NewKeyring(dir, ""))
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Demo: true, SecondFactorOptional: true, Logger: slog.New(slog.NewJSONHandler(logs, nil)), DataDir: dir, Vault: v}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: ts, logs: logs, server: s}
}

// client is a browser-like client with its own cookie jar.
type client struct {
	e    *env
	http *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is a read response.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(method, path string, body io.Reader, header map[string]string) response {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) response { return c.do("GET", path, nil, nil) }

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token returns the anti-forgery token of the form on path.
func (c *client) token(path string) string {
	c.e.t.Helper()
	m := csrfField.FindStringSubmatch(c.get(path).body)
	if m == nil {
		c.e.t.Fatalf("no csrf_token on %s", path)
	}
	return m[1]
}

// post submits a form with the page's anti-forgery token unless form
// already holds one.
func (c *client) post(path string, form url.Values) response {
	c.e.t.Helper()
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.token("/login"))
	}
	return c.do("POST", path, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

func (c *client) login(username string) {
	c.e.t.Helper()
	r := c.post("/login", url.Values{"username": {username}, "password": {demo.Password}, "next": {"/"}})
	if r.status != http.StatusSeeOther {
		c.e.t.Fatalf("login as %s: status %d", username, r.status)
	}
}

func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// scenario is one request and what its answer must hold.
type scenario struct {
	name        string
	as          string // demo username, "" for anonymous
	method      string
	path        string
	status      int
	contains    []string
	notContains []string
}

func TestScenarios(t *testing.T) {
	scenarios := []scenario{
		{name: "health", method: "GET", path: "/healthz", status: 200, contains: []string{"ok"}},
		{name: "ready", method: "GET", path: "/readyz", status: 200, contains: []string{"ready"}},
		{name: "anonymous home goes to login", method: "GET", path: "/", status: 303},
		{name: "login page is Italian by default", method: "GET", path: "/login", status: 200,
			contains: []string{`lang="it"`, "Accedi ad Approdo", "Ambiente dimostrativo"}},
		{name: "anonymous API is 401", method: "GET", path: "/api/v1/me", status: 401,
			contains: []string{`"code":"unauthorized"`}},
		{name: "OpenAPI is public", method: "GET", path: "/api/v1/openapi.json", status: 200,
			contains: []string{`"openapi": "3.1.0"`}},
		{name: "unknown API path is JSON 404", method: "GET", path: "/api/v1/nothing", status: 404,
			contains: []string{`"code":"not_found"`}},
		{name: "unknown page is 404", as: "assistente.sociale", method: "GET", path: "/nothing", status: 404,
			contains: []string{"Pagina non trovata"}},
		{name: "social worker home", as: "assistente.sociale", method: "GET", path: "/", status: 200,
			contains:    []string{"Chiara Benvenuti", "Società della Salute Area Pratese", "INCONTRO", "I tuoi casi per fase", "14 casi in tutto", `href="/network/organisations"`},
			notContains: []string{`href="/admin/users"`}},
		{name: "administrator home", as: "admin", method: "GET", path: "/", status: 200,
			contains: []string{`href="/admin/users"`, "La rete in numeri"}},
		{name: "reporter home", as: "segnalante", method: "GET", path: "/", status: 200,
			contains: []string{"Le tue segnalazioni"}, notContains: []string{"Amministrazione"}},
		{name: "mediator home", as: "mediatore", method: "GET", path: "/", status: 200,
			contains: []string{"Le tue prenotazioni"}},
		{name: "users page is for administrators", as: "admin", method: "GET", path: "/admin/users", status: 200,
			contains: []string{"assistente.sociale", "Amministratore"}},
		{name: "users page hides from others", as: "assistente.sociale", method: "GET", path: "/admin/users", status: 404},
		{name: "users API hides from others", as: "capofila", method: "GET", path: "/api/v1/users", status: 404},
		{name: "users API for administrators", as: "admin", method: "GET", path: "/api/v1/users", status: 200,
			contains: []string{`"total":22`}}, // 15 of the users list, 6 mediators of the registry, the ethno-clinician
		{name: "organisations", as: "operatore", method: "GET", path: "/network/organisations", status: 200,
			contains: []string{"Comunità educativa Il Faro", "Tribunale per i Minorenni di Firenze"}},
		{name: "organisations filtered by kind", as: "operatore", method: "GET", path: "/network/organisations?kind=juvenile_justice", status: 200,
			contains: []string{"Tribunale per i Minorenni di Brescia"}, notContains: []string{"Questura di Prato"}},
		{name: "organisations filtered by name", as: "operatore", method: "GET", path: "/network/organisations?q=faro", status: 200,
			contains: []string{"Comunità educativa Il Faro"}, notContains: []string{"Questura"}},
		{name: "organisations with no match", as: "operatore", method: "GET", path: "/network/organisations?q=zzzz", status: 200,
			contains: []string{"Nessuna organizzazione trovata"}},
		{name: "injection in a filter is inert", as: "operatore", method: "GET", path: "/network/organisations?q=" + url.QueryEscape(`'; DROP TABLE users; --<script>`), status: 200,
			notContains: []string{"<script>"}},
		{name: "programmes", as: "capofila", method: "GET", path: "/network/programmes", status: 200,
			contains: []string{"SATIS", "CO.RE.", "Programma integra", "01/09/2023"}},
		{name: "API organisations", as: "sanitario", method: "GET", path: "/api/v1/organisations", status: 200,
			contains: []string{`"code":"RM-MSNA"`, `"total":36`}},
		{name: "API one organisation", as: "sanitario", method: "GET", path: "/api/v1/organisations/1", status: 200,
			contains: []string{`"code":"RT"`}},
		{name: "API unknown organisation", as: "sanitario", method: "GET", path: "/api/v1/organisations/99999", status: 404},
		{name: "API malformed id", as: "sanitario", method: "GET", path: "/api/v1/organisations/abc", status: 404},
		{name: "API programmes", as: "formazione", method: "GET", path: "/api/v1/programmes", status: 200,
			contains: []string{`"code":"INCONTRO"`, `"starts_on":"2021-01-15"`}},
		{name: "API areas", as: "osservatorio", method: "GET", path: "/api/v1/areas", status: 200,
			contains: []string{`"code":"VET"`}},
		{name: "API me", as: "mediatore", method: "GET", path: "/api/v1/me", status: 200,
			contains: []string{`"username":"mediatore"`, `"roles":["mediator"]`}},
	}
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		clients := map[string]*client{"": e.client()}
		for _, s := range scenarios {
			t.Run(s.name, func(t *testing.T) {
				e.t = t
				c, ok := clients[s.as]
				if !ok {
					c = e.client()
					c.login(s.as)
					clients[s.as] = c
				}
				r := c.do(s.method, s.path, nil, nil)
				if r.status != s.status {
					t.Fatalf("%s %s as %q: status %d, want %d\n%s", s.method, s.path, s.as, r.status, s.status, r.body)
				}
				for _, want := range s.contains {
					if !strings.Contains(r.body, want) {
						t.Errorf("%s %s: body lacks %q", s.method, s.path, want)
					}
				}
				for _, bad := range s.notContains {
					if strings.Contains(r.body, bad) {
						t.Errorf("%s %s: body holds %q", s.method, s.path, bad)
					}
				}
			})
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	for _, path := range []string{"/login", "/api/v1/me", "/healthz", "/nothing"} {
		r := c.get(path)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP", path)
		}
	}
	if got := c.get("/static/app.css").header.Get("Cache-Control"); !strings.Contains(got, "max-age") {
		t.Errorf("static assets are not cacheable: %q", got)
	}
}

func TestLoginFailuresAreClearAndWriteNothing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		r := c.post("/login", url.Values{"username": {"assistente.sociale"}, "password": {"wrong-password-123"}})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Nome utente o password non corretti") ||
			!strings.Contains(r.body, `value="assistente.sociale"`) {
			t.Fatalf("wrong password: %d\n%s", r.status, r.body)
		}
		r = c.post("/login", url.Values{"username": {"nobody"}, "password": {"whatever-password"}})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Nome utente o password non corretti") {
			t.Fatalf("unknown user: %d", r.status)
		}
		r = c.post("/login", url.Values{"username": {""}, "password": {""}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#username"`) ||
			!strings.Contains(r.body, `href="#password"`) || !strings.Contains(r.body, "«Nome utente» è obbligatorio") {
			t.Fatalf("empty form: %d\n%s", r.status, r.body)
		}
		if c.cookie(web.SessionCookie) != "" {
			t.Fatal("a failed login set a session cookie")
		}
		var n int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d sessions after failed logins", n)
		}
	})
}

func TestLoginIssuesAFreshSession(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	u, _ := url.Parse(e.srv.URL)
	planted := "planted-by-an-attacker-0123456789abcdef"
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: planted, Path: "/"}})
	tok := c.token("/login")
	req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(url.Values{
		"csrf_token": {tok}, "username": {"assistente.sociale"}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == web.SessionCookie {
			session = ck
		}
	}
	if session == nil || session.Value == planted || len(session.Value) < 43 {
		t.Fatalf("login kept or did not replace the session cookie: %+v", session)
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie is not HttpOnly and SameSite=Lax: %+v", session)
	}
	if r := c.get("/"); r.status != 200 {
		t.Fatalf("home after login: %d", r.status)
	}
}

func TestUnsafeRequestsNeedTheToken(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		c.login("assistente.sociale")
		for _, path := range []string{"/logout", "/logout/everywhere", "/language", "/login"} {
			for _, tok := range []string{"", "forged-token-forged-token-forged-token-00"} {
				r := c.post(path, url.Values{"csrf_token": {tok}, "lang": {"en"}})
				if r.status != http.StatusForbidden {
					t.Errorf("POST %s with token %q: %d, want 403", path, tok, r.status)
				}
			}
		}
		// A cross-site form post is refused even with the right token.
		form := url.Values{"csrf_token": {c.token("/")}}
		r := c.do("POST", "/logout", strings.NewReader(form.Encode()), map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
		if r.status != http.StatusForbidden {
			t.Errorf("cross-site POST /logout: %d, want 403", r.status)
		}
		if r := c.get("/"); r.status != 200 {
			t.Fatalf("the refused requests logged the user out: %d", r.status)
		}
		// The anti-forgery header works for htmx and API calls.
		r = c.do("POST", "/logout", nil, map[string]string{"X-CSRF-Token": c.token("/")})
		if r.status != http.StatusSeeOther {
			t.Fatalf("POST /logout with the header: %d", r.status)
		}
		if r := c.get("/"); r.status != http.StatusSeeOther {
			t.Fatalf("still signed in after logout: %d", r.status)
		}
	})
}

func TestLogoutEverywhere(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		laptop, phone, colleague := e.client(), e.client(), e.client()
		laptop.login("operatore")
		phone.login("operatore")
		colleague.login("sanitario")
		if r := laptop.post("/logout/everywhere", url.Values{"csrf_token": {laptop.token("/")}}); r.status != http.StatusSeeOther {
			t.Fatalf("logout everywhere: %d", r.status)
		}
		for name, c := range map[string]*client{"laptop": laptop, "phone": phone} {
			if r := c.get("/api/v1/me"); r.status != http.StatusUnauthorized {
				t.Errorf("%s still signed in: %d", name, r.status)
			}
		}
		if r := colleague.get("/api/v1/me"); r.status != 200 {
			t.Errorf("another user's session ended too: %d", r.status)
		}
	})
}

func TestIdleSessionExpires(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		c.login("capofila")
		ctx := context.Background()
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = ?`, time.Now().UTC().Add(-2*time.Hour))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if r := c.get("/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Fatalf("idle session still works: %d %s", r.status, r.header.Get("Location"))
		}
		var n int
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("the expired session was not removed")
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		anon := e.client()
		if r := anon.post("/language", url.Values{"lang": {"en"}, "next": {"/login"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
			t.Fatalf("switch: %d %s", r.status, r.header.Get("Location"))
		}
		if r := anon.get("/login"); !strings.Contains(r.body, `lang="en"`) || !strings.Contains(r.body, "Sign in to Approdo") {
			t.Fatal("the login page did not switch to English")
		}
		if r := anon.post("/language", url.Values{"lang": {"xx"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown language: %d", r.status)
		}
		if r := anon.post("/language", url.Values{"lang": {"it"}, "next": {"https://evil.example/"}}); r.header.Get("Location") != "/" {
			t.Fatalf("open redirect: %s", r.header.Get("Location"))
		}

		// A signed-in user's choice is kept in their profile.
		c := e.client()
		c.login("sanitario")
		c.post("/language", url.Values{"lang": {"en"}, "csrf_token": {c.token("/")}, "next": {"/"}})
		other := e.client()
		other.login("sanitario")
		u, _ := url.Parse(e.srv.URL)
		other.http.Jar.SetCookies(u, []*http.Cookie{{Name: web.LanguageCookie, Value: "", Path: "/", MaxAge: -1}})
		if r := other.get("/"); !strings.Contains(r.body, `lang="en"`) || !strings.Contains(r.body, "Your organisation") {
			t.Fatalf("the profile language was not used on another device")
		}
		if r := other.do("GET", "/api/v1/organisations/99999", nil, nil); !strings.Contains(r.body, "does not exist") {
			t.Fatalf("API errors are not in the user's language: %s", r.body)
		}
	})
}

func TestAPIErrorsFollowAcceptLanguage(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	r := c.do("GET", "/api/v1/me", nil, map[string]string{"Accept-Language": "en-GB,en;q=0.9"})
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	if body.Error.Code != "unauthorized" || body.Error.Message != "Please sign in to continue." {
		t.Fatalf("got %+v", body)
	}
}

func TestBodyLimit(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	big := strings.Repeat("a", 2<<20)
	r := c.do("POST", "/login", strings.NewReader("username="+big), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: %d, want 413", r.status)
	}
}

func TestLogsHoldNoPersonalData(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	c.post("/login", url.Values{"username": {"assistente.sociale"}, "password": {"not-the-password"}})
	c.login("assistente.sociale")
	c.get("/network/organisations?q=Benvenuti")
	c.get("/api/v1/me")
	logs := e.logs.String()
	if !strings.Contains(logs, `"route":"GET /network/organisations"`) {
		t.Fatalf("requests are not logged by route:\n%s", logs)
	}
	for _, secret := range []string{"Benvenuti", "assistente.sociale", "Chiara", demo.Password, "not-the-password", "q="} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

func TestMetricsCountRoutes(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	c := e.client()
	c.get("/login")
	r := c.get("/metrics")
	if !strings.Contains(r.body, `approdo_http_requests_total{method="GET",route="GET /login",status="200"} 1`) {
		t.Fatalf("metrics:\n%s", r.body)
	}
}

func TestReadyzReportsAnUnreachableDatabase(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	db.Close()
	r := e.client().get("/readyz")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed database: %d", r.status)
	}
	if r := e.client().get("/healthz"); r.status != 200 {
		t.Fatalf("healthz depends on the database: %d", r.status)
	}
}
