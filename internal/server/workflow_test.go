package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/network"
)

// The workflow of a case through the UI and the API, on both databases:
// moves between stages as the protocol allows them, closure and reopening,
// edits that lost a race, reassignment, transfers between organisations,
// and the case list's filters, order and saved working lists.

// wfCase returns the id and code of the first case of the organisation at
// the stage.
func wfCase(t *testing.T, db *store.DB, org string, stage cases.Stage) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var code string
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT c.id, c.code FROM cases c JOIN organisations o ON o.id = c.owner_org_id
			WHERE o.code = ? AND c.stage = ? ORDER BY c.id LIMIT 1`, org, string(stage)).Scan(&id, &code)
	})
	if err != nil {
		t.Fatalf("no case of %s at %s: %v", org, stage, err)
	}
	return id, code
}

// wfLoad reads a case as stored.
func wfLoad(t *testing.T, db *store.DB, id int64) *cases.Case {
	t.Helper()
	ctx := context.Background()
	var c *cases.Case
	if err := db.Read(ctx, func(tx *store.Tx) (err error) { c, err = store.FindCase(ctx, tx, id); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

// wfWrites counts what a change leaves behind: timeline events, revisions,
// changes of stage, transfers, working lists, notifications and audit
// entries other than reads and sign-ins.
func wfWrites(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	for _, table := range []string{"case_events", "case_revisions", "case_stage_changes", "case_transfers", "saved_lists", "notifications"} {
		n += count(t, db, `SELECT COUNT(*) FROM `+table)
	}
	return n + count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action NOT IN ('read', 'login')`)
}

// wfPath is the path of a case, under prefix ("" for the UI, "/api/v1").
func wfPath(prefix string, id int64, rest string) string {
	return prefix + "/cases/" + strconv.FormatInt(id, 10) + rest
}

// wfError reads a JSON error: its code, message and the messages by field.
func wfError(t *testing.T, r response, status int) (string, string, map[string]string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var body struct {
		Error struct {
			Code, Message string
			Fields        []struct{ Field, Message string }
		}
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("not a JSON error: %s", r.body)
	}
	fields := map[string]string{}
	for _, f := range body.Error.Fields {
		fields[f.Field] = f.Message
	}
	return body.Error.Code, body.Error.Message, fields
}

// wfCaseJSON reads a case answered by the API.
func wfCaseJSON(t *testing.T, r response, status int) map[string]any {
	t.Helper()
	return admDecode(t, r, status)
}

var (
	wfFormRe   = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	wfInputRe  = regexp.MustCompile(`<input[^>]*>`)
	wfSelectRe = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	wfOptionRe = regexp.MustCompile(`<option value="([^"]*)"([^>]*)>`)
	wfTextRe   = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	wfAttrRe   = regexp.MustCompile(`([a-z_-]+)="([^"]*)"`)
)

// wfForm returns what a browser would submit with the form of the page
// whose action is action, as it stands: hidden and text fields, ticked
// boxes, chosen options and text areas.
func wfForm(t *testing.T, page, action string) url.Values {
	t.Helper()
	for _, f := range wfFormRe.FindAllStringSubmatch(page, -1) {
		if html.UnescapeString(f[1]) != action {
			continue
		}
		v := url.Values{}
		for _, in := range wfInputRe.FindAllString(f[2], -1) {
			attrs := map[string]string{}
			for _, a := range wfAttrRe.FindAllStringSubmatch(in, -1) {
				attrs[a[1]] = html.UnescapeString(a[2])
			}
			if (attrs["type"] == "checkbox" || attrs["type"] == "radio") && !strings.Contains(in, " checked") {
				continue
			}
			if attrs["name"] != "" {
				v.Add(attrs["name"], attrs["value"])
			}
		}
		for _, s := range wfSelectRe.FindAllStringSubmatch(f[2], -1) {
			for _, o := range wfOptionRe.FindAllStringSubmatch(s[2], -1) {
				if strings.Contains(o[2], "selected") {
					v.Set(s[1], html.UnescapeString(o[1]))
				}
			}
		}
		for _, ta := range wfTextRe.FindAllStringSubmatch(f[2], -1) {
			v.Set(ta[1], html.UnescapeString(ta[2]))
		}
		return v
	}
	t.Fatalf("no form posting to %s on the page", action)
	return nil
}

func TestStagesFollowTheProtocol(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		sw := admLogin(e, "assistente.sociale")
		id, code := wfCase(t, db, "SDS-PRATO", cases.StageAssessment)
		api := func(rest string, body map[string]any) response {
			return sw.api("POST", wfPath("/api/v1", id, rest), body)
		}
		version := func() int { return wfLoad(t, db, id).Version }

		// Refused moves say why, naming the field, and write nothing.
		before := wfWrites(t, db)
		for _, bad := range []struct {
			name  string
			body  map[string]any
			field string
			text  string
		}{
			{"a jump", map[string]any{"stage": "monitoring"}, "stage", "si passa solo alla successiva"},
			{"an unknown stage", map[string]any{"stage": "limbo"}, "stage", "«Fase» ha un valore non previsto"},
			{"no stage", map[string]any{}, "stage", "«Fase» è obbligatorio"},
			{"closing by a move", map[string]any{"stage": "closure"}, "stage", "«Chiudi il caso»"},
			{"follow-up before closure", map[string]any{"stage": "follow_up"}, "stage", "solo dopo la chiusura"},
			{"back without a reason", map[string]any{"stage": "taken_charge"}, "reason", "«Motivo» è obbligatorio"},
			{"back with too short a reason", map[string]any{"stage": "taken_charge", "reason": "boh"}, "reason", "almeno 10 caratteri"},
		} {
			bad.body["version"] = version()
			_, _, fields := wfError(t, api("/stage", bad.body), http.StatusUnprocessableEntity)
			if !strings.Contains(fields[bad.field], bad.text) {
				t.Errorf("%s: %q on %s, want it to say %q", bad.name, fields[bad.field], bad.field, bad.text)
			}
		}
		_, _, fields := wfError(t, api("/stage", map[string]any{"stage": "project"}), http.StatusUnprocessableEntity)
		if !strings.Contains(fields["version"], "«Versione» è obbligatorio") {
			t.Errorf("a move without a version: %v", fields)
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("refused moves wrote %d rows", after-before)
		}

		// Forward one stage: the case moves, its version grows, the timeline
		// and the audit log say so.
		v := version()
		c := wfCaseJSON(t, api("/stage", map[string]any{"version": v, "stage": "project"}), 200)
		if c["stage"] != "project" || int(c["version"].(float64)) != v+1 {
			t.Fatalf("forward: %v", c)
		}
		// The same click from a second browser, made from the old version,
		// is a conflict that says who moved the case, not a refused move.
		code2, _, fields2 := wfError(t, api("/stage", map[string]any{"version": v, "stage": "project"}), http.StatusConflict)
		if code2 != "conflict" || !strings.Contains(fields2["stage"], "«Progetto individualizzato» (Chiara Benvenuti)") {
			t.Errorf("a second forward from the old version: %s %v", code2, fields2)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'stage_changed' AND detail LIKE ?`,
			id, `%"from":"assessment"%"to":"project"%`); n != 1 {
			t.Errorf("%d stage_changed events from assessment to project", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'update' AND record_type = 'case'
			AND fields = 'stage'`, id); n != 1 {
			t.Errorf("%d audit entries of the change of stage", n)
		}
		// Back one stage with a reason, kept sealed.
		const why = "Manca la valutazione sanitaria: il progetto aspetta."
		c = wfCaseJSON(t, api("/stage", map[string]any{"version": v + 1, "stage": "assessment", "reason": why}), 200)
		if c["stage"] != "assessment" {
			t.Fatalf("back: %v", c)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_stage_changes WHERE reason_sealed LIKE ?`, "%valutazione sanitaria%"); n != 0 {
			t.Error("the reason of going back is stored in clear")
		}
		if r := sw.get(wfPath("", id, "")); !strings.Contains(r.body, why) || !strings.Contains(r.body, "tornato alla fase precedente") {
			t.Error("the case page does not show why the case went back")
		}

		// The UI moves forward with one click and comes back to the case.
		page := sw.get(wfPath("", id, ""))
		form := wfForm(t, page.body, wfPath("", id, "/stage"))
		r := sw.form(wfPath("", id, "/stage"), form)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != wfPath("", id, "?saved") {
			t.Fatalf("forward in the UI: %d %s", r.status, r.header.Get("Location"))
		}
		if got := wfLoad(t, db, id).Stage; got != cases.StageProject {
			t.Fatalf("after the UI's forward the case is at %s", got)
		}
		if r := sw.get(wfPath("", id, "?saved")); !strings.Contains(r.body, "Modifica salvata") {
			t.Error("the case page does not confirm the change")
		}
		// Going back in the UI without a reason keeps what was chosen and
		// links the problem to the field.
		r = sw.form(wfPath("", id, "/stage"), url.Values{"version": {strconv.Itoa(version())}, "stage": {"assessment"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#reason"`) {
			t.Fatalf("back without a reason in the UI: %d", r.status)
		}
		if r := sw.get(wfPath("", id, "/stage?stage=report")); r.status != 200 || !strings.Contains(r.body, "Passaggio non possibile") {
			t.Errorf("the stage form for a jump: %d", r.status)
		}

		// Closing: from taking charge onwards, with a reason and outcomes.
		before = wfWrites(t, db)
		for _, bad := range []struct {
			body   map[string]any
			fields []string
		}{
			{map[string]any{}, []string{"closure_reason", "outcomes"}},
			{map[string]any{"closure_reason": "boredom", "outcomes": []string{"work"}}, []string{"closure_reason"}},
			{map[string]any{"closure_reason": "autonomy", "outcomes": []string{"fame"}}, []string{"outcomes"}},
			{map[string]any{"closure_reason": "autonomy", "outcomes": []string{"none", "work"}}, []string{"outcomes"}},
		} {
			bad.body["version"] = version()
			_, _, fields := wfError(t, api("/close", bad.body), http.StatusUnprocessableEntity)
			for _, f := range bad.fields {
				if fields[f] == "" {
					t.Errorf("closing with %v says nothing of %s: %v", bad.body, f, fields)
				}
			}
		}
		early, _ := wfCase(t, db, "SDS-PRATO", cases.StageScreening)
		_, msg, _ := wfError(t, sw.api("POST", wfPath("/api/v1", early, "/close"), map[string]any{"version": wfLoad(t, db, early).Version,
			"closure_reason": "autonomy", "outcomes": []string{"work"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(msg, "dalla presa in carico in poi") {
			t.Errorf("closing at screening: %q", msg)
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("refused closures wrote %d rows", after-before)
		}
		c = wfCaseJSON(t, api("/close", map[string]any{"version": version(), "closure_reason": "age_21_extension",
			"outcomes": []string{"work", "housing", "work"}}), 200)
		if c["stage"] != "closure" || c["closure_reason"] != "age_21_extension" || c["closed_at"] == nil ||
			fmt.Sprint(c["outcomes"]) != "[housing work]" {
			t.Fatalf("closed: %v", c)
		}
		page = sw.get(wfPath("", id, ""))
		for _, want := range []string{"Caso chiuso il", "Fine del prosieguo amministrativo a 21 anni", "Casa, Lavoro",
			"/notes?kind=follow_up", "Riapri il caso"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the closed case's page lacks %q", want)
			}
		}
		if r := sw.get(wfPath("", id, "/timeline")); !strings.Contains(r.body, "Caso chiuso: Fine del prosieguo") {
			t.Error("the timeline does not say why the case closed")
		}
		// Follow-up comes after closure; reopening needs a reason and takes
		// the case back to monitoring, clearing the closure.
		c = wfCaseJSON(t, api("/stage", map[string]any{"version": version(), "stage": "follow_up"}), 200)
		if c["stage"] != "follow_up" {
			t.Fatalf("follow-up: %v", c)
		}
		_, _, fields = wfError(t, api("/reopen", map[string]any{"version": version()}), http.StatusUnprocessableEntity)
		if fields["reason"] == "" {
			t.Errorf("reopening without a reason: %v", fields)
		}
		r = sw.form(wfPath("", id, "/reopen"), url.Values{"version": {strconv.Itoa(version())}, "reason": {"Il ragazzo è tornato al servizio."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("reopen in the UI: %d %s", r.status, r.body)
		}
		got := wfLoad(t, db, id)
		if got.Stage != cases.StageMonitoring || got.ClosureReason != "" || len(got.Outcomes) != 0 || !got.ClosedAt.IsZero() {
			t.Fatalf("reopened: %+v", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind IN ('closed', 'reopened')`, id); n != 2 {
			t.Errorf("%d closed and reopened events", n)
		}
		_, msg, _ = wfError(t, api("/reopen", map[string]any{"version": version(), "reason": "ancora una volta"}), http.StatusUnprocessableEntity)
		if !strings.Contains(msg, "si riapre solo un caso chiuso") {
			t.Errorf("reopening an open case: %q", msg)
		}

		// Who may do what: the educator on the team changes risk and
		// concerns but does not lead the case; the lead entity does neither.
		op := admLogin(e, "operatore")
		if r := op.api("POST", wfPath("/api/v1", id, "/stage"), map[string]any{"version": version(), "stage": "closure"}); r.status != 404 {
			t.Errorf("the educator moved the case: %d", r.status)
		}
		if r := op.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": version(), "risk": "high"}); r.status != 200 {
			t.Errorf("the educator could not change the risk: %d %s", r.status, r.body)
		}
		if r := op.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": version(), "programme_id": nil}); r.status != 422 ||
			!strings.Contains(r.body, "solo chi è titolare del caso") {
			t.Errorf("the educator changed the programme: %d %s", r.status, r.body)
		}
		lead := admLogin(e, "capofila")
		if r := lead.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": version(), "risk": "low"}); r.status != 404 {
			t.Errorf("the lead entity changed the risk: %d", r.status)
		}
		_ = code
	})
}

func TestEditsFromAnOlderVersionAreRefusedAndCanBeReapplied(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := wfCase(t, db, "SDS-PRATO", cases.StageMonitoring)
		start := wfLoad(t, db, id)

		// Two people open the case's edit form at the same version.
		chiara, luca := admLogin(e, "assistente.sociale"), admLogin(e, "operatore")
		editPath := wfPath("", id, "/edit")
		chiaraForm := wfForm(t, chiara.get(editPath).body, wfPath("", id, ""))
		lucaForm := wfForm(t, luca.get(editPath).body, wfPath("", id, ""))
		newRisk := "critical"
		if start.Risk == cases.RiskCritical {
			newRisk = "low"
		}
		chiaraForm.Set("risk", newRisk)
		if r := chiara.form(wfPath("", id, ""), chiaraForm); r.status != http.StatusSeeOther {
			t.Fatalf("the first save: %d %s", r.status, r.body)
		}
		// The second, made from the older version, is refused: the form
		// comes back with what changed and who changed it, with Luca's own
		// change kept and Chiara's risk in place.
		lucaForm["concerns"] = []string{"mental_health", "documents"}
		before := wfWrites(t, db)
		r := luca.form(wfPath("", id, ""), lucaForm)
		if r.status != http.StatusConflict {
			t.Fatalf("the stale save: %d", r.status)
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("the stale save wrote %d rows", after-before)
		}
		for _, want := range []string{"Qualcun altro ha modificato il caso", "<th scope=\"row\">Rischio</th>",
			"<td>" + admText("risk."+string(start.Risk)) + "</td><td>" + admText("risk."+newRisk) + "</td><td>Chiara Benvenuti</td>",
			"Salva di nuovo le tue modifiche"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the conflict page lacks %q", want)
			}
		}
		again := wfForm(t, r.body, wfPath("", id, ""))
		if again.Get("version") != strconv.Itoa(start.Version+1) || again.Get("risk") != newRisk ||
			!slices.Equal(again["concerns"], []string{"mental_health", "documents"}) {
			t.Fatalf("the form after the conflict: %v", again)
		}
		// One click applies Luca's change over Chiara's.
		if r := luca.form(wfPath("", id, ""), again); r.status != http.StatusSeeOther {
			t.Fatalf("saving again: %d %s", r.status, r.body)
		}
		got := wfLoad(t, db, id)
		if string(got.Risk) != newRisk || !slices.Equal(got.Concerns, []string{"mental_health", "documents"}) || got.Version != start.Version+2 {
			t.Fatalf("after both changes: risk %s, concerns %v, version %d", got.Risk, got.Concerns, got.Version)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind IN ('risk_changed', 'concerns_changed')`, id); n != 2 {
			t.Errorf("%d timeline events for the two changes", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'update' AND fields IN ('risk', 'concerns')`, id); n != 2 {
			t.Errorf("%d audit entries for the two changes", n)
		}

		// The API answers 409 naming what changed, field by field.
		v := got.Version
		if r := chiara.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": v, "risk": "medium", "concerns": []string{"health"}}); r.status != 200 {
			t.Fatalf("the API's first edit: %d %s", r.status, r.body)
		}
		before = wfWrites(t, db)
		code, msg, fields := wfError(t, luca.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": v, "risk": "high"}), http.StatusConflict)
		if code != "conflict" || !strings.Contains(msg, "Rischio, Criticità di protezione") || !strings.Contains(msg, strconv.Itoa(v+1)) {
			t.Errorf("the API's conflict: %s %q", code, msg)
		}
		if !strings.Contains(fields["risk"], "a «medio» (Chiara Benvenuti)") || !strings.Contains(fields["concerns"], "«Salute»") {
			t.Errorf("the API's conflict fields: %v", fields)
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("the stale API edit wrote %d rows", after-before)
		}
		if r := luca.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": v + 1, "risk": "high"}); r.status != 200 {
			t.Fatalf("the API edit on the new version: %d %s", r.status, r.body)
		}
		// Bad values are named and change nothing.
		before = wfWrites(t, db)
		_, _, fields = wfError(t, chiara.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": v + 2, "risk": "enormous",
			"concerns": []string{"gbv", "curses"}, "programme_id": 99999}), http.StatusUnprocessableEntity)
		for _, f := range []string{"risk", "concerns", "programme_id"} {
			if fields[f] == "" {
				t.Errorf("the bad edit says nothing of %s: %v", f, fields)
			}
		}
		otherProgramme := admInt(t, db, `SELECT id FROM programmes WHERE code = 'SATIS'`)
		_, _, fields = wfError(t, chiara.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": v + 2, "programme_id": otherProgramme}), 422)
		if !strings.Contains(fields["programme_id"], "non partecipa a questo progetto") {
			t.Errorf("a programme of other organisations: %v", fields)
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("bad edits wrote %d rows", after-before)
		}
		// The case header shows the concerns as chips and the risk in words.
		page := chiara.get(wfPath("", id, ""))
		if !strings.Contains(page.body, `<span class="chip-label">Salute</span>`) || !strings.Contains(page.body, "Rischio: alto") {
			t.Error("the case header lacks the concerns or the risk in words")
		}
	})
}

// wfAddUser adds an active social worker to an organisation, who signs in
// with the demo password, and returns their id.
func wfAddUser(t *testing.T, db *store.DB, username, name, org string) int64 {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	u := &network.User{Username: username, DisplayName: name, Profession: "Assistente sociale", Locale: "it",
		Roles: []network.Role{network.SocialWorker}, Active: true, Languages: []string{"it"}}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM organisations WHERE code = ?`, org).Scan(&u.OrganisationID); err != nil {
			return err
		}
		return store.InsertUser(ctx, tx, u, hash)
	})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestReassignmentStaysInTheOrganisation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		colleague := wfAddUser(t, db, "as.prato2", "Sara Innocenti", "SDS-PRATO")
		chiara := admUserID(t, db, "assistente.sociale")
		id, code := wfCase(t, db, "SDS-PRATO", cases.StageProject)
		sw := admLogin(e, "assistente.sociale")
		r := sw.get(wfPath("/api/v1", id, "/case-workers"))
		if r.status != 200 || !strings.Contains(r.body, "Sara Innocenti") || strings.Contains(r.body, "Giada Russo") {
			t.Fatalf("case workers: %d %s", r.status, r.body)
		}
		before := wfWrites(t, db)
		v := wfLoad(t, db, id).Version
		for who, text := range map[int64]string{admUserID(t, db, "as.roma"): "dell'organizzazione titolare",
			admUserID(t, db, "operatore"): "dell'organizzazione titolare", chiara: "è già l'operatore del caso", 0: "è obbligatorio"} {
			_, _, fields := wfError(t, sw.api("POST", wfPath("/api/v1", id, "/reassign"), map[string]any{"version": v, "case_worker_id": who}), 422)
			if !strings.Contains(fields["case_worker_id"], text) {
				t.Errorf("reassigning to %d: %v", who, fields)
			}
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("refused reassignments wrote %d rows", after-before)
		}
		// The UI form offers the organisation's case workers and hands the
		// case over.
		page := sw.get(wfPath("", id, "/reassign"))
		form := wfForm(t, page.body, wfPath("", id, "/reassign"))
		form.Set("case_worker_id", strconv.FormatInt(colleague, 10))
		if r := sw.form(wfPath("", id, "/reassign"), form); r.status != http.StatusSeeOther {
			t.Fatalf("reassign: %d %s", r.status, r.body)
		}
		c := wfLoad(t, db, id)
		if c.CaseWorkerID != colleague || c.Member(colleague) == nil || c.Member(colleague).Role != cases.Owner ||
			c.Member(chiara) == nil || c.Member(chiara).Role != cases.Contributor {
			t.Fatalf("after reassignment: worker %d, team %+v", c.CaseWorkerID, c.Team)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'case_assigned' AND case_code = ?`, colleague, code); n != 1 {
			t.Errorf("the new case worker got %d notifications", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'update' AND fields = 'case_worker_id'`, id); n != 1 {
			t.Errorf("%d audit entries of the reassignment", n)
		}
		sara := admLogin(e, "as.prato2")
		if r := sara.get("/"); !strings.Contains(r.body, "Ti è stato assegnato il caso "+code) {
			t.Error("the new case worker's home does not tell them")
		}
		if r := sara.get(wfPath("", id, "/timeline")); !strings.Contains(r.body, "Caso assegnato a Sara Innocenti") {
			t.Error("the timeline does not name the new case worker")
		}
	})
}

func TestTransfersWaitForTheReceivingOrganisation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		sw := admLogin(e, "assistente.sociale")
		cecina := admLogin(e, "as.cecina")
		rome := admLogin(e, "as.roma")
		id, code := wfCase(t, db, "SDS-PRATO", cases.StageMonitoring)
		start := wfLoad(t, db, id)
		cecinaOrg := admInt(t, db, `SELECT id FROM organisations WHERE code = 'COM-CECINA'`)
		const why = "La famiglia si è trasferita a Cecina: il servizio del territorio prenda in carico il caso."
		ask := func(body map[string]any) response {
			body["version"] = start.Version
			return sw.api("POST", wfPath("/api/v1", id, "/transfers"), body)
		}

		// Bad requests name the field and write nothing.
		before := wfWrites(t, db)
		for _, bad := range []struct {
			body        map[string]any
			field, text string
		}{
			{map[string]any{"to_organisation_id": start.OwnerOrgID, "reason": why}, "to_organisation_id", "è già di questa organizzazione"},
			{map[string]any{"to_organisation_id": 99999, "reason": why}, "to_organisation_id", "non esiste"},
			{map[string]any{"to_organisation_id": admInt(t, db, `SELECT id FROM organisations WHERE code = 'TM-FI'`), "reason": why},
				"to_organisation_id", "nessuno può accettare"},
			{map[string]any{"to_organisation_id": cecinaOrg}, "reason", "«Motivo» è obbligatorio"},
			{map[string]any{"reason": why}, "to_organisation_id", "è obbligatorio"},
		} {
			_, _, fields := wfError(t, ask(bad.body), 422)
			if !strings.Contains(fields[bad.field], bad.text) {
				t.Errorf("transfer %v: %v", bad.body, fields)
			}
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("refused requests wrote %d rows", after-before)
		}

		// A request waits: nothing about the case changes.
		tr := admDecode(t, ask(map[string]any{"to_organisation_id": cecinaOrg, "reason": why}), 201)
		tid := int64(tr["id"].(float64))
		if tr["state"] != "pending" || tr["reason"] != why || tr["case"].(map[string]any)["code"] != code {
			t.Fatalf("the request: %v", tr)
		}
		if c := wfLoad(t, db, id); c.OwnerOrgID != start.OwnerOrgID || c.CaseWorkerID != start.CaseWorkerID || c.Version != start.Version {
			t.Fatalf("the pending transfer changed the case: %+v", c)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_transfers WHERE reason_sealed LIKE ?`, "%Cecina%"); n != 0 {
			t.Error("the reason is stored in clear")
		}
		_, msg, _ := wfError(t, ask(map[string]any{"to_organisation_id": admInt(t, db, `SELECT id FROM organisations WHERE code = 'RM-MSNA'`),
			"reason": why}), http.StatusConflict)
		if !strings.Contains(msg, "attende già una decisione") {
			t.Errorf("a second request: %q", msg)
		}
		_, msg, _ = wfError(t, sw.api("POST", wfPath("/api/v1", id, "/close"), map[string]any{"version": start.Version,
			"closure_reason": "transfer", "outcomes": []string{"none"}}), http.StatusConflict)
		if !strings.Contains(msg, "trasferimento in attesa") {
			t.Errorf("closing while a transfer waits: %q", msg)
		}
		if r := sw.get(wfPath("", id, "")); !strings.Contains(r.body, "Trasferimento in attesa") || !strings.Contains(r.body, "Comune di Cecina") {
			t.Error("the case page does not show the pending transfer")
		}

		// The receiving social worker is told, finds it among the transfers,
		// and reads a summary of the case only.
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'as.cecina' AND n.kind = 'transfer_requested' AND n.case_code = ?`, code); n != 1 {
			t.Errorf("the receiving social worker got %d notifications", n)
		}
		if r := cecina.get("/"); !strings.Contains(r.body, `href="/transfers"`) || !strings.Contains(r.body, "Richiesta di trasferimento del caso "+code) {
			t.Error("the receiving social worker's home does not lead to the transfer")
		}
		if r := cecina.get("/cases"); !strings.Contains(r.body, `href="/transfers"`) {
			t.Error("the case list does not say that transfers wait")
		}
		list := cecina.get("/api/v1/transfers")
		if !strings.Contains(list.body, `"direction":"incoming"`) || !strings.Contains(list.body, code) {
			t.Fatalf("the receiving side's transfers: %s", list.body)
		}
		tpath := "/transfers/" + strconv.FormatInt(tid, 10)
		page := cecina.get(tpath)
		if page.status != 200 || !strings.Contains(page.body, code) || !strings.Contains(page.body, why) ||
			!strings.Contains(page.body, admText("stage.monitoring")) || strings.Contains(page.body, "Luca Mancini") {
			t.Fatalf("the transfer page: %d", page.status)
		}
		if r := cecina.get(wfPath("", id, "")); r.status != 404 {
			t.Errorf("the receiving side opened the case before accepting: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
			WHERE u.username = 'as.cecina' AND a.case_id = ? AND a.action = 'read'`, id); n == 0 {
			t.Error("reading the summary is not in the case's audit log")
		}
		for _, other := range []*admClient{sw, rome} {
			if r := other.get(tpath); r.status != 404 {
				t.Errorf("another organisation opened the transfer: %d", r.status)
			}
			if r := other.api("POST", "/api/v1"+tpath+"/accept", map[string]any{"version": start.Version}); r.status != 404 {
				t.Errorf("another organisation accepted the transfer: %d", r.status)
			}
		}

		// The case changes meanwhile: accepting from the summary read is
		// refused, then accepted on the new version with one click.
		otherRisk := "critical"
		if start.Risk == cases.RiskCritical {
			otherRisk = "low"
		}
		if r := sw.api("PATCH", wfPath("/api/v1", id, ""), map[string]any{"version": start.Version, "risk": otherRisk}); r.status != 200 {
			t.Fatalf("edit while pending: %d %s", r.status, r.body)
		}
		form := wfForm(t, page.body, tpath+"/accept")
		r := cecina.form(tpath+"/accept", form)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "<th scope=\"row\">Rischio</th>") {
			t.Fatalf("a stale acceptance: %d", r.status)
		}
		r = cecina.form(tpath+"/accept", wfForm(t, r.body, tpath+"/accept"))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != wfPath("", id, "?saved") {
			t.Fatalf("accept: %d %s", r.status, r.body)
		}
		c := wfLoad(t, db, id)
		asCecina, chiara := admUserID(t, db, "as.cecina"), admUserID(t, db, "assistente.sociale")
		if c.OwnerOrgID != cecinaOrg || c.CaseWorkerID != asCecina || c.Member(asCecina).Role != cases.Owner ||
			c.Member(chiara) == nil || c.Member(chiara).Role != cases.Contributor {
			t.Fatalf("after acceptance: %+v", c)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'transfer_accepted' AND case_code = ?`, chiara, code); n != 1 {
			t.Errorf("the requester got %d notifications of the acceptance", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind IN ('transfer_requested', 'transfer_accepted')`, id); n != 2 {
			t.Errorf("%d transfer events on the timeline", n)
		}
		if r := cecina.get(wfPath("", id, "")); r.status != 200 {
			t.Errorf("the new owner cannot open the case: %d", r.status)
		}
		if r := sw.get(wfPath("", id, "")); r.status != 200 {
			t.Errorf("the previous case worker, on the team, cannot read the case: %d", r.status)
		}
		if r := sw.api("POST", wfPath("/api/v1", id, "/stage"), map[string]any{"version": c.Version, "stage": "closure"}); r.status != 404 {
			t.Errorf("the previous organisation still leads the case: %d", r.status)
		}
		if r := cecina.api("POST", "/api/v1"+tpath+"/accept", map[string]any{"version": c.Version}); r.status != http.StatusConflict {
			t.Errorf("accepting twice: %d", r.status)
		}

		// Declining: a reason is needed; the case stays; the requester is
		// told.
		other, otherCode := wfCase(t, db, "SDS-PRATO", cases.StageProject)
		ov := wfLoad(t, db, other)
		romeOrg := admInt(t, db, `SELECT id FROM organisations WHERE code = 'RM-MSNA'`)
		tr = admDecode(t, sw.api("POST", wfPath("/api/v1", other, "/transfers"), map[string]any{"version": ov.Version,
			"to_organisation_id": romeOrg, "reason": "Il ragazzo dice di essere stato seguito a Roma.", "requester_stays": false}), 201)
		tpath = "/transfers/" + strconv.FormatInt(int64(tr["id"].(float64)), 10)
		r = rome.form(tpath+"/decline", url.Values{"reason": {""}})
		if r.status != 422 || !strings.Contains(r.body, `href="#reason"`) {
			t.Fatalf("declining without a reason: %d", r.status)
		}
		r = rome.form(tpath+"/decline", url.Values{"reason": {"Non risulta alcuna presa in carico precedente a Roma."}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/transfers?decided" {
			t.Fatalf("decline: %d %s", r.status, r.body)
		}
		if c := wfLoad(t, db, other); c.OwnerOrgID != ov.OwnerOrgID || c.Version != ov.Version {
			t.Fatalf("the declined transfer changed the case: %+v", c)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'transfer_declined' AND case_code = ?`, chiara, otherCode); n != 1 {
			t.Errorf("the requester got %d notifications of the refusal", n)
		}
		if r := sw.get("/transfers"); !strings.Contains(r.body, "Non risulta alcuna presa in carico") || !strings.Contains(r.body, "Rifiutato") {
			t.Error("the requester's transfers do not show the refusal and its reason")
		}
	})
}

func TestCaseListFiltersSortsAndSavedLists(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		sw := admLogin(e, "assistente.sociale")
		total := func(path string) int {
			t.Helper()
			var body struct {
				Total int
				Items []struct {
					Code, Risk string
				}
			}
			r := sw.get(path)
			if r.status != 200 || json.Unmarshal([]byte(r.body), &body) != nil {
				t.Fatalf("GET %s: %d %s", path, r.status, r.body)
			}
			return body.Total
		}
		for path, want := range map[string]int{
			"/api/v1/cases?owner=me":           14,
			"/api/v1/cases?owner=organisation": 14,
			"/api/v1/cases?owner=" + strconv.FormatInt(admUserID(t, db, "as.roma"), 10): 0,
			"/api/v1/cases?kind=unaccompanied_minor":                                    6,
			"/api/v1/cases?q=fi-po":                                                     14,
			"/api/v1/cases?q=FI-PO-2026":                                                count(t, db, `SELECT COUNT(*) FROM cases c JOIN organisations o ON o.id = c.owner_org_id WHERE o.code = 'SDS-PRATO' AND c.code LIKE 'FI-PO-2026%'`),
			"/api/v1/cases?q=zz":                                                        0,
			"/api/v1/cases?q=" + url.QueryEscape("%' OR 1=1 --"):                        0,
			"/api/v1/cases?stage=monitoring&owner=me":                                   count(t, db, `SELECT COUNT(*) FROM cases c JOIN users u ON u.id = c.case_worker_id WHERE u.username = 'assistente.sociale' AND c.stage = 'monitoring'`),
		} {
			if got := total(path); got != want {
				t.Errorf("%s: %d cases, want %d", path, got, want)
			}
		}
		_, code := wfCase(t, db, "SDS-PRATO", cases.StageReport)
		if got := total("/api/v1/cases?q=" + strings.ToLower(code)); got != 1 {
			t.Errorf("a whole code finds %d cases", got)
		}
		var body struct {
			Items []struct{ Code, Risk string }
		}
		json.Unmarshal([]byte(sw.get("/api/v1/cases?sort=code&limit=200").body), &body)
		if !slices.IsSortedFunc(body.Items, func(a, b struct{ Code, Risk string }) int { return strings.Compare(a.Code, b.Code) }) {
			t.Error("sort=code does not sort by code")
		}
		json.Unmarshal([]byte(sw.get("/api/v1/cases?sort=risk&limit=200").body), &body)
		rank := map[string]int{"low": 0, "medium": 1, "high": 2, "critical": 3}
		if len(body.Items) == 0 || !slices.IsSortedFunc(body.Items, func(a, b struct{ Code, Risk string }) int { return rank[b.Risk] - rank[a.Risk] }) {
			t.Error("sort=risk does not put the highest risk first")
		}
		for param, value := range map[string]string{"sort": "name", "order": "sideways", "owner": "everyone", "stage": "limbo", "area_id": "x"} {
			_, _, fields := wfError(t, sw.get("/api/v1/cases?"+param+"="+value), 422)
			if fields[param] == "" {
				t.Errorf("a bad %s says nothing: %v", param, fields)
			}
		}
		// The UI keeps the order in the URL, marks the sorted column and
		// reports a parameter it does not know.
		page := sw.get("/cases?sort=code&order=asc")
		if !strings.Contains(page.body, `aria-sort="ascending"`) || !strings.Contains(page.body, `href="/cases?order=desc&amp;sort=code"`) {
			t.Error("the case list does not mark or reverse the sorted column")
		}
		if r := sw.get("/cases?stage=limbo"); r.status != 200 || !strings.Contains(r.body, "«Fase» ha un valore non previsto") {
			t.Errorf("an unknown stage in the URL: %d", r.status)
		}

		// Working lists: saved with the filters, seen by their owner only.
		r := sw.api("POST", "/api/v1/saved-lists", map[string]any{"name": "Monitoraggio mio", "query": "stage=monitoring&owner=me"})
		list := admDecode(t, r, 201)
		lid := strconv.FormatInt(int64(list["id"].(float64)), 10)
		if list["query"] != "owner=me&stage=monitoring" {
			t.Errorf("the saved query: %v", list["query"])
		}
		before := wfWrites(t, db)
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "Monitoraggio mio", "query": ""}, "name"},
			{map[string]any{"name": "  ", "query": ""}, "name"},
			{map[string]any{"name": "Altra", "query": "stage=limbo"}, "query"},
		} {
			_, _, fields := wfError(t, sw.api("POST", "/api/v1/saved-lists", bad.body), 422)
			if fields[bad.field] == "" {
				t.Errorf("saving %v says nothing of %s: %v", bad.body, bad.field, fields)
			}
		}
		if after := wfWrites(t, db); after != before {
			t.Fatalf("refused lists wrote %d rows", after-before)
		}
		if r := sw.get("/api/v1/saved-lists"); !strings.Contains(r.body, "Monitoraggio mio") {
			t.Errorf("the owner's lists: %s", r.body)
		}
		page = sw.get("/saved-lists/" + lid)
		if page.status != 200 || !strings.Contains(page.body, "Lista: Monitoraggio mio") || !strings.Contains(page.body, `<option value="monitoring" selected>`) {
			t.Fatalf("the saved list's page: %d", page.status)
		}
		op := admLogin(e, "operatore")
		for _, rq := range []struct{ method, path string }{{"GET", "/saved-lists/" + lid}, {"GET", "/api/v1/saved-lists/" + lid},
			{"DELETE", "/api/v1/saved-lists/" + lid}, {"GET", "/saved-lists/" + lid + "/delete"}} {
			if r := op.api(rq.method, rq.path, nil); r.status != 404 {
				t.Errorf("%s %s by someone else: %d", rq.method, rq.path, r.status)
			}
		}
		if r := op.get("/api/v1/saved-lists"); strings.Contains(r.body, "Monitoraggio mio") {
			t.Error("someone else lists the working list")
		}
		// Saving from the UI keeps the list's filters; deleting asks first.
		r = sw.form("/saved-lists", url.Values{"name": {"Rischio alto"}, "query": {"risk=high"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/saved-lists/") {
			t.Fatalf("saving from the UI: %d", r.status)
		}
		r = sw.form("/saved-lists", url.Values{"name": {""}, "query": {"risk=high"}})
		if r.status != 422 || !strings.Contains(r.body, `href="#name"`) || !strings.Contains(r.body, `<option value="high" selected>`) {
			t.Errorf("saving without a name: %d", r.status)
		}
		if r := sw.form("/saved-lists/"+lid+"/delete", url.Values{}); r.status != 422 {
			t.Errorf("deleting without confirming: %d", r.status)
		}
		if r := sw.form("/saved-lists/"+lid+"/delete", url.Values{"confirm": {"yes"}}); r.status != http.StatusSeeOther {
			t.Errorf("deleting: %d", r.status)
		}
		if r := sw.get("/saved-lists/" + lid); r.status != 404 {
			t.Errorf("a deleted list: %d", r.status)
		}
	})
}
