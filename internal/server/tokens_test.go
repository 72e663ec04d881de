package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"approdo/internal/store"
)

var tokenValue = regexp.MustCompile(`apd_[a-z2-7]{6}_[a-z2-7]{52}`)

// bearer returns the header that carries an API token.
func bearer(value string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + value}
}

// createToken creates an API token on the tokens page and returns its value
// and the page that showed it.
func (c *client) createToken(name string, days int) (string, response) {
	c.e.t.Helper()
	r := c.post("/account/tokens", url.Values{"csrf_token": {c.token("/account/tokens")}, "name": {name},
		"expires_in_days": {fmt.Sprint(days)}})
	values := tokenValue.FindAllString(r.body, -1)
	if r.status != http.StatusOK || len(values) != 1 {
		c.e.t.Fatalf("create token: %d, %d values\n%s", r.status, len(values), r.body)
	}
	return values[0], r
}

// apiToken is a token as GET /api/v1/tokens lists it.
type apiToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	State      string     `json:"state"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// listTokens returns the tokens the API lists with the given headers.
func (c *client) listTokens(header map[string]string) []apiToken {
	c.e.t.Helper()
	r := c.do("GET", "/api/v1/tokens", nil, header)
	var body struct{ Items []apiToken }
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &body) != nil {
		c.e.t.Fatalf("list tokens: %d %s", r.status, r.body)
	}
	return body.Items
}

// errorCode reads the code and message of an API error.
func errorCode(r response) (string, string) {
	var body struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal([]byte(r.body), &body)
	return body.Error.Code, body.Error.Message
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, query, args...)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
}

func TestAPITokensEndToEnd(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		worker := e.client()
		worker.login("assistente.sociale")

		// The header links the page; the page explains and offers the form.
		if r := worker.get("/"); !strings.Contains(r.body, `href="/account/tokens"`) {
			t.Fatal("the header does not link the API tokens page")
		}
		page := worker.get("/account/tokens")
		for _, want := range []string{"Token API", `for="name"`, `for="expires_in_days"`, `<option value="90" selected>`, "Non hai ancora token API"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the tokens page lacks %q", want)
			}
		}

		// A token is shown once, with a warning, and never again.
		value, created := worker.createToken("Esportazione mensile", 90)
		if !strings.Contains(created.body, "non verrà più mostrato") || !strings.Contains(created.body, `<code id="new-token">`+value+`</code>`) {
			t.Fatalf("the new token is not shown with its warning:\n%s", created.body)
		}
		prefix := value[:10]
		list := worker.get("/account/tokens")
		if strings.Contains(list.body, value) || strings.Contains(list.body, value[11:]) {
			t.Fatal("the token's value is shown a second time")
		}
		for _, want := range []string{"Esportazione mensile", "<code>" + prefix + "</code>", "Mai usato", "Attivo"} {
			if !strings.Contains(list.body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}

		// The token works on the API as its owner, with no cookie.
		script := e.client()
		r := script.do("GET", "/api/v1/me", nil, bearer(value))
		if r.status != 200 || !strings.Contains(r.body, `"username":"assistente.sociale"`) {
			t.Fatalf("GET /api/v1/me with the token: %d %s", r.status, r.body)
		}
		if r := script.do("GET", "/api/v1/users", nil, bearer(value)); r.status != http.StatusNotFound {
			t.Fatalf("the token reached what its owner cannot: %d", r.status)
		}
		tokens := script.listTokens(bearer(value))
		if len(tokens) != 1 || tokens[0].Prefix != prefix || tokens[0].State != "active" || tokens[0].LastUsedAt == nil {
			t.Fatalf("listed %+v", tokens)
		}
		if strings.Contains(script.do("GET", "/api/v1/tokens", nil, bearer(value)).body, value[11:]) {
			t.Fatal("the API lists a token's value")
		}
		if script.cookie("approdo_csrf") != "" {
			t.Fatal("a bearer request was given an anti-forgery cookie")
		}
		// The scheme's name is case-insensitive.
		if r := script.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "bearer " + value}); r.status != 200 {
			t.Fatalf("lower-case scheme: %d", r.status)
		}

		// Tokens are for the API only: a page does not sign the token in.
		if r := script.do("GET", "/", nil, bearer(value)); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Fatalf("a page with the token: %d %s", r.status, r.header.Get("Location"))
		}
		if r := script.do("GET", "/account/tokens", nil, bearer(value)); r.status != http.StatusSeeOther {
			t.Fatalf("the tokens page with the token: %d", r.status)
		}

		// Wrong and malformed tokens are 401 with a challenge, even next to a
		// valid session cookie.
		wrong := value[:11] + strings.Repeat("a", 52)
		for _, c := range []*client{script, worker} {
			for _, bad := range []string{wrong, "apd_nope", "", value + "x"} {
				r := c.do("GET", "/api/v1/me", nil, bearer(bad))
				code, _ := errorCode(r)
				if r.status != http.StatusUnauthorized || code != "unauthorized" || !strings.Contains(r.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("token %q: %d %s %q", bad, r.status, r.body, r.header.Get("WWW-Authenticate"))
				}
			}
		}
		if r := worker.get("/api/v1/me"); r.status != 200 {
			t.Fatalf("a refused token ended the session: %d", r.status)
		}

		// A bearer POST needs no anti-forgery token; a cookie POST does.
		second, _ := worker.createToken("Secondo", 30)
		third, _ := worker.createToken("Terzo", 365)
		ids := map[string]int64{}
		for _, tok := range worker.listTokens(nil) {
			ids[tok.Prefix] = tok.ID
		}
		revokePath := func(v string) string { return fmt.Sprintf("/api/v1/tokens/%d/revoke", ids[v[:10]]) }
		r = script.do("POST", revokePath(second), nil, bearer(value))
		if r.status != 200 || !strings.Contains(r.body, `"state":"revoked"`) {
			t.Fatalf("bearer revoke without an anti-forgery token: %d %s", r.status, r.body)
		}
		if r := worker.do("POST", revokePath(third), nil, nil); r.status != http.StatusForbidden {
			t.Fatalf("cookie revoke without an anti-forgery token: %d", r.status)
		}
		if r := worker.do("POST", revokePath(third), nil, map[string]string{"X-CSRF-Token": worker.token("/account/tokens")}); r.status != 200 {
			t.Fatalf("cookie revoke with the anti-forgery token: %d %s", r.status, r.body)
		}
		for _, v := range []string{second, third} {
			r := script.do("GET", "/api/v1/me", nil, bearer(v))
			if _, msg := errorCode(r); r.status != http.StatusUnauthorized || !strings.Contains(msg, "revocato") {
				t.Fatalf("a revoked token: %d %s", r.status, r.body)
			}
		}

		// Creating over the API: with a session and its anti-forgery token,
		// never with a token.
		body := `{"name":"Dal cruscotto","expires_in_days":30}`
		jsonBody := map[string]string{"Content-Type": "application/json"}
		if r := worker.do("POST", "/api/v1/tokens", strings.NewReader(body), jsonBody); r.status != http.StatusForbidden {
			t.Fatalf("cookie create without an anti-forgery token: %d", r.status)
		}
		withCSRF := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": worker.token("/account/tokens")}
		r = worker.do("POST", "/api/v1/tokens", strings.NewReader(body), withCSRF)
		if r.status != http.StatusCreated || len(tokenValue.FindAllString(r.body, -1)) != 1 || !strings.Contains(r.body, `"name":"Dal cruscotto"`) {
			t.Fatalf("cookie create: %d %s", r.status, r.body)
		}
		apiValue := tokenValue.FindString(r.body)
		if r := script.do("GET", "/api/v1/me", nil, bearer(apiValue)); r.status != 200 {
			t.Fatalf("a token made over the API: %d", r.status)
		}
		r = script.do("POST", "/api/v1/tokens", strings.NewReader(body), map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + value})
		if code, _ := errorCode(r); r.status != http.StatusForbidden || code != "forbidden" {
			t.Fatalf("a token made a token: %d %s", r.status, r.body)
		}
		r = worker.do("POST", "/api/v1/tokens", strings.NewReader(`{}`), withCSRF)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"name"`) || !strings.Contains(r.body, `"field":"expires_in_days"`) {
			t.Fatalf("an empty request: %d %s", r.status, r.body)
		}
		for _, bad := range []string{`{"name":"x","expires_in_days":366}`, `{"name":"x","expires_in_days":0}`, `{"name":"x","expires_in_days":281474976710686}`, `{"name":"x","expires_in_days":30,"never_expires":true}`, `not json`} {
			if r := worker.do("POST", "/api/v1/tokens", strings.NewReader(bad), withCSRF); r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", bad, r.status)
			}
		}

		// Someone else's token is not found, on the API and in the UI; the
		// token still works afterwards.
		other := e.client()
		other.login("operatore")
		id := ids[prefix]
		if r := other.do("POST", fmt.Sprintf("/api/v1/tokens/%d/revoke", id), nil, map[string]string{"X-CSRF-Token": other.token("/")}); r.status != http.StatusNotFound {
			t.Fatalf("another user's revoke on the API: %d", r.status)
		}
		if r := other.get(fmt.Sprintf("/account/tokens/%d/revoke", id)); r.status != http.StatusNotFound {
			t.Fatalf("another user's confirmation page: %d", r.status)
		}
		if r := other.post(fmt.Sprintf("/account/tokens/%d/revoke", id), url.Values{"csrf_token": {other.token("/")}}); r.status != http.StatusNotFound {
			t.Fatalf("another user's revoke in the UI: %d", r.status)
		}
		otherValue, _ := other.createToken("Altrui", 30)
		if r := script.do("POST", fmt.Sprintf("/api/v1/tokens/%d/revoke", id), nil, bearer(otherValue)); r.status != http.StatusNotFound {
			t.Fatalf("another user's token revoked this one: %d", r.status)
		}
		if got := other.listTokens(bearer(otherValue)); len(got) != 1 || got[0].Name != "Altrui" {
			t.Fatalf("another user lists %+v", got)
		}
		for _, path := range []string{"/api/v1/tokens/99999/revoke", "/api/v1/tokens/abc/revoke", "/api/v1/tokens/0/revoke"} {
			if r := script.do("POST", path, nil, bearer(value)); r.status != http.StatusNotFound {
				t.Errorf("POST %s: %d", path, r.status)
			}
		}
		if r := script.do("GET", "/api/v1/me", nil, bearer(value)); r.status != 200 {
			t.Fatalf("the token stopped after refused revocations: %d", r.status)
		}

		// Revoking in the UI asks first, then stops the token at once.
		confirm := worker.get(fmt.Sprintf("/account/tokens/%d/revoke", id))
		if confirm.status != 200 || !strings.Contains(confirm.body, "Revocare il token «Esportazione mensile»?") ||
			!strings.Contains(confirm.body, fmt.Sprintf(`action="/account/tokens/%d/revoke"`, id)) {
			t.Fatalf("confirmation: %d\n%s", confirm.status, confirm.body)
		}
		if r := worker.post(fmt.Sprintf("/account/tokens/%d/revoke", id), url.Values{"csrf_token": {""}}); r.status != http.StatusForbidden {
			t.Fatalf("UI revoke without an anti-forgery token: %d", r.status)
		}
		r = worker.post(fmt.Sprintf("/account/tokens/%d/revoke", id), url.Values{"csrf_token": {worker.token("/account/tokens")}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != fmt.Sprintf("/account/tokens?revoked=%d", id) {
			t.Fatalf("UI revoke: %d %s", r.status, r.header.Get("Location"))
		}
		if r := worker.get(r.header.Get("Location")); !strings.Contains(r.body, "Il token «Esportazione mensile» è stato revocato") {
			t.Fatal("the list does not say the token was revoked")
		}
		if r := script.do("GET", "/api/v1/me", nil, bearer(value)); r.status != http.StatusUnauthorized {
			t.Fatalf("revoked in the UI, the token still works: %d", r.status)
		}

		// An expired token and a deactivated owner's token stop at once.
		past := time.Now().UTC().Add(-48 * time.Hour)
		e.exec(`UPDATE api_tokens SET created_at = ?, expires_at = ? WHERE prefix = ?`, past, past.Add(time.Hour), apiValue[:10])
		r = script.do("GET", "/api/v1/me", nil, bearer(apiValue))
		if _, msg := errorCode(r); r.status != http.StatusUnauthorized || !strings.Contains(msg, "scaduto") {
			t.Fatalf("an expired token: %d %s", r.status, r.body)
		}
		fresh, _ := worker.createToken("Nuovo", 30)
		e.exec(`UPDATE users SET active = ? WHERE username = ?`, false, "assistente.sociale")
		if r := script.do("GET", "/api/v1/me", nil, bearer(fresh)); r.status != http.StatusUnauthorized {
			t.Fatalf("a deactivated user's token: %d", r.status)
		}

		// The audit log and the request log name tokens by id only.
		ctx := context.Background()
		var creates, revokes int
		if err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT action, record_type, record_id, fields, reason, client FROM audit_log`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var action, recordType, recordID, fields, reason, client string
				if err := rows.Scan(&action, &recordType, &recordID, &fields, &reason, &client); err != nil {
					return err
				}
				line := strings.Join([]string{action, recordType, recordID, fields, reason, client}, " ")
				if strings.Contains(line, "apd_") || strings.Contains(line, value[11:]) {
					t.Errorf("the audit log holds a token: %q", line)
				}
				switch {
				case action == "token_create" && recordType == "api_token":
					creates++
				case action == "token_revoke" && recordType == "api_token":
					revokes++
					if recordID == fmt.Sprint(id) && fields != "" {
						t.Errorf("revocation entry %q", line)
					}
				}
			}
			return rows.Err()
		}); err != nil {
			t.Fatal(err)
		}
		if creates != 6 || revokes != 3 {
			t.Fatalf("%d creation and %d revocation entries, want 6 and 3", creates, revokes)
		}
		logs := e.logs.String()
		for _, v := range []string{value, second, third, apiValue, otherValue, fresh} {
			if strings.Contains(logs, v[11:]) || strings.Contains(logs, v[:10]) {
				t.Errorf("the log holds token %s", v[:10])
			}
		}
		if !strings.Contains(logs, `"route":"GET /api/v1/me"`) {
			t.Fatal("bearer requests are not logged")
		}
	})
}

func TestTokenFormShowsItsProblems(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		c.login("mediatore")
		long := strings.Repeat("x", 101)
		r := c.post("/account/tokens", url.Values{"csrf_token": {c.token("/account/tokens")}, "name": {long}, "expires_in_days": {"9999"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="error-summary"`) ||
			!strings.Contains(r.body, `href="#name"`) || !strings.Contains(r.body, `href="#expires_in_days"`) ||
			!strings.Contains(r.body, `value="`+long+`"`) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Fatalf("invalid form: %d\n%s", r.status, r.body)
		}
		if tokenValue.MatchString(r.body) {
			t.Fatal("an invalid form made a token")
		}
		r = c.post("/account/tokens", url.Values{"csrf_token": {c.token("/account/tokens")}, "name": {""}, "expires_in_days": {"30"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "«Nome» è obbligatorio") || !strings.Contains(r.body, `<option value="30" selected>`) {
			t.Fatalf("empty name: %d", r.status)
		}
		// Without the anti-forgery token nothing is made.
		if r := c.post("/account/tokens", url.Values{"csrf_token": {""}, "name": {"x"}, "expires_in_days": {"30"}}); r.status != http.StatusForbidden {
			t.Fatalf("form without its token: %d", r.status)
		}
		if got := c.listTokens(nil); len(got) != 0 {
			t.Fatalf("tokens after refused forms: %+v", got)
		}
		// In English too.
		c.post("/language", url.Values{"lang": {"en"}, "csrf_token": {c.token("/")}, "next": {"/"}})
		if r := c.get("/account/tokens"); !strings.Contains(r.body, "API tokens") || !strings.Contains(r.body, "90 days") {
			t.Fatal("the tokens page is not in English")
		}
	})
}

func TestTokenRoutesNeedSignIn(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	anon := e.client()
	if r := anon.get("/account/tokens"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("anonymous tokens page: %d", r.status)
	}
	if r := anon.get("/api/v1/tokens"); r.status != http.StatusUnauthorized {
		t.Fatalf("anonymous token list: %d", r.status)
	}
	// A Basic header is not a token: it is left to whoever sent it.
	if r := anon.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}); r.status != http.StatusUnauthorized ||
		r.header.Get("WWW-Authenticate") != "" {
		t.Fatalf("Basic header: %d %q", r.status, r.header.Get("WWW-Authenticate"))
	}
}

func TestLogoutEverywhereStopsTokens(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		c.login("capofila")
		value, _ := c.createToken("Integrazione", 30)
		script := e.client()
		if r := script.do("GET", "/api/v1/me", nil, bearer(value)); r.status != 200 {
			t.Fatalf("before: %d", r.status)
		}
		if r := c.post("/logout/everywhere", url.Values{"csrf_token": {c.token("/")}}); r.status != http.StatusSeeOther {
			t.Fatalf("logout everywhere: %d", r.status)
		}
		if r := script.do("GET", "/api/v1/me", nil, bearer(value)); r.status != http.StatusUnauthorized {
			t.Fatalf("a token survived logging out everywhere: %d", r.status)
		}
	})
}

// TestTokensCannotChangeCredentials checks that a bearer token, which may be
// leaked, cannot set a password, a second factor or another token.
func TestTokensCannotChangeCredentials(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := e.client()
		c.login("assistente.sociale")
		r := c.do("POST", "/api/v1/tokens", strings.NewReader(`{"name":"automation","expires_in_days":30}`),
			map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.token("/")})
		if r.status != 201 && r.status != 200 {
			t.Fatalf("create a token: %d %s", r.status, r.body)
		}
		var created struct{ Secret string }
		json.Unmarshal([]byte(r.body), &created)
		bearer := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + created.Secret}
		for _, call := range []struct{ method, path, body string }{
			{"POST", "/api/v1/me/password", `{"current_password":"x","new_password":"y","new_password_confirm":"y"}`},
			{"POST", "/api/v1/me/second-factor", `{}`},
			{"POST", "/api/v1/me/second-factor/confirm", `{"code":"123456"}`},
			{"POST", "/api/v1/tokens", `{"name":"more","expires_in_days":30}`},
		} {
			anon := e.client()
			if r := anon.do(call.method, call.path, strings.NewReader(call.body), bearer); r.status != 403 || !strings.Contains(r.body, `"forbidden"`) {
				t.Errorf("%s %s with a token: %d %s", call.method, call.path, r.status, r.body)
			}
		}
		if r := e.client().do("GET", "/api/v1/me", nil, bearer); r.status != 200 {
			t.Fatalf("the token stopped working: %d", r.status)
		}
	})
}
