package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"approdo/internal/store"
)

// Attacks walked over every route rather than a handful: forged requests,
// injection strings in every filter of every list, and script in every text
// an administrator can type.

// TestEveryUnsafeRouteNeedsTheAntiForgeryToken sends every POST, PUT and
// DELETE of the UI and the API from a signed-in browser without the token,
// and with a wrong one, and expects 403 and nothing written.
func TestEveryUnsafeRouteNeedsTheAntiForgeryToken(t *testing.T) {
	skipWalkIfShort(t)
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		ids := map[string]string{"{id}": "1", "{code}": "social_worker", "{token}": "x"}
		before := count(t, db, `SELECT COUNT(*) FROM audit_log`)
		walked := 0
		for _, who := range []string{"admin", "assistente.sociale"} {
			c := e.client()
			c.login(who)
			for _, rt := range e.server.Routes() {
				method, pattern, _ := strings.Cut(rt.Pattern, " ")
				if method == "GET" {
					continue
				}
				path := pattern
				for k, v := range ids {
					path = strings.ReplaceAll(path, k, v)
				}
				for _, tok := range []string{"", "forged-forged-forged-forged-forged-00"} {
					header := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
					body := "csrf_token=" + tok + "&name=x&reason=abcdefghijklmnopqrstuvwxyz"
					if strings.HasPrefix(path, "/api/") {
						header = map[string]string{"Content-Type": "application/json", "X-CSRF-Token": tok}
						body = `{"name":"x"}`
					}
					r := c.do(method, path, strings.NewReader(body), header)
					walked++
					if r.status != http.StatusForbidden {
						t.Errorf("%s %s as %s with token %q: %d, want 403", method, path, who, tok, r.status)
					}
				}
			}
			if r := c.get("/api/v1/me"); r.status != 200 {
				t.Fatalf("the forged requests signed %s out: %d", who, r.status)
			}
		}
		if walked < 40 {
			t.Fatalf("walked only %d unsafe calls", walked)
		}
		// Signing in writes audit entries; the forged requests wrote none.
		if after := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action NOT IN ('login', 'read')`); after > before {
			t.Errorf("forged requests wrote %d audit entries", after-before)
		}
	})
}

var formInput = regexp.MustCompile(`<(?:input|select)[^>]*\bname="([a-z_]+)"`)

// TestInjectionStringsInEveryFilter fills every field of every search form
// of the UI, and the usual query parameters of every API list, with SQL and
// script injection strings, and expects a clean answer: no server error, no
// script reflected unescaped.
func TestInjectionStringsInEveryFilter(t *testing.T) {
	skipWalkIfShort(t)
	injections := []string{`' OR '1'='1`, `1; DROP TABLE users; --`, `"><script>alert(1)</script>`, `%' UNION SELECT password_hash FROM users --`, "\x00"}
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		users := count(t, db, `SELECT COUNT(*) FROM users`)
		for _, who := range []string{"admin", "assistente.sociale", "capofila"} {
			c := e.client()
			c.login(who)
			for _, rt := range e.server.Routes() {
				method, pattern, _ := strings.Cut(rt.Pattern, " ")
				if method != "GET" || strings.Contains(pattern, "{") {
					continue
				}
				page := c.get(pattern)
				if page.status != 200 {
					continue
				}
				params := map[string]bool{"q": true, "page": true, "limit": true, "offset": true, "before": true}
				for _, m := range formInput.FindAllStringSubmatch(page.body, -1) {
					if m[1] != "csrf_token" && m[1] != "next" && m[1] != "lang" {
						params[m[1]] = true
					}
				}
				for _, inj := range injections {
					v := url.Values{}
					for p := range params {
						v.Set(p, inj)
					}
					r := c.get(pattern + "?" + v.Encode())
					if r.status >= 500 || r.status == 0 {
						t.Errorf("GET %s?%s as %s: %d", pattern, v.Encode(), who, r.status)
					}
					if strings.Contains(r.body, "<script>alert(1)</script>") {
						t.Errorf("GET %s as %s reflects a script unescaped", pattern, who)
					}
				}
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM users`); n != users {
			t.Fatalf("injection strings changed the users table: %d, was %d", n, users)
		}
	})
}

// TestScriptInEveryTextIsShownAsText writes script into every text an
// administrator types about the network, then walks every page and API
// answer a reader reaches, and finds it only escaped.
func TestScriptInEveryTextIsShownAsText(t *testing.T) {
	skipWalkIfShort(t)
	const script = `<script>alert("x")</script>`
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		r := admin.api("POST", "/api/v1/areas", map[string]any{"code": "XSS-A", "name": "Area " + script, "region": "Regione " + script})
		if r.status != 201 {
			t.Fatalf("create area: %d %s", r.status, r.body)
		}
		r = admin.api("POST", "/api/v1/organisations", map[string]any{"code": "XSS-O", "name": "Ente " + script, "kind": "association"})
		if r.status != 201 {
			t.Fatalf("create organisation: %d %s", r.status, r.body)
		}
		r = admin.form("/admin/users", url.Values{"username": {"xss.user"}, "display_name": {"Nome " + script},
			"organisation_id": {"1"}, "roles": {"reporter"}, "profession": {"Prof " + script}})
		if r.status >= 400 {
			t.Fatalf("create user: %d", r.status)
		}
		walked := 0
		for _, who := range []string{"admin", "assistente.sociale"} {
			c := e.client()
			c.login(who)
			for _, rt := range e.server.Routes() {
				method, pattern, _ := strings.Cut(rt.Pattern, " ")
				if method != "GET" || strings.Contains(pattern, "{") || pattern == "/api/v1/openapi.json" {
					continue
				}
				r := c.get(strings.Replace(pattern, "{$}", "", 1))
				walked++
				if strings.Contains(r.body, script) {
					t.Errorf("GET %s as %s shows the script unescaped", pattern, who)
				}
			}
		}
		if walked < 20 {
			t.Fatalf("walked only %d pages", walked)
		}
		// The typed text is kept as typed, only escaped on the way out.
		if r := admin.get("/network/organisations?q=Ente"); !strings.Contains(r.body, "Ente &lt;script&gt;") {
			t.Fatalf("the organisation's name is not shown escaped")
		}
	})
}
