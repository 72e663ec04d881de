package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

// asmPaths are the paths of a case's assessment in the UI and the API.
type asmPaths struct{ id int64 }

func (p asmPaths) section() string { return "/cases/" + strconv.FormatInt(p.id, 10) + "/assessment" }
func (p asmPaths) edit(s string) string {
	return p.section() + "/" + s + "/edit"
}
func (p asmPaths) save(s string) string { return p.section() + "/" + s }
func (p asmPaths) api() string          { return "/api/v1/cases/" + strconv.FormatInt(p.id, 10) + "/assessment" }

// asmRead reads a case's assessment through the API, each section as a map
// of its fields.
func asmRead(t *testing.T, c *client, p asmPaths) map[string]map[string]any {
	t.Helper()
	r := c.get(p.api())
	var body struct {
		Sections map[string]map[string]any `json:"sections"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &body) != nil {
		t.Fatalf("the assessment in the API: %d %s", r.status, r.body)
	}
	return body.Sections
}

// asmVersion returns the version of a section, read through the API.
func asmVersion(t *testing.T, c *client, p asmPaths, section string) int {
	t.Helper()
	return int(asmRead(t, c, p)[section]["version"].(float64))
}

// asmPut saves a section through the API with the fields given.
func asmPut(t *testing.T, c *client, p asmPaths, section string, fields map[string]any) response {
	t.Helper()
	b, _ := json.Marshal(fields)
	return c.api("PUT", p.api()+"/"+section, string(b))
}

// asmWrites counts what saving a section writes: the sections' versions,
// summed, and the audit entries of saves.
func asmWrites(t *testing.T, db *store.DB, id int64) int {
	t.Helper()
	return count(t, db, `SELECT COALESCE(SUM(version), 0) FROM case_assessments WHERE case_id = ?`, id) +
		count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_assessment' AND case_id = ?`, id)
}

func TestAssessmentIsSavedAndReadInTheUIAndTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		if n := count(t, db, `SELECT COUNT(DISTINCT case_id) FROM case_assessments`); n < 3 {
			t.Errorf("the demo fills the assessment of %d cases, want a few", n)
		}
		id, _ := taskCase(t, db)
		p := asmPaths{id}
		sw := e.client()
		sw.login("assistente.sociale")

		r := sw.get(p.section())
		if r.status != http.StatusOK || !strings.Contains(r.body, "Anamnesi sociale") || !strings.Contains(r.body, "Valutazione di vulnerabilità") ||
			!strings.Contains(r.body, p.edit("legal_pathway")) {
			t.Fatalf("the assessment of the case: %d", r.status)
		}
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10)); !strings.Contains(r.body, `hx-get="`+p.section()+`"`) {
			t.Error("the case page does not load the assessment")
		}
		v := asmVersion(t, sw, p, "social_history")
		form := sw.get(p.edit("social_history"))
		if form.status != http.StatusOK || !strings.Contains(form.body, `name="profile"`) || !strings.Contains(form.body, `name="journey.5.country"`) ||
			!strings.Contains(form.body, `name="health_history"`) {
			t.Fatalf("the social history form: %d", form.status)
		}

		// Saved through the UI, the journey on the second and third rows.
		const profile = "Ragazzo curioso, ama il calcio (Prova-Valutazione-3c9e)"
		const health = "Asma lieve (Prova-Salute-3c9e)"
		r = sw.post(p.save("social_history"), url.Values{"csrf_token": {sw.token(p.edit("social_history"))}, "version": {strconv.Itoa(v)},
			"profile": {profile}, "family_situation": {"Madre e due sorelle in Gambia"}, "schooling": {""}, "work_experience": {""},
			"health_history": {health}, "violence_history": {"Detenzione in Libia (Prova-Violenza-3c9e)"},
			"journey.0.country": {""}, "journey.1.country": {"Gambia (GM)"}, "journey.1.months": {"24"},
			"journey.2.country": {"LY"}, "journey.2.from": {"2023-01"}, "journey.2.to": {"2023-09"}, "journey.2.notes": {"Lavoro in un cantiere"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != p.section()+"?saved=social_history" {
			t.Fatalf("saving the social history: %d %s", r.status, r.body)
		}
		r = sw.get(p.section() + "?saved=social_history")
		for _, want := range []string{"Sezione «Anamnesi sociale» salvata.", "Prova-Valutazione-3c9e", health, "Libia (LY)", "24 mesi", "Lavoro in un cantiere"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the saved social history lacks %q", want)
			}
		}
		sh := asmRead(t, sw, p)["social_history"]
		journey, _ := sh["journey"].([]any)
		if sh["profile"] != profile || sh["health_history"] != health || int(sh["version"].(float64)) != v+1 || len(journey) != 2 ||
			journey[1].(map[string]any)["country"] != "LY" || journey[1].(map[string]any)["from"] != "2023-01" || sh["updated_by"] != "Chiara Benvenuti" {
			t.Errorf("the social history in the API: %v", sh)
		}

		// Saved through the API.
		vv := asmVersion(t, sw, p, "vulnerability")
		r = asmPut(t, sw, p, "vulnerability", map[string]any{"version": vv, "health_needs": "Controllo dentistico (Prova-Salute-3c9e)",
			"specific_needs": "Corso di italiano (Prova-Valutazione-3c9e)"})
		var saved map[string]any
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &saved) != nil || int(saved["version"].(float64)) != vv+1 ||
			saved["specific_needs"] != "Corso di italiano (Prova-Valutazione-3c9e)" {
			t.Fatalf("saving the vulnerability assessment in the API: %d %s", r.status, r.body)
		}
		lv := asmVersion(t, sw, p, "legal_pathway")
		operator := secUserID(t, db, "operatore")
		r = asmPut(t, sw, p, "legal_pathway", map[string]any{"version": lv, "legal_status": "Richiedente asilo (Prova-Giudiziario-3c9e)",
			"legal_steps": []map[string]any{{"subject": "Passaporto", "status": "missing", "next_step": "Chiamare l'ambasciata",
				"responsible_id": operator, "due_on": "2030-01-15"}}})
		if r.status != http.StatusOK {
			t.Fatalf("saving the legal pathway in the API: %d %s", r.status, r.body)
		}
		if r := sw.get(p.section()); !strings.Contains(r.body, "Chiamare l&#39;ambasciata") || !strings.Contains(r.body, "Luca Mancini") ||
			!strings.Contains(r.body, "Mancante") {
			t.Error("the legal pathway saved through the API is not shown in the UI")
		}

		// Sealed: no table of the database holds the texts in clear.
		for table, text := range rawText(t, db) {
			for _, marker := range []string{"Prova-Valutazione-3c9e", "Prova-Salute-3c9e", "Prova-Violenza-3c9e", "Prova-Giudiziario-3c9e"} {
				if strings.Contains(text, marker) {
					t.Errorf("table %s holds %s in clear", table, marker)
				}
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_assessments WHERE case_id = ? AND (general_sealed LIKE ? OR health_sealed LIKE ?)`,
			id, "%Prova-%", "%Prova-%"); n != 0 {
			t.Error("the assessment is stored in clear")
		}

		// Audited, naming the fields and never their values; on the timeline.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_assessment' AND action = 'update' AND case_id = ?
			AND fields LIKE ? AND fields LIKE ?`, id, "%profile%", "%health_history%"); n != 1 {
			t.Errorf("%d audit entries name the fields of the social history, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_assessment' AND case_id = ?`, id); n != 3 {
			t.Errorf("%d audit entries of saves, want 3", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case' AND action = 'read' AND case_id = ? AND fields LIKE ?`,
			id, "%assessment%"); n == 0 {
			t.Error("reading the assessment is not audited")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'assessment_updated' AND detail LIKE ?`,
			id, "%social_history%"); n == 0 {
			t.Error("the save is not on the timeline")
		}
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10) + "/timeline"); !strings.Contains(r.body, "Valutazione aggiornata: Anamnesi sociale") {
			t.Error("the timeline does not say the social history was updated")
		}

		// Saving what is saved writes nothing.
		before := asmWrites(t, db, id)
		if r := asmPut(t, sw, p, "vulnerability", map[string]any{"version": vv + 1, "health_needs": "Controllo dentistico (Prova-Salute-3c9e)",
			"specific_needs": "Corso di italiano (Prova-Valutazione-3c9e)"}); r.status != http.StatusOK || asmWrites(t, db, id) != before {
			t.Errorf("saving an unchanged section: %d, or it wrote", r.status)
		}
	})
}

func TestAssessmentInputIsChecked(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := taskCase(t, db)
		p := asmPaths{id}
		sw := e.client()
		sw.login("assistente.sociale")
		v := asmVersion(t, sw, p, "social_history")
		before := asmWrites(t, db, id)
		tok := sw.token(p.edit("social_history"))

		for _, bad := range []struct {
			form   url.Values
			fields []string
		}{
			// An unknown country on the third row, after two blank ones; an
			// over-long profile.
			{url.Values{"version": {strconv.Itoa(v)}, "journey.2.country": {"Narnia"}, "profile": {strings.Repeat("a", 10001)}},
				[]string{"journey.2.country", "profile"}},
			// A negative duration, a departure before the arrival, a month
			// that is not one.
			{url.Values{"version": {strconv.Itoa(v)}, "journey.0.country": {"LY"}, "journey.0.months": {"-3"},
				"journey.1.country": {"NE"}, "journey.1.from": {"2023-05"}, "journey.1.to": {"2023-01"}, "journey.3.country": {"ML"}, "journey.3.from": {"maggio"}},
				[]string{"journey.0.months", "journey.1.to", "journey.3.from"}},
			// No version.
			{url.Values{"profile": {"Un profilo"}}, []string{"version"}},
		} {
			bad.form.Set("csrf_token", tok)
			r := sw.post(p.save("social_history"), bad.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("bad social history %v: %d", bad.form, r.status)
			}
			for _, f := range bad.fields {
				if !strings.Contains(r.body, `href="#`+f+`"`) {
					t.Errorf("bad social history: the summary does not name %s", f)
				}
			}
			if bad.form.Get("journey.2.country") == "Narnia" && !strings.Contains(r.body, `value="Narnia"`) {
				t.Error("the form lost what was typed")
			}
			if asmWrites(t, db, id) != before {
				t.Fatal("a refused section was written")
			}
		}

		lv := asmVersion(t, sw, p, "legal_pathway")
		for _, bad := range []struct {
			section string
			body    map[string]any
			fields  []string
		}{
			{"social_history", map[string]any{"version": v, "journey": []map[string]any{{"country": "XX"}}, "profile": strings.Repeat("a", 10001)},
				[]string{"journey.0.country", "profile"}},
			{"social_history", map[string]any{"version": v, "journey": []map[string]any{{"country": "LY", "months": -1}}}, []string{"journey.0.months"}},
			{"social_history", map[string]any{"profile": "Senza versione"}, []string{"version"}},
			{"social_history", map[string]any{"version": v, "profile": 42, "surname": "x"}, []string{"profile", "surname"}},
			{"legal_pathway", map[string]any{"version": lv, "legal_steps": []map[string]any{{"subject": "", "status": "lost",
				"responsible_id": secUserID(t, db, "as.roma"), "due_on": "domani"}}},
				[]string{"legal_steps.0.subject", "legal_steps.0.status", "legal_steps.0.responsible_id", "legal_steps.0.due_on"}},
		} {
			r := asmPut(t, sw, p, bad.section, bad.body)
			var body struct {
				Error struct {
					Fields []struct{ Field string }
				}
			}
			if r.status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(r.body), &body) != nil {
				t.Fatalf("bad %s %v: %d %s", bad.section, bad.body, r.status, r.body)
			}
			got := map[string]bool{}
			for _, f := range body.Error.Fields {
				got[f.Field] = true
			}
			for _, f := range bad.fields {
				if !got[f] {
					t.Errorf("bad %s: the API does not name %s: %s", bad.section, f, r.body)
				}
			}
			if asmWrites(t, db, id) != before {
				t.Fatal("a refused section was written")
			}
		}
		if r := asmPut(t, sw, p, "family", map[string]any{"version": 0}); r.status != http.StatusNotFound {
			t.Errorf("an unknown section: %d", r.status)
		}
		if r := sw.get(p.edit("family")); r.status != http.StatusNotFound {
			t.Errorf("the form of an unknown section: %d", r.status)
		}
	})
}

func TestStaleAssessmentSavesAreRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := taskCase(t, db)
		p := asmPaths{id}
		sw := e.client()
		sw.login("assistente.sociale")
		op := e.client()
		op.login("operatore")
		v := asmVersion(t, sw, p, "legal_pathway")
		tok := sw.token(p.edit("legal_pathway"))

		// The operator saves first.
		const theirs = "Appuntamento in questura fissato (Prova-Conflitto-1)"
		if r := asmPut(t, op, p, "legal_pathway", map[string]any{"version": v, "legal_notes": theirs}); r.status != http.StatusOK {
			t.Fatalf("the operator's save: %d %s", r.status, r.body)
		}
		before := asmWrites(t, db, id)

		// The social worker's form was made from the version before.
		const mine = "Serve il certificato di nascita (Prova-Conflitto-2)"
		r := sw.post(p.save("legal_pathway"), url.Values{"csrf_token": {tok}, "version": {strconv.Itoa(v)}, "legal_notes": {mine}})
		if r.status != http.StatusConflict {
			t.Fatalf("a stale save: %d", r.status)
		}
		for _, want := range []string{theirs, mine, "Luca Mancini", `name="version" value="` + strconv.Itoa(v+1) + `"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the stale form lacks %q", want)
			}
		}
		if asmWrites(t, db, id) != before {
			t.Fatal("a stale save was written")
		}
		if got := asmRead(t, sw, p)["legal_pathway"]["legal_notes"]; got != theirs {
			t.Errorf("the saved text after a stale save: %v", got)
		}
		r = asmPut(t, sw, p, "legal_pathway", map[string]any{"version": v, "legal_notes": mine})
		if r.status != http.StatusConflict || !strings.Contains(r.body, `"code":"conflict"`) || !strings.Contains(r.body, `"field":"legal_notes"`) {
			t.Errorf("a stale save in the API: %d %s", r.status, r.body)
		}
		if asmWrites(t, db, id) != before {
			t.Fatal("a stale save was written")
		}

		// Saving the form again, at the version it now carries, applies it.
		r = sw.post(p.save("legal_pathway"), url.Values{"csrf_token": {tok}, "version": {strconv.Itoa(v + 1)}, "legal_notes": {mine}})
		if r.status != http.StatusSeeOther || asmRead(t, sw, p)["legal_pathway"]["legal_notes"] != mine {
			t.Errorf("saving again: %d", r.status)
		}
	})
}

func TestAssessmentFieldGroupsFollowTheRole(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := taskCase(t, db)
		p := asmPaths{id}
		sw := e.client()
		sw.login("assistente.sociale")
		const health, violence, judicial = "Epilessia (Prova-Riservato-9b2d)", "Percosse (Prova-Riservato-9b2d)", "Ricorso (Prova-Riservato-9b2d)"
		for section, body := range map[string]map[string]any{
			"social_history": {"profile": "Ama disegnare", "health_history": health, "violence_history": violence},
			"vulnerability":  {"health_needs": health, "psychosocial_needs": health, "specific_needs": "Corso di italiano"},
			"legal_pathway":  {"legal_status": judicial, "legal_notes": "Note aperte"},
		} {
			body["version"] = asmVersion(t, sw, p, section)
			if r := asmPut(t, sw, p, section, body); r.status != http.StatusOK {
				t.Fatalf("saving the %s: %d %s", section, r.status, r.body)
			}
		}

		// The partner operator sees neither health, nor violence (outside an
		// anti-violence centre), nor judicial data, and is told so.
		op := e.client()
		op.login("operatore")
		r := op.get(p.section())
		if r.status != http.StatusOK || strings.Contains(r.body, "Prova-Riservato") || !strings.Contains(r.body, "Ama disegnare") ||
			!strings.Contains(r.body, "sono riservati (Salute, Dettagli della violenza)") || !strings.Contains(r.body, "sono riservati (Dati giudiziari)") {
			t.Errorf("the operator's assessment: %d, or it shows restricted fields or does not say they are restricted", r.status)
		}
		all := asmRead(t, op, p)
		sh := all["social_history"]
		if sh["health_history"] != nil || sh["violence_history"] != nil || sh["profile"] != "Ama disegnare" ||
			all["vulnerability"]["health_needs"] != nil || all["legal_pathway"]["legal_status"] != nil {
			t.Errorf("the operator's assessment in the API shows restricted fields: %v", all)
		}
		if hidden, _ := sh["hidden"].([]any); len(hidden) != 2 || hidden[0] != "health" || hidden[1] != "violence" {
			t.Errorf("the hidden groups of the social history: %v", sh["hidden"])
		}
		form := op.get(p.edit("social_history"))
		if form.status != http.StatusOK || strings.Contains(form.body, `name="health_history"`) || strings.Contains(form.body, "Prova-Riservato") ||
			!strings.Contains(form.body, "restano come sono") {
			t.Errorf("the operator's form: %d, or it shows restricted fields", form.status)
		}

		// Their saves change what they see and keep the rest, even when
		// they send a value for it.
		v := asmVersion(t, op, p, "social_history")
		r = op.post(p.save("social_history"), url.Values{"csrf_token": {op.token(p.edit("social_history"))}, "version": {strconv.Itoa(v)},
			"profile": {"Ama disegnare e il calcio"}, "health_history": {"Sovrascritto"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("the operator's save: %d %s", r.status, r.body)
		}
		if r := asmPut(t, op, p, "vulnerability", map[string]any{"version": asmVersion(t, op, p, "vulnerability"),
			"specific_needs": "Corso di italiano e tirocinio", "health_needs": "Sovrascritto"}); r.status != http.StatusOK {
			t.Fatalf("the operator's save in the API: %d %s", r.status, r.body)
		}
		if r := asmPut(t, op, p, "legal_pathway", map[string]any{"version": asmVersion(t, op, p, "legal_pathway"),
			"legal_notes": "Altre note"}); r.status != http.StatusOK {
			t.Fatalf("the operator's save of the legal pathway: %d %s", r.status, r.body)
		}
		all = asmRead(t, sw, p)
		if all["social_history"]["health_history"] != health || all["social_history"]["violence_history"] != violence ||
			all["social_history"]["profile"] != "Ama disegnare e il calcio" || all["vulnerability"]["health_needs"] != health ||
			all["vulnerability"]["psychosocial_needs"] != health || all["vulnerability"]["specific_needs"] != "Corso di italiano e tirocinio" ||
			all["legal_pathway"]["legal_status"] != judicial || all["legal_pathway"]["legal_notes"] != "Altre note" {
			t.Errorf("the operator's saves lost or overwrote restricted fields: %v", all)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_assessment' AND case_id = ? AND actor_id = ?
			AND (fields LIKE ? OR fields LIKE ?)`, id, secUserID(t, db, "operatore"), "%health%", "%legal_status%"); n != 0 {
			t.Error("the operator's saves are audited as changing restricted fields")
		}

		// Another organisation's social worker finds nothing.
		other := e.client()
		other.login("as.roma")
		for _, r := range []response{other.get(p.section()), other.get(p.api()), other.get(p.edit("social_history")),
			other.post(p.save("social_history"), url.Values{"csrf_token": {other.token("/")}, "version": {"1"}, "profile": {"x"}}),
			asmPut(t, other, p, "social_history", map[string]any{"version": 1, "profile": "x"})} {
			if r.status != http.StatusNotFound || strings.Contains(r.body, "Prova-Riservato") || strings.Contains(r.body, "Ama disegnare") {
				t.Errorf("another organisation: %d", r.status)
			}
		}
	})
}
