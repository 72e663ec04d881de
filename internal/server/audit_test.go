package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

func TestAuditSearch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, code := caseOf(t, db, "SDS-PRATO")
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10)); r.status != 200 {
			t.Fatalf("open case: %d", r.status)
		}
		admin := e.client()
		admin.login("admin")
		r := admin.get("/admin/audit?case_code=" + url.QueryEscape(code))
		if r.status != 200 || !strings.Contains(r.body, "Chiara Benvenuti (assistente.sociale)") || !strings.Contains(r.body, "<td>lettura</td>") {
			t.Fatalf("search by case: %d", r.status)
		}
		r = admin.get("/api/v1/audit?action=read&case_id=" + strconv.FormatInt(id, 10))
		if r.status != 200 || !strings.Contains(r.body, `"record_type":"case"`) || !strings.Contains(r.body, `"fields":["case"]`) {
			t.Fatalf("API search: %d %s", r.status, r.body)
		}
		if r := admin.get("/api/v1/audit?from=yesterday"); r.status != 422 || !strings.Contains(r.body, `"field":"from"`) {
			t.Fatalf("a malformed date: %d %s", r.status, r.body)
		}
		if r := admin.get("/admin/audit?from=2026-02-30"); r.status != 422 || !strings.Contains(r.body, `href="#from"`) {
			t.Fatalf("a malformed date in the UI: %d", r.status)
		}
		if r := admin.get("/api/v1/audit?record_type=" + url.QueryEscape("case' OR '1'='1")); r.status != 200 || !strings.Contains(r.body, `"total":0`) {
			t.Fatalf("an injection string in a filter: %d %s", r.status, r.body)
		}
		for _, p := range []string{"/admin/audit", "/api/v1/audit"} {
			if r := sw.get(p); r.status != 404 {
				t.Errorf("social worker on %s: %d, want 404", p, r.status)
			}
		}
	})
}
