package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo/internal/api"
	"approdo/internal/demo"
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/internal/web"
)

// The administration of the network, end to end: forms and JSON on both
// databases, who may reach it, edits that lost a race, invitations,
// deactivation, roles that change what people may do, the audit log and
// bad input.

var admCatalogue = i18n.MustLoad()

// admText returns the Italian text of a catalogue key as a page shows it.
func admText(key string, args ...any) string {
	return html.EscapeString(admCatalogue.T("it", key, args...))
}

// admClient is a signed-in client that knows its session's anti-forgery
// token.
type admClient struct {
	*client
	csrf string
}

func admLogin(e *env, username string) *admClient {
	e.t.Helper()
	c := e.client()
	c.login(username)
	return &admClient{client: c, csrf: c.token("/")}
}

// form posts a form with the session's token.
func (c *admClient) form(path string, values url.Values) response {
	c.e.t.Helper()
	values.Set("csrf_token", c.csrf)
	return c.do("POST", path, strings.NewReader(values.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// api sends body as JSON with the session's token.
func (c *admClient) api(method, path string, body any) response {
	c.e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	return c.do(method, path, r, map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.csrf})
}

// admDecode reads a JSON answer into a map, failing the test when the status
// is not want.
func admDecode(t *testing.T, r response, want int) map[string]any {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, r.body)
	}
	return m
}

// admInt runs a query that returns one integer.
func admInt(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	ctx := context.Background()
	if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, query, args...).Scan(&n) }); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func admExec(t *testing.T, db *store.DB, query string, args ...any) {
	t.Helper()
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, query, args...); return err }); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func admUserID(t *testing.T, db *store.DB, username string) int64 {
	t.Helper()
	return admInt(t, db, `SELECT id FROM users WHERE username = ?`, username)
}

// admAudit is one entry of the audit log.
type admAudit struct {
	Actor                      int64
	Action, Type, ID, Fields   string
	Reason, CaseAndClient, Raw string
}

// admAuditLog returns the audit entries of a record type, oldest first.
func admAuditLog(t *testing.T, db *store.DB, recordType string) []admAudit {
	t.Helper()
	var out []admAudit
	ctx := context.Background()
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT actor_id, action, record_type, record_id, fields, reason FROM audit_log
			WHERE record_type = ? ORDER BY seq`, recordType)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e admAudit
			if err := rows.Scan(&e.Actor, &e.Action, &e.Type, &e.ID, &e.Fields, &e.Reason); err != nil {
				return err
			}
			e.Raw = strings.Join([]string{e.Action, e.Type, e.ID, e.Fields, e.Reason}, "|")
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// admFind returns the entries of log with the action and record id.
func admFind(log []admAudit, action, id string) []admAudit {
	var out []admAudit
	for _, e := range log {
		if e.Action == action && e.ID == id {
			out = append(out, e)
		}
	}
	return out
}

var admLocation = regexp.MustCompile(`^/admin/[a-z]+/([0-9a-z_]+)\?saved$`)

// admCreated returns the id in the redirect of a form that created a record.
func admCreated(t *testing.T, r response) string {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303:\n%s", r.status, r.body)
	}
	m := admLocation.FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		t.Fatalf("redirected to %q", r.header.Get("Location"))
	}
	return m[1]
}

var admVersion = regexp.MustCompile(`name="version" value="([0-9]+)"`)

// admFormVersion returns the version an edit form carries.
func admFormVersion(t *testing.T, c *admClient, path string) string {
	t.Helper()
	r := c.get(path)
	m := admVersion.FindStringSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("GET %s: %d, no version", path, r.status)
	}
	return m[1]
}

var admInvitationLink = regexp.MustCompile(`<code id="invitation-link">https?://[^/]+(/invitation/[A-Za-z0-9_-]+)</code>`)

// TestAdminFormsCreateAndEdit walks the administration's forms as an
// administrator: a new area, organisation, programme with its budget, user
// and role, each edited afterwards, and checks what the pages show.
func TestAdminFormsCreateAndEdit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := admLogin(e, "admin")

		area := admCreated(t, c.form("/admin/areas", url.Values{"code": {"lu-nord"}, "name": {"Piana di Lucca"}, "region": {"Toscana"}}))
		if r := c.get("/admin/areas/" + area + "?saved"); !strings.Contains(r.body, "Piana di Lucca") || !strings.Contains(r.body, "LU-NORD") ||
			!strings.Contains(r.body, admText("admin.saved")) {
			t.Fatalf("the new area's page: %d\n%s", r.status, r.body)
		}
		v := admFormVersion(t, c, "/admin/areas/"+area+"/edit")
		if r := c.form("/admin/areas/"+area, url.Values{"version": {v}, "code": {"LU-NORD"}, "name": {"Piana di Lucca e Valle del Serchio"}, "region": {"Toscana"}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit area: %d\n%s", r.status, r.body)
		}

		org := admCreated(t, c.form("/admin/organisations", url.Values{"code": {"CAV-LU"}, "name": {"Centro antiviolenza Luna"},
			"kind": {"anti_violence_centre"}, "area_id": {area}}))
		v = admFormVersion(t, c, "/admin/organisations/"+org+"/edit")
		if r := c.form("/admin/organisations/"+org, url.Values{"version": {v}, "code": {"CAV-LU"}, "name": {"Centro antiviolenza Luna di Lucca"},
			"kind": {"anti_violence_centre"}, "area_id": {area}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit organisation: %d\n%s", r.status, r.body)
		}
		if r := c.get("/admin/organisations/" + org); !strings.Contains(r.body, "Centro antiviolenza Luna di Lucca") || !strings.Contains(r.body, "Piana di Lucca e Valle del Serchio") {
			t.Fatalf("the organisation's page does not show the edit:\n%s", r.body)
		}
		if r := c.get("/network/organisations?q=Luna"); !strings.Contains(r.body, "Centro antiviolenza Luna di Lucca") {
			t.Fatal("the directory does not list the new organisation")
		}

		lead := strconv.FormatInt(admInt(t, db, `SELECT id FROM organisations WHERE code = 'RT'`), 10)
		prog := admCreated(t, c.form("/admin/programmes", url.Values{
			"code": {"LUNA-2026"}, "name": {"Luna – rete antiviolenza lucchese"}, "funder": {"FAMI 2021-2027"},
			"starts_on": {"2026-01-01"}, "ends_on": {"2027-12-31"}, "lead_organisation_id": {lead},
			"partner_ids": {org}, "area_ids": {area}, "description": {"Progetto sintetico."},
			"budget_lines.0.code": {"a.1"}, "budget_lines.0.label": {"Coordinamento"}, "budget_lines.0.amount_cents": {"12.500,50"},
			"budget_lines.0.organisation_id": {lead},
			"budget_lines.1.code":            {"B.1"}, "budget_lines.1.label": {"Ospitalità"}, "budget_lines.1.amount_cents": {"40000"},
			"budget_lines.2.code": {""}, "budget_lines.2.label": {""}, "budget_lines.2.amount_cents": {""},
		}))
		r := c.get("/admin/programmes/" + prog)
		for _, want := range []string{"Luna – rete antiviolenza lucchese", "A.1", "12.500,50 €", "40.000,00 €", "52.500,50 €", "Centro antiviolenza Luna di Lucca"} {
			if !strings.Contains(r.body, html.EscapeString(want)) {
				t.Errorf("the programme's page lacks %q", want)
			}
		}
		// Edit the budget: change the first line, remove the second, add a
		// third; the first keeps its id.
		lines := admLines(t, c, prog)
		if len(lines) != 2 {
			t.Fatalf("budget lines after create: %+v", lines)
		}
		v = admFormVersion(t, c, "/admin/programmes/"+prog+"/edit")
		if r := c.form("/admin/programmes/"+prog, url.Values{"version": {v},
			"code": {"LUNA-2026"}, "name": {"Luna – rete antiviolenza lucchese"}, "funder": {"FAMI 2021-2027"},
			"starts_on": {"2026-01-01"}, "ends_on": {"2027-12-31"}, "lead_organisation_id": {lead},
			"partner_ids": {org}, "area_ids": {area},
			"budget_lines.0.id": {lines[0]["id"]}, "budget_lines.0.code": {"A.1"}, "budget_lines.0.label": {"Coordinamento"}, "budget_lines.0.amount_cents": {"13.000"},
			"budget_lines.1.id": {lines[1]["id"]}, "budget_lines.1.code": {"B.1"}, "budget_lines.1.label": {"Ospitalità"}, "budget_lines.1.amount_cents": {"40000"}, "budget_lines.1.remove": {"1"},
			"budget_lines.2.code": {"C.1"}, "budget_lines.2.label": {"Formazione"}, "budget_lines.2.amount_cents": {"2.000,00"},
		}); r.status != http.StatusSeeOther {
			t.Fatalf("edit programme: %d\n%s", r.status, r.body)
		}
		after := admLines(t, c, prog)
		if len(after) != 2 || after[0]["id"] != lines[0]["id"] || after[0]["amount_cents"] != "1300000" || after[1]["code"] != "C.1" || after[1]["amount_cents"] != "200000" {
			t.Fatalf("budget lines after edit: %+v", after)
		}

		// A user is invited, never given a password.
		r = c.form("/admin/users", url.Values{"username": {"Giulia.Serra"}, "display_name": {"Giulia Serra"}, "email": {"giulia.serra@example.org"},
			"organisation_id": {org}, "profession": {"Operatrice"}, "languages": {"it, EN; ar"}, "locale": {"it"},
			"roles": {"partner_operator"}, "area_ids": {area}})
		if r.status != http.StatusOK || admInvitationLink.FindStringSubmatch(r.body) == nil {
			t.Fatalf("invite: %d\n%s", r.status, r.body)
		}
		user := strconv.FormatInt(admUserID(t, db, "giulia.serra"), 10)
		if n := admInt(t, db, `SELECT COUNT(*) FROM users WHERE id = ? AND password_hash = ''`, user); n != 1 {
			t.Fatal("the invited user has a password")
		}
		if r := c.get("/admin/users?state=invited"); !strings.Contains(r.body, "Giulia Serra") || strings.Contains(r.body, "Chiara Benvenuti") {
			t.Fatal("the list filtered by state does not show just the invited user")
		}
		v = admFormVersion(t, c, "/admin/users/"+user+"/edit")
		if r := c.form("/admin/users/"+user, url.Values{"version": {v}, "display_name": {"Giulia Serra"}, "email": {"giulia.serra@example.org"},
			"organisation_id": {org}, "profession": {"Coordinatrice"}, "languages": {"it en ar"}, "locale": {"en"},
			"roles": {"partner_operator", "mediator"}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit user: %d\n%s", r.status, r.body)
		}
		if r := c.get("/admin/users/" + user); !strings.Contains(r.body, "Coordinatrice") || !strings.Contains(r.body, "Mediatore culturale") ||
			!strings.Contains(r.body, "<code>ar</code>") || !strings.Contains(r.body, admText("admin.users.state.invited")) {
			t.Fatalf("the user's page does not show the edit:\n%s", r.body)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM user_areas WHERE user_id = ?`, user); n != 0 {
			t.Fatalf("the user keeps %d areas after they were all taken away", n)
		}

		// A custom role, its matrix, an edit and its removal.
		if code := admCreated(t, c.form("/admin/roles", url.Values{"code": {"referente_scuola"}, "name": {"Referente scolastico"},
			"description": {"Segnala e segue gli esiti."}, "permissions": {"read:directory:network", "read:user:own"},
			"field_groups": {"identity"}, "kinds.identity": {"school"}})); code != "referente_scuola" {
			t.Fatalf("role created as %q", code)
		}
		r = c.get("/admin/roles/referente_scuola")
		for _, want := range []string{"Referente scolastico", "tutta la rete", "propri", "Identità", "Scuola", admText("admin.roles.delete")} {
			if !strings.Contains(r.body, html.EscapeString(want)) {
				t.Errorf("the role's page lacks %q", want)
			}
		}
		v = admFormVersion(t, c, "/admin/roles/referente_scuola/edit")
		if r := c.form("/admin/roles/referente_scuola", url.Values{"version": {v}, "name": {"Referente scolastico"}, "second_factor": {"1"},
			"permissions": {"read:directory:network", "read:user:own", "update:user:own"}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit role: %d\n%s", r.status, r.body)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM role_permissions WHERE role = 'referente_scuola'`); n != 3 {
			t.Fatalf("the role has %d permissions, want 3", n)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM role_field_groups WHERE role = 'referente_scuola'`); n != 0 {
			t.Fatalf("the role keeps %d field groups after they were taken away", n)
		}
		v = admFormVersion(t, c, "/admin/roles/referente_scuola")
		if r := c.form("/admin/roles/referente_scuola/delete", url.Values{"version": {v}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete role: %d\n%s", r.status, r.body)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM roles WHERE code = 'referente_scuola'`); n != 0 {
			t.Fatal("the role is still there")
		}
		// A built-in role is never deleted.
		v = strconv.FormatInt(admInt(t, db, `SELECT version FROM roles WHERE code = 'mediator'`), 10)
		if r := c.form("/admin/roles/mediator/delete", url.Values{"version": {v}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, admText("error.role_builtin")) {
			t.Fatalf("delete a built-in role: %d", r.status)
		}
	})
}

// admLines returns the budget lines of a programme as the API gives them,
// with every value as text.
func admLines(t *testing.T, c *admClient, id string) []map[string]string {
	t.Helper()
	m := admDecode(t, c.api("GET", "/api/v1/programmes/"+id, nil), 200)
	var out []map[string]string
	for _, l := range m["budget_lines"].([]any) {
		row := map[string]string{}
		for k, v := range l.(map[string]any) {
			if f, ok := v.(float64); ok {
				row[k] = strconv.FormatFloat(f, 'f', -1, 64)
			} else {
				row[k] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	return out
}

// TestAdminAPICreatesAndEdits does through the JSON API what the forms do,
// and checks the answers.
func TestAdminAPICreatesAndEdits(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		c := admLogin(e, "admin")

		area := admDecode(t, c.api("POST", "/api/v1/areas", map[string]any{"code": "ms", "name": "Massa", "region": "Toscana"}), 201)
		if area["code"] != "MS" || area["version"] != 1.0 {
			t.Fatalf("area: %v", area)
		}
		areaID := area["id"].(float64)
		area["name"] = "Massa e Carrara"
		area = admDecode(t, c.api("PUT", fmt.Sprintf("/api/v1/areas/%v", areaID), area), 200)
		if area["name"] != "Massa e Carrara" || area["version"] != 2.0 {
			t.Fatalf("area after update: %v", area)
		}

		org := admDecode(t, c.api("POST", "/api/v1/organisations", map[string]any{"code": "COOP-MS", "name": "Cooperativa Apuana",
			"kind": "cooperative", "area_id": areaID}), 201)
		org["kind"] = "reception_community"
		org = admDecode(t, c.api("PUT", fmt.Sprintf("/api/v1/organisations/%v", org["id"]), org), 200)
		if org["kind"] != "reception_community" || org["version"] != 2.0 {
			t.Fatalf("organisation after update: %v", org)
		}

		prog := admDecode(t, c.api("POST", "/api/v1/programmes", map[string]any{"code": "APUANE", "name": "Rete apuana", "funder": "FAMI",
			"starts_on": "2025-03-01", "ends_on": "2026-02-28", "lead_organisation_id": org["id"], "area_ids": []any{areaID},
			"budget_lines": []any{
				map[string]any{"code": "A.1", "label": "Coordinamento", "amount_cents": 1_000_000},
				map[string]any{"code": "A.2", "label": "Accoglienza", "amount_cents": 2_500_000, "organisation_id": org["id"]},
			}}), 201)
		lines := prog["budget_lines"].([]any)
		if len(lines) != 2 || lines[1].(map[string]any)["organisation_id"] != org["id"] {
			t.Fatalf("programme: %v", prog)
		}
		// Send back what was read, with the lines swapped in code and one
		// more: ids keep the lines.
		first, second := lines[0].(map[string]any), lines[1].(map[string]any)
		first["code"], second["code"] = "A.2", "A.1"
		prog["budget_lines"] = append(lines, map[string]any{"code": "B.1", "label": "Formazione", "amount_cents": 0})
		prog = admDecode(t, c.api("PUT", fmt.Sprintf("/api/v1/programmes/%v", prog["id"]), prog), 200)
		lines = prog["budget_lines"].([]any)
		if len(lines) != 3 || lines[0].(map[string]any)["id"] != first["id"] || lines[0].(map[string]any)["code"] != "A.2" || prog["version"] != 2.0 {
			t.Fatalf("programme after update: %v", prog)
		}

		invited := admDecode(t, c.api("POST", "/api/v1/users", map[string]any{"username": "marta.ricci", "display_name": "Marta Ricci",
			"organisation_id": org["id"], "languages": []string{"it", "ti"}, "roles": []string{"partner_operator"}, "area_ids": []any{areaID}}), 201)
		user := invited["user"].(map[string]any)
		link := invited["invitation"].(map[string]any)["url"].(string)
		if user["state"] != "invited" || !strings.Contains(link, "/invitation/") || user["invitation_expires_at"] == nil {
			t.Fatalf("invited: %v", invited)
		}
		user["roles"] = []string{"partner_operator", "health_professional"}
		user["profession"] = "Educatrice"
		user = admDecode(t, c.api("PUT", fmt.Sprintf("/api/v1/users/%v", user["id"]), user), 200)
		if user["profession"] != "Educatrice" || len(user["roles"].([]any)) != 2 || user["version"] != 2.0 {
			t.Fatalf("user after update: %v", user)
		}
		if list := admDecode(t, c.api("GET", "/api/v1/users?state=invited", nil), 200); list["total"] != 1.0 {
			t.Fatalf("invited users: %v", list)
		}

		role := admDecode(t, c.api("POST", "/api/v1/roles", map[string]any{"code": "coordinatore_area", "name": "Coordinatore d'ambito",
			"permissions":  []any{map[string]any{"verb": "read", "resource": "directory", "scope": "network"}},
			"field_groups": []any{map[string]any{"group": "health", "org_kinds": []string{"health_authority"}}}}), 201)
		if role["builtin"] != false || role["label"] != "Coordinatore d'ambito" || len(role["field_groups"].([]any)) != 1 {
			t.Fatalf("role: %v", role)
		}
		role["second_factor"] = true
		role["permissions"] = append(role["permissions"].([]any), map[string]any{"verb": "list", "resource": "user", "scope": "area"})
		role = admDecode(t, c.api("PUT", "/api/v1/roles/coordinatore_area", role), 200)
		if role["second_factor"] != true || len(role["permissions"].([]any)) != 2 || role["version"] != 2.0 {
			t.Fatalf("role after update: %v", role)
		}
		if r := c.api("DELETE", "/api/v1/roles/coordinatore_area?version=2", nil); r.status != http.StatusNoContent {
			t.Fatalf("delete role: %d %s", r.status, r.body)
		}
		if list := admDecode(t, c.api("GET", "/api/v1/roles", nil), 200); list["total"] != 9.0 {
			t.Fatalf("roles after delete: %v", list["total"])
		}
	})
}

// admRequest is one request to a route of the administration.
type admRequest struct{ method, path string }

// TestAdminRoutesHideFromOthers calls every route of the administration, in
// the UI and the API, as each demo user who is not an administrator, and
// expects the not-found answer from all of them and no change written.
func TestAdminRoutesHideFromOthers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		other := strconv.FormatInt(admUserID(t, db, "admin"), 10)
		concrete := func(pattern string) admRequest {
			method, path, _ := strings.Cut(pattern, " ")
			path = strings.NewReplacer("{id}", "1", "{code}", "social_worker", "{$}", "").Replace(path)
			return admRequest{method, strings.Replace(path, "/users/1", "/users/"+other, 1)}
		}
		var reqs []admRequest
		ui, err := web.New(web.Deps{Catalogue: admCatalogue})
		if err != nil {
			t.Fatal(err)
		}
		ui.Register(http.NewServeMux())
		for _, r := range ui.Routes() {
			if _, path, _ := strings.Cut(r.Pattern, " "); strings.HasPrefix(path, "/admin") {
				reqs = append(reqs, concrete(r.Pattern))
			}
		}
		a := api.New(api.Deps{})
		a.Register(http.NewServeMux())
		for _, r := range a.Routes() {
			method, path, _ := strings.Cut(r.Pattern, " ")
			admin := strings.HasPrefix(path, "/api/v1/roles") || strings.HasPrefix(path, "/api/v1/users") ||
				(method != "GET" && slices.ContainsFunc([]string{"/api/v1/areas", "/api/v1/organisations", "/api/v1/programmes"},
					func(p string) bool { return strings.HasPrefix(path, p) }))
			if admin {
				reqs = append(reqs, concrete(r.Pattern))
			}
		}
		if len(reqs) < 50 {
			t.Fatalf("only %d administration routes found", len(reqs))
		}
		audit := admInt(t, db, `SELECT COUNT(*) FROM audit_log WHERE action IN ('create', 'update', 'delete', 'permission_change', 'deactivate', 'reactivate', 'invite')`)
		for _, u := range []string{"assistente.sociale", "operatore", "capofila", "sanitario", "segnalante", "mediatore", "osservatorio", "formazione"} {
			c := admLogin(e, u)
			if strings.Contains(c.get("/").body, `href="/admin"`) {
				t.Errorf("%s sees the administration in the navigation", u)
			}
			for _, req := range reqs {
				var r response
				switch {
				case strings.HasPrefix(req.path, "/api/"):
					r = c.api(req.method, req.path, map[string]any{})
				case req.method == "POST":
					r = c.form(req.path, url.Values{"code": {"X"}, "name": {"X"}, "version": {"1"}})
				default:
					r = c.get(req.path)
				}
				if r.status != http.StatusNotFound {
					t.Errorf("%s %s as %s: %d, want 404", req.method, req.path, u, r.status)
				}
			}
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM audit_log WHERE action IN ('create', 'update', 'delete', 'permission_change', 'deactivate', 'reactivate', 'invite')`); n != audit {
			t.Fatalf("refused requests wrote %d audit entries of changes", n-audit)
		}
	})
}

// TestStaleEditsAreRefused edits each record from an old version, in the
// UI and the API, and expects a conflict that overwrites nothing; the form
// shows what was saved meanwhile and lets the administrator apply their
// version.
func TestStaleEditsAreRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		anna, other := admLogin(e, "admin"), admLogin(e, "admin")
		org := strconv.FormatInt(admInt(t, db, `SELECT id FROM organisations WHERE code = 'CAV-PRATO'`), 10)
		old := admFormVersion(t, anna, "/admin/organisations/"+org+"/edit")
		edit := func(c *admClient, version, name string) response {
			return c.form("/admin/organisations/"+org, url.Values{"version": {version}, "code": {"CAV-PRATO"}, "name": {name},
				"kind": {"anti_violence_centre"}})
		}
		if r := edit(other, old, "Centro antiviolenza La Nara"); r.status != http.StatusSeeOther {
			t.Fatalf("first edit: %d", r.status)
		}
		r := edit(anna, old, "Centro antiviolenza della Piana pratese")
		if r.status != http.StatusConflict || !strings.Contains(r.body, admText("admin.conflict.title")) ||
			!strings.Contains(r.body, "Centro antiviolenza La Nara") || !strings.Contains(r.body, `value="Centro antiviolenza della Piana pratese"`) {
			t.Fatalf("stale edit: %d\n%s", r.status, r.body)
		}
		if name := admName(t, db, org); name != "Centro antiviolenza La Nara" {
			t.Fatalf("the stale edit overwrote the name: %q", name)
		}
		// The form now carries the current version: saving again applies.
		m := admVersion.FindStringSubmatch(r.body)
		if m == nil || m[1] == old {
			t.Fatalf("the form kept the old version")
		}
		if r := edit(anna, m[1], "Centro antiviolenza della Piana pratese"); r.status != http.StatusSeeOther {
			t.Fatalf("re-applied edit: %d", r.status)
		}
		if name := admName(t, db, org); name != "Centro antiviolenza della Piana pratese" {
			t.Fatalf("the re-applied edit was not saved: %q", name)
		}

		// The API answers 409 for every kind of record.
		stale := []struct {
			path string
			body map[string]any
		}{
			{"/api/v1/organisations/" + org, map[string]any{"code": "CAV-PRATO", "name": "X", "kind": "anti_violence_centre", "version": 1}},
			{"/api/v1/areas/1", map[string]any{"code": "FI-PO", "name": "X", "region": "Toscana", "version": 0}},
			{"/api/v1/programmes/1", map[string]any{"code": "X", "name": "X", "funder": "X", "starts_on": "2020-01-01", "ends_on": "2021-01-01",
				"lead_organisation_id": 1, "version": 7}},
			{"/api/v1/users/" + strconv.FormatInt(admUserID(t, db, "operatore"), 10), map[string]any{"display_name": "X",
				"organisation_id": 1, "roles": []string{"reporter"}, "version": 0}},
			{"/api/v1/roles/reporter", map[string]any{"permissions": []any{}, "version": 5}},
		}
		for _, s := range stale {
			r := anna.api("PUT", s.path, s.body)
			body := admDecode(t, r, http.StatusConflict)
			if body["error"].(map[string]any)["message"] != admCatalogue.T("it", "error.stale_version") {
				t.Errorf("PUT %s: %v", s.path, body)
			}
		}
		if r := anna.api("POST", "/api/v1/users/"+strconv.FormatInt(admUserID(t, db, "operatore"), 10)+"/deactivate", map[string]any{"version": 9}); r.status != http.StatusConflict {
			t.Errorf("stale deactivation: %d", r.status)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM users WHERE username = 'operatore' AND active AND display_name = 'Luca Mancini'`); n != 1 {
			t.Fatal("a stale edit changed the user")
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM role_permissions WHERE role = 'reporter'`); n == 0 {
			t.Fatal("a stale edit emptied the role")
		}
	})
}

func admName(t *testing.T, db *store.DB, orgID string) string {
	t.Helper()
	var name string
	ctx := context.Background()
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT name FROM organisations WHERE id = ?`, orgID).Scan(&name)
	}); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestInvitationFlow follows an invitation from the administrator's form to
// the invitee signed in, and checks that a link works once, that an expired
// or replaced link is refused, and that only the token's hash is stored.
func TestInvitationFlow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		org := strconv.FormatInt(admInt(t, db, `SELECT id FROM organisations WHERE code = 'COM-EDU-FARO'`), 10)
		r := admin.form("/admin/users", url.Values{"username": {"nadia.conti"}, "display_name": {"Nadia Conti"},
			"organisation_id": {org}, "roles": {"partner_operator"}, "locale": {"it"}})
		m := admInvitationLink.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("invite: %d\n%s", r.status, r.body)
		}
		link := m[1]
		token := strings.TrimPrefix(link, "/invitation/")
		if n := admInt(t, db, `SELECT COUNT(*) FROM invitations`); n != 1 {
			t.Fatalf("%d invitations stored", n)
		}
		var stored []byte
		ctx := context.Background()
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT token_hash FROM invitations`).Scan(&stored)
		})
		if bytes.Contains(stored, []byte(token)) || len(stored) != 32 {
			t.Fatal("the invitation's token is stored as it is, not hashed")
		}

		// Someone not signed in can sign in with the link only.
		guest := e.client()
		if r := guest.login2("nadia.conti", "anything-at-all-1"); r.status == http.StatusSeeOther {
			t.Fatal("an invited user signed in before choosing a password")
		}
		r = guest.get(link)
		if r.status != 200 || !strings.Contains(r.body, "Nadia Conti") || !strings.Contains(r.body, `value="nadia.conti"`) {
			t.Fatalf("invitation page: %d\n%s", r.status, r.body)
		}
		tok := csrfField.FindStringSubmatch(r.body)[1]
		accept := func(password, confirm string) response {
			return guest.do("POST", link, strings.NewReader(url.Values{"csrf_token": {tok}, "password": {password},
				"password_confirm": {confirm}}.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		}
		if r := accept("corta", "corta"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, admText("error.field.too_short", admCatalogue.T("it", "field.password"), 12)) {
			t.Fatalf("short password: %d\n%s", r.status, r.body)
		}
		if r := accept("una frase lunga abbastanza", "una frase diversa"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#password_confirm"`) {
			t.Fatalf("different passwords: %d", r.status)
		}
		r = accept("il faro sulla collina di sera", "il faro sulla collina di sera")
		if r.status != http.StatusSeeOther || guest.cookie(web.SessionCookie) == "" {
			t.Fatalf("accept: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
		}
		if r := guest.get("/"); r.status != 200 || !strings.Contains(r.body, "Nadia Conti") {
			t.Fatalf("the invitee is not signed in: %d", r.status)
		}
		// The link works once.
		if r := e.client().get(link); r.status != http.StatusNotFound || !strings.Contains(r.body, admText("error.invitation_invalid")) {
			t.Fatalf("a used link: %d", r.status)
		}
		if r := e.client().login2("nadia.conti", "il faro sulla collina di sera"); r.status != http.StatusSeeOther {
			t.Fatalf("sign in with the chosen password: %d", r.status)
		}
		if r := e.client().get("/invitation/not-a-token"); r.status != http.StatusNotFound {
			t.Fatalf("unknown token: %d", r.status)
		}

		// An expired link is refused, and so is one replaced by a new one.
		invite := func(username string) string {
			body := admDecode(t, admin.api("POST", "/api/v1/users", map[string]any{"username": username, "display_name": "Persona " + username,
				"organisation_id": mustAtoi(t, org), "roles": []string{"reporter"}}), 201)
			u, _ := url.Parse(body["invitation"].(map[string]any)["url"].(string))
			return u.Path
		}
		expired := invite("scaduto")
		admExec(t, db, `UPDATE invitations SET expires_at = ? WHERE user_id = ?`, time.Now().UTC().Add(-time.Minute), admUserID(t, db, "scaduto"))
		if r := e.client().get(expired); r.status != http.StatusNotFound || !strings.Contains(r.body, admText("error.invitation_invalid")) {
			t.Fatalf("an expired link: %d", r.status)
		}
		replaced := invite("sostituito")
		id := strconv.FormatInt(admUserID(t, db, "sostituito"), 10)
		again := admDecode(t, admin.api("POST", "/api/v1/users/"+id+"/invitation", nil), 201)
		if r := e.client().get(replaced); r.status != http.StatusNotFound {
			t.Fatalf("a replaced link: %d", r.status)
		}
		fresh, _ := url.Parse(again["invitation"].(map[string]any)["url"].(string))
		if r := e.client().get(fresh.Path); r.status != 200 {
			t.Fatalf("the new link: %d", r.status)
		}
		// A deactivated user's link stops working.
		v := admInt(t, db, `SELECT version FROM users WHERE id = ?`, id)
		admDecode(t, admin.api("POST", "/api/v1/users/"+id+"/deactivate", map[string]any{"version": v}), 200)
		if r := e.client().get(fresh.Path); r.status != http.StatusNotFound {
			t.Fatalf("the link of a deactivated user: %d", r.status)
		}
	})
}

// login2 posts the sign-in form and returns the answer, whatever it is.
func (c *client) login2(username, password string) response {
	return c.post("/login", url.Values{"username": {username}, "password": {password}, "next": {"/"}})
}

// TestDeactivationEndsAccess deactivates a user who is signed in: their
// session ends at once and they cannot sign in until reactivated. An
// administrator cannot deactivate themselves.
func TestDeactivationEndsAccess(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		luca := e.client()
		luca.login("operatore")
		id := strconv.FormatInt(admUserID(t, db, "operatore"), 10)
		v := admFormVersion(t, admin, "/admin/users/"+id)
		if r := admin.form("/admin/users/"+id+"/deactivate", url.Values{"version": {v}}); r.status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d\n%s", r.status, r.body)
		}
		if n := admInt(t, db, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, id); n != 0 {
			t.Fatalf("%d sessions left after deactivation", n)
		}
		if r := luca.get("/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Fatalf("the deactivated user's session still works: %d", r.status)
		}
		if r := e.client().login2("operatore", demo.Password); r.status == http.StatusSeeOther {
			t.Fatal("a deactivated user signed in")
		}
		if r := admin.get("/admin/users/" + id); !strings.Contains(r.body, admText("admin.users.state.deactivated")) || !strings.Contains(r.body, admText("admin.users.reactivate")) {
			t.Fatal("the user's page does not say they are deactivated")
		}
		v = admFormVersion(t, admin, "/admin/users/"+id)
		user := admDecode(t, admin.api("POST", "/api/v1/users/"+id+"/reactivate", map[string]any{"version": mustAtoi(t, v)}), 200)
		if user["state"] != "active" {
			t.Fatalf("after reactivation: %v", user)
		}
		if r := e.client().login2("operatore", demo.Password); r.status != http.StatusSeeOther {
			t.Fatalf("a reactivated user cannot sign in: %d", r.status)
		}
		self := strconv.FormatInt(admUserID(t, db, "admin"), 10)
		v = strconv.FormatInt(admInt(t, db, `SELECT version FROM users WHERE id = ?`, self), 10)
		if r := admin.api("POST", "/api/v1/users/"+self+"/deactivate", map[string]any{"version": mustAtoi(t, v)}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("self-deactivation: %d", r.status)
		}
	})
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRoleChangeTakesEffectAtOnce grants a role the permission to list
// users: its holders reach the list in the UI and the API on their next
// request, and lose it when the grant is taken back. A change that would
// leave nobody able to change roles is refused.
func TestRoleChangeTakesEffectAtOnce(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		chiara := admLogin(e, "assistente.sociale")
		if r := chiara.get("/admin/users"); r.status != http.StatusNotFound {
			t.Fatalf("before the grant: %d", r.status)
		}
		roles := admDecode(t, admin.api("GET", "/api/v1/roles", nil), 200)["items"].([]any)
		var role map[string]any
		for _, r := range roles {
			if r.(map[string]any)["code"] == "social_worker" {
				role = r.(map[string]any)
			}
		}
		perms := role["permissions"].([]any)
		role["permissions"] = append(slices.Clone(perms), map[string]any{"verb": "list", "resource": "user", "scope": "network"})
		role = admDecode(t, admin.api("PUT", "/api/v1/roles/social_worker", role), 200)
		if r := chiara.get("/admin/users"); r.status != 200 || !strings.Contains(r.body, "Anna Moretti") {
			t.Fatalf("after the grant, the users' list: %d", r.status)
		}
		if r := chiara.get("/api/v1/users"); r.status != 200 {
			t.Fatalf("after the grant, the users' API: %d", r.status)
		}
		if r := chiara.get("/"); !strings.Contains(r.body, `href="/admin"`) {
			t.Fatal("after the grant, the navigation lacks the administration")
		}
		// The matrix of the role's page shows the grant.
		if r := admin.get("/admin/roles/social_worker"); !strings.Contains(r.body, "<th scope=\"col\">elencare</th>") {
			t.Fatal("the role's matrix does not show the new verb")
		}
		role["permissions"] = perms
		admDecode(t, admin.api("PUT", "/api/v1/roles/social_worker", role), 200)
		if r := chiara.get("/admin/users"); r.status != http.StatusNotFound {
			t.Fatalf("after the grant was taken back: %d", r.status)
		}

		// Nobody may take away the last way to change roles.
		var adminRole map[string]any
		for _, r := range admDecode(t, admin.api("GET", "/api/v1/roles", nil), 200)["items"].([]any) {
			if r.(map[string]any)["code"] == "administrator" {
				adminRole = r.(map[string]any)
			}
		}
		var kept []any
		for _, p := range adminRole["permissions"].([]any) {
			if p.(map[string]any)["resource"] != "role" {
				kept = append(kept, p)
			}
		}
		adminRole["permissions"] = kept
		r := admin.api("PUT", "/api/v1/roles/administrator", adminRole)
		if body := admDecode(t, r, http.StatusUnprocessableEntity); body["error"].(map[string]any)["message"] != admCatalogue.T("it", "error.last_administrator") {
			t.Fatalf("locking everybody out: %v", body)
		}
		if r := admin.get("/admin/roles"); r.status != 200 {
			t.Fatalf("the refused change locked the administrator out: %d", r.status)
		}
	})
}

// TestAdminChangesAreAudited checks that every change of the administration
// leaves an audit entry naming its fields, and never their values.
func TestAdminChangesAreAudited(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		adminID := admUserID(t, db, "admin")
		secret := "Zafferano Segreto"

		area := admDecode(t, admin.api("POST", "/api/v1/areas", map[string]any{"code": "GR", "name": secret, "region": "Toscana"}), 201)
		id := fmt.Sprint(area["id"])
		area["name"] = secret + " bis"
		admDecode(t, admin.api("PUT", "/api/v1/areas/"+id, area), 200)
		log := admAuditLog(t, db, "area")
		if c := admFind(log, "create", id); len(c) != 1 || c[0].Fields != "code,name,region" || c[0].Actor != adminID {
			t.Errorf("area create: %+v", c)
		}
		if u := admFind(log, "update", id); len(u) != 1 || u[0].Fields != "name" {
			t.Errorf("area update: %+v", u)
		}

		org := admDecode(t, admin.api("POST", "/api/v1/organisations", map[string]any{"code": "ASS-GR", "name": secret, "kind": "association"}), 201)
		orgID := fmt.Sprint(org["id"])
		prog := admDecode(t, admin.api("POST", "/api/v1/programmes", map[string]any{"code": "GR-1", "name": secret, "funder": secret,
			"starts_on": "2025-01-01", "ends_on": "2025-12-31", "lead_organisation_id": org["id"],
			"budget_lines": []any{map[string]any{"code": "A.1", "label": secret, "amount_cents": 98765}}}), 201)
		prog["budget_lines"] = []any{map[string]any{"code": "A.1", "label": secret, "amount_cents": 12345}}
		admDecode(t, admin.api("PUT", fmt.Sprintf("/api/v1/programmes/%v", prog["id"]), prog), 200)
		if u := admFind(admAuditLog(t, db, "programme"), "update", fmt.Sprint(prog["id"])); len(u) != 1 || u[0].Fields != "budget_lines" {
			t.Errorf("programme update: %+v", u)
		}

		invited := admDecode(t, admin.api("POST", "/api/v1/users", map[string]any{"username": "zaff", "display_name": secret,
			"organisation_id": org["id"], "email": "zaff@example.org", "roles": []string{"reporter"}}), 201)
		user := invited["user"].(map[string]any)
		userID := fmt.Sprint(user["id"])
		user["roles"] = []string{"mediator"}
		user["email"] = "altro@example.org"
		user = admDecode(t, admin.api("PUT", "/api/v1/users/"+userID, user), 200)
		admDecode(t, admin.api("POST", "/api/v1/users/"+userID+"/deactivate", map[string]any{"version": user["version"]}), 200)
		ulog := admAuditLog(t, db, "user")
		for _, want := range []struct{ action, fields string }{
			{"create", "username,display_name,email,organisation_id,locale"},
			{"permission_change", "roles"},
			{"invite", "invitation"},
			{"update", "email"},
			{"deactivate", "active"},
		} {
			if len(admFind(ulog, want.action, userID)) == 0 || !slices.ContainsFunc(admFind(ulog, want.action, userID), func(e admAudit) bool { return e.Fields == want.fields }) {
				t.Errorf("no %s entry with fields %q for the user: %+v", want.action, want.fields, admFind(ulog, want.action, userID))
			}
		}
		if n := len(admFind(ulog, "permission_change", userID)); n != 2 {
			t.Errorf("%d permission changes of the user, want 2 (invited with a role, then changed)", n)
		}

		admDecode(t, admin.api("POST", "/api/v1/roles", map[string]any{"code": "zaff_role", "name": secret, "description": secret,
			"permissions": []any{map[string]any{"verb": "read", "resource": "directory", "scope": "network"}}}), 201)
		rlog := admAuditLog(t, db, "role")
		if len(admFind(rlog, "create", "zaff_role")) != 1 || len(admFind(rlog, "permission_change", "zaff_role")) != 1 ||
			admFind(rlog, "permission_change", "zaff_role")[0].Fields != "permissions" {
			t.Errorf("role entries: %+v", rlog)
		}

		// No value reaches the log.
		for _, kind := range []string{"area", "organisation", "programme", "user", "role"} {
			for _, e := range admAuditLog(t, db, kind) {
				for _, v := range []string{"Zafferano", "zaff@", "altro@", "98765", "12345", "GR-1", "ASS-GR"} {
					if strings.Contains(e.Raw, v) {
						t.Errorf("the audit entry %q holds the value %q", e.Raw, v)
					}
				}
			}
		}
		_ = orgID
	})
}

// admBad is one bad request and what its answer must say.
type admBad struct {
	name   string
	ui     bool // a form post rather than JSON
	path   string
	form   url.Values
	body   map[string]any
	status int
	field  string // the field at fault
	says   string // part of the Italian message
}

// TestAdminBadInputIsExplainedAndWritesNothing sends bad input to the forms
// and the API and expects a clear Italian message naming the field, and no
// change at all.
func TestAdminBadInputIsExplainedAndWritesNothing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		lead := admInt(t, db, `SELECT id FROM organisations WHERE code = 'RT'`)
		prog := func(change map[string]any) map[string]any {
			p := map[string]any{"code": "NUOVO", "name": "Nuovo progetto", "funder": "FAMI", "starts_on": "2025-01-01",
				"ends_on": "2025-12-31", "lead_organisation_id": lead}
			for k, v := range change {
				p[k] = v
			}
			return p
		}
		progForm := func(change url.Values) url.Values {
			f := url.Values{"code": {"NUOVO"}, "name": {"Nuovo progetto"}, "funder": {"FAMI"}, "starts_on": {"2025-01-01"},
				"ends_on": {"2025-12-31"}, "lead_organisation_id": {strconv.FormatInt(lead, 10)}}
			for k, v := range change {
				f[k] = v
			}
			return f
		}
		user := func(change map[string]any) map[string]any {
			u := map[string]any{"username": "nuovo.utente", "display_name": "Nuovo Utente", "organisation_id": lead, "roles": []string{"reporter"}}
			for k, v := range change {
				u[k] = v
			}
			return u
		}
		long := strings.Repeat("x", 201)
		cases := []admBad{
			{name: "missing area name (form)", ui: true, path: "/admin/areas", form: url.Values{"code": {"NEW"}, "region": {"Toscana"}},
				status: 422, field: "name", says: admText("error.field.required", "Nome")},
			{name: "missing area name", path: "/api/v1/areas", body: map[string]any{"code": "NEW", "region": "Toscana"},
				status: 422, field: "name", says: "«Nome» è obbligatorio."},
			{name: "unknown kind (form)", ui: true, path: "/admin/organisations", form: url.Values{"code": {"NEW"}, "name": {"Nuova"}, "kind": {"bakery"}},
				status: 422, field: "kind", says: "«Tipo» ha un valore non previsto."},
			{name: "unknown kind", path: "/api/v1/organisations", body: map[string]any{"code": "NEW", "name": "Nuova", "kind": "bakery"},
				status: 422, field: "kind", says: "«Tipo» ha un valore non previsto."},
			{name: "unknown area of an organisation", path: "/api/v1/organisations", body: map[string]any{"code": "NEW", "name": "Nuova", "kind": "school", "area_id": 9999},
				status: 422, field: "area_id", says: "indica qualcosa che non esiste"},
			{name: "end before start (form)", ui: true, path: "/admin/programmes", form: progForm(url.Values{"ends_on": {"2024-12-31"}}),
				status: 422, field: "ends_on", says: "«Data di fine» non può precedere la data di inizio."},
			{name: "end before start", path: "/api/v1/programmes", body: prog(map[string]any{"ends_on": "2024-12-31"}),
				status: 422, field: "ends_on", says: "non può precedere"},
			{name: "negative amount (form)", ui: true, path: "/admin/programmes", form: progForm(url.Values{"budget_lines.0.code": {"A.1"},
				"budget_lines.0.label": {"Voce"}, "budget_lines.0.amount_cents": {"-5,00"}}),
				status: 422, field: "budget_lines.0.amount_cents", says: "«Importo (€), riga 1» non può essere negativo."},
			{name: "negative amount", path: "/api/v1/programmes", body: prog(map[string]any{"budget_lines": []any{
				map[string]any{"code": "A.1", "label": "Voce", "amount_cents": 100}, map[string]any{"code": "A.2", "label": "Voce", "amount_cents": -100}}}),
				status: 422, field: "budget_lines.1.amount_cents", says: "«Importo (€), riga 2» non può essere negativo."},
			{name: "malformed amount (form)", ui: true, path: "/admin/programmes", form: progForm(url.Values{"budget_lines.3.code": {"A.1"},
				"budget_lines.3.label": {"Voce"}, "budget_lines.3.amount_cents": {"mille euro"}}),
				status: 422, field: "budget_lines.3.amount_cents", says: "deve essere un importo in euro"},
			{name: "line code twice", path: "/api/v1/programmes", body: prog(map[string]any{"budget_lines": []any{
				map[string]any{"code": "A.1", "label": "Voce", "amount_cents": 100}, map[string]any{"code": "a.1", "label": "Altra", "amount_cents": 100}}}),
				status: 422, field: "budget_lines.1.code", says: "ripete il codice"},
			{name: "unknown lead", path: "/api/v1/programmes", body: prog(map[string]any{"lead_organisation_id": 99999}),
				status: 422, field: "lead_organisation_id", says: "«Ente capofila» indica qualcosa che non esiste."},
			{name: "unknown partner (form)", ui: true, path: "/admin/programmes", form: progForm(url.Values{"partner_ids": {"99999"}}),
				status: 422, field: "partner_ids", says: "«Partner» indica qualcosa che non esiste."},
			{name: "duplicate programme code", path: "/api/v1/programmes", body: prog(map[string]any{"code": "satis"}),
				status: 409, field: "code", says: "«Codice» è già in uso"},
			{name: "duplicate organisation code (form)", ui: true, path: "/admin/organisations", form: url.Values{"code": {"rt"}, "name": {"Doppia"}, "kind": {"school"}},
				status: 409, field: "code", says: "«Codice» è già in uso"},
			{name: "duplicate area code", path: "/api/v1/areas", body: map[string]any{"code": "FI-PO", "name": "Doppia", "region": "Toscana"},
				status: 409, field: "code", says: "«Codice» è già in uso"},
			{name: "over-long name", path: "/api/v1/organisations", body: map[string]any{"code": "NEW", "name": long, "kind": "school"},
				status: 422, field: "name", says: "«Nome» può avere al massimo 200 caratteri."},
			{name: "malformed code", path: "/api/v1/areas", body: map[string]any{"code": "A B", "name": "Nuovo", "region": "Toscana"},
				status: 422, field: "code", says: "può contenere solo lettere maiuscole"},
			{name: "malformed language (form)", ui: true, path: "/admin/users", form: url.Values{"username": {"nuovo.utente"}, "display_name": {"Nuovo Utente"},
				"organisation_id": {strconv.FormatInt(lead, 10)}, "roles": {"reporter"}, "languages": {"it, italiano"}},
				status: 422, field: "languages", says: "«italiano» non lo è."},
			{name: "malformed language", path: "/api/v1/users", body: user(map[string]any{"languages": []string{"en-GB"}}),
				status: 422, field: "languages", says: "codici ISO 639"},
			{name: "unknown area of a user", path: "/api/v1/users", body: user(map[string]any{"area_ids": []int{424242}}),
				status: 422, field: "area_ids", says: "«Ambiti territoriali» indica qualcosa che non esiste."},
			{name: "unknown organisation of a user", path: "/api/v1/users", body: user(map[string]any{"organisation_id": 424242}),
				status: 422, field: "organisation_id", says: "«Organizzazione» indica qualcosa che non esiste."},
			{name: "unknown role", path: "/api/v1/users", body: user(map[string]any{"roles": []string{"king"}}),
				status: 422, field: "roles", says: "«Ruoli» indica qualcosa che non esiste."},
			{name: "no role", path: "/api/v1/users", body: user(map[string]any{"roles": []string{}}),
				status: 422, field: "roles", says: "«Ruoli» è obbligatorio."},
			{name: "malformed e-mail", path: "/api/v1/users", body: user(map[string]any{"email": "non-un-indirizzo"}),
				status: 422, field: "email", says: "non è un indirizzo e-mail valido"},
			{name: "username taken", path: "/api/v1/users", body: user(map[string]any{"username": "capofila"}),
				status: 409, field: "username", says: "«Nome utente» è già in uso"},
			{name: "unknown verb", path: "/api/v1/roles", body: map[string]any{"code": "nuovo_ruolo", "name": "Nuovo",
				"permissions": []any{map[string]any{"verb": "fly", "resource": "user", "scope": "network"}}},
				status: 422, field: "permissions", says: "permesso sconosciuto: fly:user:network"},
			{name: "unknown scope (form)", ui: true, path: "/admin/roles", form: url.Values{"code": {"nuovo_ruolo"}, "name": {"Nuovo"},
				"permissions": {"read:user:galaxy"}}, status: 422, field: "permissions", says: "permesso sconosciuto"},
			{name: "unknown field group", path: "/api/v1/roles", body: map[string]any{"code": "nuovo_ruolo", "name": "Nuovo",
				"field_groups": []any{map[string]any{"group": "diary", "org_kinds": []string{}}}},
				status: 422, field: "field_groups", says: "gruppo sconosciuto: diary"},
			{name: "unknown organisation kind", path: "/api/v1/roles", body: map[string]any{"code": "nuovo_ruolo", "name": "Nuovo",
				"field_groups": []any{map[string]any{"group": "health", "org_kinds": []string{"spaceport"}}}},
				status: 422, field: "field_groups", says: "tipo di organizzazione sconosciuto: spaceport"},
			{name: "malformed role code", path: "/api/v1/roles", body: map[string]any{"code": "Nuovo Ruolo", "name": "Nuovo"},
				status: 422, field: "code", says: "deve avere da 3 a 40 lettere minuscole"},
			{name: "role code taken", path: "/api/v1/roles", body: map[string]any{"code": "mediator", "name": "Doppio"},
				status: 409, field: "code", says: "«Codice» è già in uso"},
		}
		tables := []string{"areas", "organisations", "programmes", "programme_budget_lines", "users", "roles", "role_permissions", "invitations", "audit_log"}
		before := map[string]int64{}
		for _, table := range tables {
			before[table] = admInt(t, db, `SELECT COUNT(*) FROM `+table)
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				if c.ui {
					r := admin.form(c.path, c.form)
					if r.status != c.status {
						t.Fatalf("status %d, want %d\n%s", r.status, c.status, r.body)
					}
					if !strings.Contains(r.body, `href="#`+c.field+`"`) || !strings.Contains(r.body, `id="`+c.field+`-error"`) {
						t.Errorf("the form does not link to nor mark the field %s", c.field)
					}
					if !strings.Contains(r.body, c.says) {
						t.Errorf("the form does not say %q", c.says)
					}
					for k, v := range c.form {
						typed := slices.Contains([]string{"code", "name", "region", "funder", "starts_on", "ends_on", "username",
							"display_name", "languages", "description"}, k) || strings.HasPrefix(k, "budget_lines.")
						if typed && v[0] != "" && !strings.Contains(r.body, `value="`+html.EscapeString(v[0])+`"`) {
							t.Errorf("the form lost what was typed in %s: %q", k, v[0])
						}
					}
					return
				}
				body := admDecode(t, admin.api("POST", c.path, c.body), c.status)
				detail := body["error"].(map[string]any)
				fields, _ := detail["fields"].([]any)
				found := false
				for _, f := range fields {
					f := f.(map[string]any)
					if f["field"] == c.field && strings.Contains(f["message"].(string), c.says) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem on %s saying %q: %v", c.field, c.says, detail)
				}
			})
		}
		e.t = t
		for _, table := range tables {
			if n := admInt(t, db, `SELECT COUNT(*) FROM `+table); n != before[table] {
				t.Errorf("bad input changed %s: %d rows, was %d", table, n, before[table])
			}
		}
	})
}

// TestCustomRoleIsNamedEverywhere gives a demo user a role an administrator
// added: their home, the users' list and the user's page show its name,
// never a catalogue key.
func TestCustomRoleIsNamedEverywhere(t *testing.T) {
	e := seededEnv(t, store.SQLite)
	admin := admLogin(e, "admin")
	admDecode(t, admin.api("POST", "/api/v1/roles", map[string]any{"code": "referente_asl", "name": "Referente ASL",
		"permissions": []any{map[string]any{"verb": "read", "resource": "directory", "scope": "network"}}}), 201)
	id := strconv.FormatInt(admUserID(t, e.db, "segnalante"), 10)
	user := admDecode(t, admin.api("GET", "/api/v1/users/"+id, nil), 200)
	user["roles"] = []string{"reporter", "referente_asl"}
	admDecode(t, admin.api("PUT", "/api/v1/users/"+id, user), 200)
	paola := admLogin(e, "segnalante")
	for _, page := range []struct {
		c    *admClient
		path string
	}{{paola, "/"}, {admin, "/admin/users?role=referente_asl"}, {admin, "/admin/users/" + id}} {
		r := page.c.get(page.path)
		if r.status != 200 || !strings.Contains(r.body, "Referente ASL") || strings.Contains(r.body, "role.referente_asl") ||
			strings.Contains(r.body, "home.panel.referente_asl") {
			t.Errorf("%s does not name the custom role: %d", page.path, r.status)
		}
	}
}
