package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/demo"
	"approdo/internal/server"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
)

// startServer seeds the demo network into db and serves Approdo over it
// until the test ends.
func startServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	sealer, err := vault.Open(ctx, db, vault.NewKeyring(t.TempDir(), ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, demo.WithVault(sealer)); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), Vault: sealer, SecondFactorOptional: true}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfToken returns the anti-forgery token of c's session, read from the
// page at path.
func csrfToken(t *testing.T, c *http.Client, base, path string) string {
	t.Helper()
	res, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no anti-forgery token on %s", path)
	}
	return string(m[1])
}

// send makes a request with c and the given headers, and returns the
// status and the body of the answer.
func send(t *testing.T, c *http.Client, method, target, body string, header map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestProgrammeEditsFindTheProgrammeBeforeJudgingTheInput sends a malformed
// date, which only the adapters can tell, to a programme that exists and to
// one that does not: the first is invalid (422), the second not found
// (404), in the API and in the UI alike, since authorisation and existence
// come before validation.
func TestProgrammeEditsFindTheProgrammeBeforeJudgingTheInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ts := startServer(t, db)
		c := signIn(t, ts.URL, "admin")
		csrf := csrfToken(t, c, ts.URL, "/")
		asJSON := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrf}
		asForm := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		for _, tc := range []struct {
			id   string
			want int
		}{{"1", http.StatusUnprocessableEntity}, {"99999999", http.StatusNotFound}} {
			status, body := send(t, c, "PUT", ts.URL+"/api/v1/programmes/"+tc.id,
				`{"code": "P", "name": "P", "funder": "F", "starts_on": "1 March", "ends_on": "2026-12-31", "lead_organisation_id": 1, "version": 1}`, asJSON)
			if status != tc.want {
				t.Errorf("API: a malformed date for programme %s: %d %s, want %d", tc.id, status, body, tc.want)
			}
			form := url.Values{"csrf_token": {csrf}, "code": {"P"}, "name": {"P"}, "funder": {"F"},
				"starts_on": {"1 March"}, "ends_on": {"2026-12-31"}, "lead_organisation_id": {"1"}, "version": {"1"}}
			status, _ = send(t, c, "POST", ts.URL+"/admin/programmes/"+tc.id, form.Encode(), asForm)
			if status != tc.want {
				t.Errorf("UI: a malformed date for programme %s: %d, want %d", tc.id, status, tc.want)
			}
		}
	})
}

// TestDirectoryReadsStayWithinTheirScope narrows the mediator's grant to
// read the directory to their own organisation: the API's directory then
// lists and shows only that organisation, and no other area, organisation
// or programme.
func TestDirectoryReadsStayWithinTheirScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ts := startServer(t, db)
		ctx := context.Background()
		var ownOrg, otherOrg int64
		err := db.Read(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT organisation_id FROM users WHERE username = 'mediatore'`).Scan(&ownOrg); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT MIN(id) FROM organisations WHERE id <> ?`, ownOrg).Scan(&otherOrg)
		})
		if err != nil {
			t.Fatal(err)
		}

		// The administrator narrows the built-in role through the API.
		admin := signIn(t, ts.URL, "admin")
		asJSON := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrfToken(t, admin, ts.URL, "/")}
		status, body := send(t, admin, "GET", ts.URL+"/api/v1/roles", "", nil)
		if status != http.StatusOK {
			t.Fatalf("GET /api/v1/roles: %d %s", status, body)
		}
		var roles struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(body, &roles); err != nil {
			t.Fatal(err)
		}
		var mediator map[string]any
		for _, r := range roles.Items {
			if r["code"] == "mediator" {
				mediator = r
			}
		}
		if mediator == nil {
			t.Fatal("no mediator role")
		}
		for _, p := range mediator["permissions"].([]any) {
			if perm := p.(map[string]any); perm["resource"] == "directory" {
				perm["scope"] = "organisation"
			}
		}
		put, _ := json.Marshal(mediator)
		status, body = send(t, admin, "PUT", ts.URL+"/api/v1/roles/mediator", string(put), asJSON)
		if status != http.StatusOK {
			t.Fatalf("PUT /api/v1/roles/mediator: %d %s", status, body)
		}

		c := signIn(t, ts.URL, "mediatore")
		get := func(path string) (int, []byte) {
			t.Helper()
			return send(t, c, "GET", ts.URL+path, "", nil)
		}
		count := func(path string) int {
			t.Helper()
			status, body := get(path)
			var list struct {
				Total int `json:"total"`
			}
			if status != http.StatusOK || json.Unmarshal(body, &list) != nil {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			return list.Total
		}
		if n := count("/api/v1/organisations"); n != 1 {
			t.Errorf("the mediator lists %d organisations, want only their own", n)
		}
		if n := count("/api/v1/areas"); n != 0 {
			t.Errorf("the mediator lists %d areas, want none", n)
		}
		if status, _ := get("/api/v1/organisations/" + strconv.FormatInt(ownOrg, 10)); status != http.StatusOK {
			t.Errorf("their own organisation: %d, want 200", status)
		}
		for _, path := range []string{"/api/v1/organisations/" + strconv.FormatInt(otherOrg, 10), "/api/v1/areas/1"} {
			if status, _ := get(path); status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, status)
			}
		}
	})
}
