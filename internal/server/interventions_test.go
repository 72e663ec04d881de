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

// The catalogue of interventions, end to end: administrators add, edit and
// retire its entries in the UI and through the API; projects then use
// them, within their caps, and keep the retired ones they already had; an
// edit from an old version, bad input and anyone but an administrator are
// refused without writing anything; every change is audited.

// interventionRow is an entry of the catalogue as the database holds it.
type interventionRow struct {
	NameIT, NameEN, Kinds, BudgetLine string
	CapMonths, Position, Version      int
	CapCents                          int64
	Active                            bool
}

// readIntervention returns the stored entry code, and whether there is one.
func readIntervention(t *testing.T, db *store.DB, code string) (interventionRow, bool) {
	t.Helper()
	var r interventionRow
	n := 0
	ctx := t.Context()
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT name_it, name_en, kinds, budget_line, cap_months, position, version, cap_cents, active
			FROM interventions WHERE code = ?`, code)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n++
			if err := rows.Scan(&r.NameIT, &r.NameEN, &r.Kinds, &r.BudgetLine, &r.CapMonths, &r.Position, &r.Version, &r.CapCents, &r.Active); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, n == 1
}

// interventionForm is a valid form of a new entry.
func interventionForm(code string) url.Values {
	return url.Values{"code": {code}, "name_it": {"Tutoraggio sportivo"}, "name_en": {"Sports mentoring"},
		"kinds": {"unaccompanied_minor", "trafficking_victim"}, "cap_months": {"6"}, "cap_cents": {"500,00"},
		"budget_line": {"training"}, "active": {"1"}}
}

// entryEdit is the form of entry row, edited from version, with the
// changes in set.
func entryEdit(row interventionRow, version int, set map[string]string) url.Values {
	v := url.Values{"version": {strconv.Itoa(version)}, "name_it": {row.NameIT}, "name_en": {row.NameEN},
		"cap_months": {strconv.Itoa(row.CapMonths)}, "cap_cents": {strconv.FormatInt(row.CapCents/100, 10)},
		"budget_line": {row.BudgetLine}, "position": {strconv.Itoa(row.Position)}}
	if row.Active {
		v.Set("active", "1")
	}
	for _, k := range strings.Split(row.Kinds, ",") {
		if k != "" {
			v.Add("kinds", k)
		}
	}
	for k, x := range set {
		if x == "" {
			v.Del(k)
		} else {
			v.Set(k, x)
		}
	}
	return v
}

func TestInterventionCatalogueInTheUI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		const code = "mentoring_sport"
		admin := admLogin(e, "admin")
		if r := admin.get("/admin"); !strings.Contains(r.body, `href="/admin/interventions"`) {
			t.Fatal("the administration's home does not lead to the catalogue")
		}
		// The seeded entries carry the names the catalogue gave them.
		if r := admin.get("/admin/interventions"); r.status != http.StatusOK || !strings.Contains(r.body, "Corso di lingua italiana") ||
			!strings.Contains(r.body, "Sostegno all&#39;affitto") {
			t.Fatalf("the catalogue: %d", r.status)
		}
		if r := admin.get("/admin/interventions/new"); r.status != http.StatusOK || !strings.Contains(r.body, `name="kinds"`) {
			t.Fatalf("the form of a new entry: %d", r.status)
		}
		r := admin.form("/admin/interventions", interventionForm(code))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/interventions?saved" {
			t.Fatalf("adding an entry: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
		}
		row, ok := readIntervention(t, db, code)
		if !ok || row.NameIT != "Tutoraggio sportivo" || row.CapMonths != 6 || row.CapCents != 50000 || !row.Active || row.Version != 1 ||
			row.Kinds != "unaccompanied_minor,trafficking_victim" || row.Position < 21 {
			t.Fatalf("the stored entry: %+v", row)
		}
		if r := admin.get("/admin/interventions?saved"); !strings.Contains(r.body, "Tutoraggio sportivo") || !strings.Contains(r.body, admText("interventions.saved")) {
			t.Error("the catalogue does not show the new entry")
		}

		// A project's draft can use it, within its caps.
		id := projectCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/project"
		op := e.client()
		op.login("operatore")
		if r := op.get(path + "/edit"); !strings.Contains(r.body, `<option value="`+code+`">Tutoraggio sportivo</option>`) {
			t.Fatal("the project form does not offer the new entry by its name")
		}
		tok := op.token(path + "/edit")
		draft := projectDraft("0", "Una casa in autonomia", "12")
		draft.Set("csrf_token", tok)
		draft.Set("goals.housing.actions.1.description", "Squadra di calcio del quartiere")
		draft.Set("goals.housing.actions.1.intervention", code)
		draft.Set("goals.housing.actions.1.months", "7")
		draft.Set("goals.housing.actions.1.planned_cents", "600,00")
		r = op.post(path, draft)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "questo intervento dura al massimo 6 mesi") ||
			!strings.Contains(r.body, "questo intervento costa al massimo 500 €") || !strings.Contains(r.body, `href="#goals.housing.actions.1.months"`) {
			t.Fatalf("a draft beyond the new entry's caps: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects WHERE case_id = ?`, id); n != 0 {
			t.Fatal("a refused draft was written")
		}
		draft.Set("goals.housing.actions.1.months", "6")
		draft.Set("goals.housing.actions.1.planned_cents", "400,00")
		if r := op.post(path, draft); r.status != http.StatusSeeOther {
			t.Fatalf("a draft using the new entry: %d %s", r.status, r.body)
		}
		if r := op.get(path); !strings.Contains(r.body, "Squadra di calcio del quartiere · Tutoraggio sportivo") {
			t.Error("the project does not name the entry")
		}

		// The administrator lowers its cap; an edit made from the old
		// version afterwards is refused and changes nothing.
		if v := admFormVersion(t, admin, "/admin/interventions/"+code); v != "1" {
			t.Fatalf("the edit form carries version %s", v)
		}
		if r := admin.form("/admin/interventions/"+code, entryEdit(row, 1, map[string]string{"cap_months": "3"})); r.status != http.StatusSeeOther {
			t.Fatalf("lowering the cap: %d %s", r.status, r.body)
		}
		r = admin.form("/admin/interventions/"+code, entryEdit(row, 1, map[string]string{"name_it": "Sport insieme"}))
		if r.status != http.StatusConflict || !strings.Contains(r.body, admText("admin.conflict.title")) ||
			!strings.Contains(r.body, admText("field.cap_months")) || !strings.Contains(r.body, `name="version" value="2"`) {
			t.Fatalf("an edit from an old version: %d\n%s", r.status, r.body)
		}
		if now, _ := readIntervention(t, db, code); now.NameIT != "Tutoraggio sportivo" || now.CapMonths != 3 || now.Version != 2 {
			t.Fatalf("the entry after a stale edit: %+v", now)
		}
		if r := admin.api("PUT", "/api/v1/interventions/"+code, map[string]any{"version": 1, "name_it": "Sport insieme"}); r.status != http.StatusConflict ||
			!strings.Contains(r.body, `"conflict"`) {
			t.Fatalf("an API edit from an old version: %d %s", r.status, r.body)
		}

		// The lead entity cannot approve what the lowered cap no longer
		// allows; once returned, the project is fixed.
		sw := e.client()
		sw.login("assistente.sociale")
		swTok := sw.token(path)
		for _, step := range []string{"cosign", "submit"} {
			if r := sw.post(path+"/"+step, url.Values{"csrf_token": {swTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", step, r.status, r.body)
			}
		}
		lead := e.client()
		lead.login("capofila")
		leadTok := lead.token(path)
		if r := lead.post(path+"/approve", url.Values{"csrf_token": {leadTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "questo intervento dura al massimo 3 mesi") {
			t.Fatalf("approving beyond the lowered cap: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects p WHERE p.case_id = ? AND p.status = 'submitted' AND p.number = 0
			AND NOT EXISTS (SELECT 1 FROM project_versions v WHERE v.project_id = p.id)`, id); n != 1 {
			t.Fatal("a refused approval changed the project")
		}
		if r := lead.post(path+"/return", url.Values{"csrf_token": {leadTok}, "version": {projectVersion(t, db, id)},
			"comments": {"Il tutoraggio sportivo ora dura al massimo tre mesi."}}); r.status != http.StatusSeeOther {
			t.Fatalf("returning: %d %s", r.status, r.body)
		}

		// The administrator retires it: it is no longer offered for new
		// actions, while the project that has it keeps it.
		row, _ = readIntervention(t, db, code)
		if r := admin.form("/admin/interventions/"+code, entryEdit(row, row.Version, map[string]string{"active": ""})); r.status != http.StatusSeeOther {
			t.Fatalf("retiring the entry: %d %s", r.status, r.body)
		}
		if now, _ := readIntervention(t, db, code); now.Active || now.Version != 3 {
			t.Fatalf("the retired entry: %+v", now)
		}
		if r := admin.get("/admin/interventions?status=retired"); !strings.Contains(r.body, "Tutoraggio sportivo") || strings.Contains(r.body, "Corso di lingua italiana") {
			t.Error("the catalogue filtered on retired entries")
		}
		form := op.get(path + "/edit").body
		if n := strings.Count(form, `value="`+code+`"`); n != 1 || !strings.Contains(form, "Tutoraggio sportivo ("+admText("interventions.retired")+")") {
			t.Errorf("the project form offers the retired entry %d times, want once, in the action that has it", n)
		}
		before := projectVersion(t, db, id)
		draft.Set("version", before)
		draft.Set("goals.housing.actions.1.months", "3")
		draft.Set("goals.language.actions.1.description", "Torneo di pallavolo")
		draft.Set("goals.language.actions.1.intervention", code)
		if r := op.post(path, draft); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#goals.language.actions.1.intervention"`) ||
			!strings.Contains(r.body, "è stato ritirato dal catalogo") || strings.Contains(r.body, `href="#goals.housing.actions.1.intervention"`) {
			t.Fatalf("a new action with a retired entry: %d", r.status)
		}
		if projectVersion(t, db, id) != before {
			t.Fatal("a refused draft was written")
		}
		draft.Del("goals.language.actions.1.description")
		draft.Del("goals.language.actions.1.intervention")
		if r := op.post(path, draft); r.status != http.StatusSeeOther {
			t.Fatalf("saving again the action that has the retired entry: %d %s", r.status, r.body)
		}
		if r := op.get(path); !strings.Contains(r.body, "Squadra di calcio del quartiere · Tutoraggio sportivo") {
			t.Error("the project no longer names the retired entry")
		}

		// Every change is audited, naming the fields, never their values.
		log := admAuditLog(t, db, "intervention")
		if len(log) != 3 || log[0].Action != "create" || log[0].ID != code || !strings.Contains(log[0].Fields, "cap_months") ||
			log[1].Action != "update" || log[1].Fields != "cap_months" || log[2].Fields != "active" {
			t.Fatalf("the audit log of the catalogue: %+v", log)
		}
		if strings.Contains(log[0].Raw, "Tutoraggio") {
			t.Error("the audit log holds a value")
		}
	})
}

func TestInterventionCatalogueThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		const code = "legal_orientation_plus"
		admin := admLogin(e, "admin")
		created := admDecode(t, admin.api("POST", "/api/v1/interventions", map[string]any{"code": code, "name_it": "Orientamento legale esteso",
			"kinds": []string{"unaccompanied_minor"}, "cap_cents": 20000, "budget_line": "legal"}), http.StatusCreated)
		if created["version"] != 1.0 || created["active"] != true || created["name"] != "Orientamento legale esteso" || created["name_en"] != "" {
			t.Fatalf("the created entry: %v", created)
		}

		// Whoever drafts projects reads the catalogue, in their language;
		// an entry without an English name shows the Italian one.
		op := e.client()
		op.login("operatore")
		r := op.do("GET", "/api/v1/interventions", nil, map[string]string{"Cookie": "approdo_lang=en"})
		var list struct {
			Items []struct {
				Code, Name string
				Active     bool
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.status != http.StatusOK || list.Total != 21 {
			t.Fatalf("the catalogue in the API: %d %s", r.status, r.body)
		}
		names := map[string]string{}
		for _, i := range list.Items {
			names[i.Code] = i.Name
		}
		if names["italian_course"] != "Italian language course" || names[code] != "Orientamento legale esteso" {
			t.Errorf("the names in English: %v", names)
		}

		// A project's draft uses it through the API, within its cap.
		id := projectCase(t, db)
		path := "/api/v1/cases/" + strconv.FormatInt(id, 10) + "/project"
		body := `{"version":0,"content":{"start_on":"2026-10-01","review_every_months":3,
			"goals":[{"domain":"legal","objective":"Permesso di soggiorno","actions":[{"description":"Consulenza","intervention":"` + code + `","planned_cents":30000}]}],
			"person_words":"","person_agrees":true}}`
		if r := op.api("PUT", path, body); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"goals.legal.actions.0.planned_cents"`) {
			t.Fatalf("a draft beyond the entry's cap: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", path, strings.Replace(body, "30000", "15000", 1)); r.status != http.StatusOK {
			t.Fatalf("a draft using the entry: %d %s", r.status, r.body)
		}

		// Edits name their version; a stale one is 409 and changes nothing.
		updated := admDecode(t, admin.api("PUT", "/api/v1/interventions/"+code, map[string]any{"version": 1, "name_it": "Orientamento legale",
			"name_en": "Legal orientation", "kinds": []string{"unaccompanied_minor", "trafficking_victim"}, "cap_cents": 20000,
			"budget_line": "legal", "position": created["position"]}), http.StatusOK)
		if updated["version"] != 2.0 || updated["name"] != "Orientamento legale" {
			t.Fatalf("the updated entry: %v", updated)
		}
		if r := admin.api("PUT", "/api/v1/interventions/"+code, map[string]any{"version": 1, "name_it": "Altro nome"}); r.status != http.StatusConflict {
			t.Fatalf("a stale edit: %d %s", r.status, r.body)
		}
		if row, _ := readIntervention(t, db, code); row.NameIT != "Orientamento legale" || row.Version != 2 {
			t.Fatalf("the entry after a stale edit: %+v", row)
		}
		if r := admin.api("PUT", "/api/v1/interventions/no_such_entry", map[string]any{"version": 1, "name_it": "X"}); r.status != http.StatusNotFound {
			t.Errorf("editing an entry that does not exist: %d", r.status)
		}
		// Retiring it through the API: still listed, no longer active.
		retired := admDecode(t, admin.api("PUT", "/api/v1/interventions/"+code, map[string]any{"version": 2, "name_it": "Orientamento legale",
			"name_en": "Legal orientation", "kinds": []string{"unaccompanied_minor", "trafficking_victim"}, "cap_cents": 20000,
			"budget_line": "legal", "position": created["position"], "active": false}), http.StatusOK)
		if retired["active"] != false || retired["version"] != 3.0 {
			t.Fatalf("the retired entry: %v", retired)
		}
		// An entry read can be sent back as it is, which changes nothing.
		if same := admDecode(t, admin.api("PUT", "/api/v1/interventions/"+code, retired), http.StatusOK); same["version"] != 3.0 {
			t.Fatalf("sending back the entry read: %v", same)
		}

		log := admAuditLog(t, db, "intervention")
		if len(log) != 3 || log[0].Action != "create" || log[1].Action != "update" || !strings.Contains(log[1].Fields, "name_it") ||
			!strings.Contains(log[1].Fields, "kinds") || log[2].Fields != "active" {
			t.Fatalf("the audit log of the catalogue: %+v", log)
		}
	})
}

func TestInterventionBadInputIsExplainedAndWritesNothing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := admLogin(e, "admin")
		entries := count(t, db, `SELECT COUNT(*) FROM interventions`)
		audited := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'intervention'`)
		valid := map[string]any{"code": "new_entry", "name_it": "Nuovo intervento", "kinds": []string{"woman_violence"}, "cap_months": 6, "cap_cents": 10000}
		for _, c := range []struct {
			name   string
			set    map[string]any
			status int
			field  string
			says   string // the Italian message, after the field's label
		}{
			{"bad code", map[string]any{"code": "Corso Patente"}, 422, "code", "«" + admText("field.code") + "» può contenere solo lettere minuscole"},
			{"duplicate code", map[string]any{"code": "italian_course"}, 409, "code", "«" + admText("field.code") + "» è già in uso"},
			{"negative months", map[string]any{"cap_months": -1}, 422, "cap_months", "«Durata massima in mesi» non può essere negativo"},
			{"absurd months", map[string]any{"cap_months": 61}, 422, "cap_months", "«Durata massima in mesi» può essere al massimo di 60 mesi"},
			{"negative amount", map[string]any{"cap_cents": -100}, 422, "cap_cents", "«Importo massimo» non può essere negativo"},
			{"absurd amount", map[string]any{"cap_cents": 100_000_001}, 422, "cap_cents", "«Importo massimo» non può superare 1.000.000 €"},
			{"unknown kind", map[string]any{"kinds": []string{"woman_violence", "alien"}}, 422, "kinds", "«Tipi di caso» contiene un tipo di caso sconosciuto: alien"},
			{"no name", map[string]any{"name_it": " "}, 422, "name_it", "«" + admText("field.name_it") + "» è obbligatorio"},
			{"long budget line", map[string]any{"budget_line": strings.Repeat("x", 41)}, 422, "budget_line", "«Voce di bilancio» può avere al massimo 40 caratteri"},
		} {
			body := map[string]any{}
			for k, v := range valid {
				body[k] = v
			}
			for k, v := range c.set {
				body[k] = v
			}
			r := admin.api("POST", "/api/v1/interventions", body)
			if r.status != c.status || !strings.Contains(r.body, `"field":"`+c.field+`"`) || !strings.Contains(r.body, c.says) {
				t.Errorf("%s in the API: %d %s", c.name, r.status, r.body)
			}
			// The same in the form: the summary links to the field, which
			// says what is wrong beside it, and everything typed stays.
			form := url.Values{"name_it": {"Nuovo intervento"}, "code": {"new_entry"}, "kinds": {"woman_violence"}, "cap_months": {"6"},
				"cap_cents": {"100,00"}, "budget_line": {"training"}}
			for k, v := range c.set {
				switch x := v.(type) {
				case string:
					form.Set(k, x)
				case int:
					if k == "cap_cents" {
						form.Set(k, strconv.Itoa(x/100)+","+strconv.Itoa(abs(x%100)/10)+strconv.Itoa(abs(x%10)))
					} else {
						form.Set(k, strconv.Itoa(x))
					}
				case []string:
					form[k] = x
				}
			}
			r = admin.form("/admin/interventions", form)
			if r.status != c.status || !strings.Contains(r.body, `href="#`+c.field+`"`) || !strings.Contains(r.body, strings.ReplaceAll(c.says, "'", "&#39;")) ||
				!strings.Contains(r.body, `value="`+form.Get("code")+`"`) || !strings.Contains(r.body, `value="`+form.Get("budget_line")+`"`) {
				t.Errorf("%s in the form: %d", c.name, r.status)
			}
		}
		// An amount the form cannot read is named too.
		form := url.Values{"name_it": {"Nuovo intervento"}, "code": {"new_entry"}, "cap_cents": {"cento euro"}}
		if r := admin.form("/admin/interventions", form); r.status != 422 || !strings.Contains(r.body, `href="#cap_cents"`) {
			t.Errorf("an amount the form cannot read: %d", r.status)
		}
		// So is bad input on an edit.
		row, _ := readIntervention(t, db, "rent_support")
		if r := admin.form("/admin/interventions/rent_support", entryEdit(row, row.Version, map[string]string{"cap_months": "-3"})); r.status != 422 ||
			!strings.Contains(r.body, `href="#cap_months"`) {
			t.Errorf("a negative cap on an edit: %d", r.status)
		}
		if now, _ := readIntervention(t, db, "rent_support"); now != row {
			t.Errorf("refused edits changed the entry: %+v, was %+v", now, row)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM interventions`); n != entries {
			t.Errorf("refused input wrote %d entries", n-entries)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'intervention'`); n != audited {
			t.Errorf("refused input wrote %d audit entries", n-audited)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestInterventionCatalogueIsForAdministratorsOnly(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		row, _ := readIntervention(t, db, "italian_course")
		entries := count(t, db, `SELECT COUNT(*) FROM interventions`)
		for _, who := range []string{"operatore", "assistente.sociale", "capofila", "segnalante"} {
			c := admLogin(e, who)
			if strings.Contains(c.get("/admin").body, `href="/admin/interventions"`) {
				t.Errorf("%s is shown the catalogue's administration", who)
			}
			for _, r := range []struct {
				name string
				res  response
			}{
				{"list", c.get("/admin/interventions")},
				{"new", c.get("/admin/interventions/new")},
				{"edit", c.get("/admin/interventions/italian_course")},
				{"create", c.form("/admin/interventions", interventionForm("sneaky_entry"))},
				{"update", c.form("/admin/interventions/italian_course", entryEdit(row, row.Version, map[string]string{"cap_months": "1"}))},
				{"API create", c.api("POST", "/api/v1/interventions", map[string]any{"code": "sneaky_entry", "name_it": "Intruso"})},
				{"API update", c.api("PUT", "/api/v1/interventions/italian_course", map[string]any{"version": row.Version, "name_it": "Intruso"})},
			} {
				// A refusal never says that the page exists.
				if r.res.status != http.StatusNotFound {
					t.Errorf("%s as %s: %d, want 404", r.name, who, r.res.status)
				}
			}
		}
		// Those who draft projects read the catalogue; others do not.
		for who, want := range map[string]int{"operatore": 200, "assistente.sociale": 200, "segnalante": 404} {
			c := admLogin(e, who)
			if r := c.get("/api/v1/interventions"); r.status != want {
				t.Errorf("the catalogue in the API as %s: %d, want %d", who, r.status, want)
			}
		}
		if now, _ := readIntervention(t, db, "italian_course"); now != row {
			t.Errorf("refused requests changed the entry: %+v", now)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM interventions`); n != entries {
			t.Error("refused requests added an entry")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'intervention'`); n != 0 {
			t.Errorf("refused requests wrote %d audit entries", n)
		}
	})
}
