package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo/internal/store"
)

// caseOf returns the id and code of the first demo case held by the
// organisation with the given code.
func caseOf(t *testing.T, db *store.DB, orgCode string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var code string
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT c.id, c.code FROM cases c JOIN organisations o ON o.id = c.owner_org_id
			WHERE o.code = ? ORDER BY c.id LIMIT 1`, orgCode).Scan(&id, &code)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, code
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, query, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCaseScopes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		cecina, _ := caseOf(t, db, "COM-CECINA")
		rome, _ := caseOf(t, db, "RM-MSNA")
		path := func(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/api/v1/cases?limit=200"); r.status != 200 || !strings.Contains(r.body, `"total":14`) || !strings.Contains(r.body, `"summary":false`) {
			t.Fatalf("social worker's list: %d %s", r.status, r.body)
		}
		if r := sw.get(path(prato)); r.status != 200 || !strings.Contains(r.body, "Luca Mancini") ||
			!strings.Contains(r.body, `hx-get="`+path(prato)+`/timeline"`) {
			t.Fatalf("social worker on an own case: %d", r.status)
		}
		// The timeline loads as a section for htmx and as a page without it.
		if r := sw.do("GET", path(prato)+"/timeline", nil, map[string]string{"HX-Request": "true"}); r.status != 200 ||
			strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Caso aperto") {
			t.Fatalf("timeline section: %d %s", r.status, r.body)
		}
		if r := sw.get(path(prato) + "/timeline"); r.status != 200 || !strings.Contains(r.body, "<html") {
			t.Fatalf("timeline page: %d", r.status)
		}
		for _, id := range []int64{cecina, rome} {
			if r := sw.get(path(id)); r.status != 404 {
				t.Errorf("social worker on another organisation's case %d: %d, want 404", id, r.status)
			}
			if r := sw.get("/api/v1" + path(id)); r.status != 404 {
				t.Errorf("social worker on another organisation's case %d through the API: %d, want 404", id, r.status)
			}
		}
		if r := sw.get("/api/v1/cases/99999999"); r.status != 404 {
			t.Errorf("a case that does not exist: %d", r.status)
		}

		op := e.client()
		op.login("operatore")
		if r := op.get("/api/v1/cases?limit=200"); !strings.Contains(r.body, `"total":14`) {
			t.Errorf("the educator lists other than their 14 team cases: %s", r.body)
		}
		if r := op.get(path(cecina)); r.status != 404 {
			t.Errorf("educator on a case whose team they are not on: %d", r.status)
		}
		if r := op.get(path(prato) + "/access"); r.status != 404 {
			t.Errorf("educator on the access log: %d, want 404", r.status)
		}

		lead := e.client()
		lead.login("capofila")
		if r := lead.get("/"); !strings.Contains(r.body, "I casi dei tuoi progetti per fase") || !strings.Contains(r.body, "19 casi in tutto") {
			t.Errorf("the lead entity's home does not count its programmes' cases")
		}
		r := lead.get("/api/v1/cases?limit=200")
		if !strings.Contains(r.body, `"total":19`) || !strings.Contains(r.body, `"summary":true`) {
			t.Errorf("lead entity's list: %s", r.body)
		}
		r = lead.get("/api/v1" + path(cecina))
		var c struct {
			Summary bool
			Team    []any
		}
		json.Unmarshal([]byte(r.body), &c)
		if r.status != 200 || !c.Summary || len(c.Team) != 0 {
			t.Errorf("lead entity on a programme case: %d %s", r.status, r.body)
		}
		if r := lead.get(path(rome)); r.status != 404 {
			t.Errorf("lead entity on another programme's case: %d", r.status)
		}
		if r := lead.get(path(cecina) + "/access"); r.status != 200 || !strings.Contains(r.body, "Elena Rossetti") {
			t.Errorf("lead entity on the access log: %d", r.status)
		}

		for _, who := range []string{"segnalante", "mediatore", "osservatorio", "formazione", "admin"} {
			c := e.client()
			c.login(who)
			for _, p := range []string{"/cases", path(prato), "/api/v1/cases", "/api/v1" + path(prato), "/break-glass"} {
				if r := c.get(p); r.status != 404 {
					t.Errorf("%s on %s: %d, want 404", who, p, r.status)
				}
			}
		}

		// Every opening is in the audit log, tied to its case.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'read'`, prato); n < 1 {
			t.Errorf("opening a case left %d audit entries", n)
		}
	})
}

func TestBreakGlass(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		rome, romeCode := caseOf(t, db, "RM-MSNA")
		casePath := "/cases/" + strconv.FormatInt(rome, 10)
		sw := e.client()
		sw.login("assistente.sociale")
		const reason = "Il ragazzo è arrivato stanotte al pronto soccorso di Prato e dice di essere seguito a Roma."

		tok := sw.token("/break-glass")
		r := sw.post("/break-glass", url.Values{"csrf_token": {tok}, "case_code": {romeCode}, "reason": {"urgente"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#reason"`) || !strings.Contains(r.body, ">urgente</textarea>") {
			t.Fatalf("a short reason: %d", r.status)
		}
		r = sw.post("/break-glass", url.Values{"csrf_token": {tok}, "case_code": {"XX-0000-99999"}, "reason": {reason}})
		if r.status != http.StatusNotFound || !strings.Contains(r.body, `href="#case_code"`) {
			t.Fatalf("an unknown code: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM break_glass`); n != 0 {
			t.Fatalf("refused requests wrote %d accesses", n)
		}
		r = sw.post("/break-glass", url.Values{"csrf_token": {tok}, "case_code": {romeCode}, "reason": {reason}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != casePath {
			t.Fatalf("break-glass: %d %s", r.status, r.header.Get("Location"))
		}
		if r := sw.get(casePath); r.status != 200 || !strings.Contains(r.body, "accesso d&#39;emergenza") {
			t.Fatalf("the case after break-glass: %d", r.status)
		}
		// The case worker and the lead entity are told, by code only.
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE n.kind = 'break_glass' AND n.case_code = ? AND u.username = 'as.roma'`, romeCode); n != 1 {
			t.Errorf("the case worker got %d notifications", n)
		}
		// The reason is audited, sealed: the raw table does not hold it.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'break_glass' AND case_id = ?`, rome); n != 1 {
			t.Errorf("%d break-glass audit entries", n)
		}
		for _, table := range []string{"audit_log", "break_glass"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table+` WHERE reason LIKE ?`, "%pronto soccorso%"); n != 0 {
				t.Errorf("%s holds the reason in clear", table)
			}
		}
		// The case worker sees who opened the case and why, from the
		// notification on their home page.
		owner := e.client()
		owner.login("as.roma")
		if r := owner.get("/"); !strings.Contains(r.body, "Accesso d&#39;emergenza al caso "+romeCode) {
			t.Errorf("the case worker's home shows no notification")
		}
		if r := owner.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"break_glass","case_id":`+strconv.FormatInt(rome, 10)+`,"case_code":"`+romeCode+`"`) {
			t.Errorf("the notification is not in the API: %s", r.body)
		}
		r = owner.get(casePath + "/access")
		if r.status != 200 || !strings.Contains(r.body, "pronto soccorso") || !strings.Contains(r.body, "Chiara Benvenuti") {
			t.Fatalf("access log: %d", r.status)
		}
		// When the access expires the case is out of reach again.
		ctx := context.Background()
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE break_glass SET expires_at = ?`, time.Now().UTC().Add(-time.Minute))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		again := e.client()
		again.login("assistente.sociale")
		if r := again.get(casePath); r.status != 404 {
			t.Fatalf("an expired break-glass still opens the case: %d", r.status)
		}
		// The API does the same, with the anti-forgery header for a cookie.
		body := `{"case_code":"` + romeCode + `","reason":"` + reason + `"}`
		r = again.do("POST", "/api/v1/break-glass", strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
		if r.status != http.StatusForbidden {
			t.Fatalf("API break-glass without the anti-forgery header: %d", r.status)
		}
		r = again.do("POST", "/api/v1/break-glass", strings.NewReader(body), map[string]string{
			"Content-Type": "application/json", "X-CSRF-Token": again.token("/")})
		if r.status != 200 || !strings.Contains(r.body, romeCode) {
			t.Fatalf("API break-glass: %d %s", r.status, r.body)
		}
		if r := again.get("/api/v1" + casePath); r.status != 200 || !strings.Contains(r.body, `"via":"break_glass"`) {
			t.Fatalf("API case after break-glass: %d %s", r.status, r.body)
		}
		// Roles without the right cannot break the glass at all.
		op := e.client()
		op.login("operatore")
		r = op.do("POST", "/api/v1/break-glass", strings.NewReader(body), map[string]string{
			"Content-Type": "application/json", "X-CSRF-Token": op.token("/")})
		if r.status != 404 {
			t.Fatalf("break-glass by an educator: %d", r.status)
		}
	})
}
