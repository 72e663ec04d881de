package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
)

// traffickingDraftCase returns the case of the trafficking victim in the
// SATIS programme whose project the demo's anti-trafficking operator left
// as a draft.
func traffickingDraftCase(t *testing.T, db *store.DB) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(c.id), 0) FROM projects x JOIN cases c ON c.id = x.case_id
		JOIN organisations o ON o.id = c.owner_org_id JOIN programmes p ON p.id = c.programme_id
		WHERE x.status = 'draft' AND c.kind = 'trafficking_victim' AND o.code = 'COM-VIAREGGIO' AND p.code = 'SATIS'`))
	if id == 0 {
		t.Fatal("the demo has no draft project of a trafficking victim in SATIS")
	}
	return id
}

// traffickingForm is the form of the trafficking victim's project as the
// anti-trafficking operator rewrites the demo's draft, from version: a year
// in a protected apartment and a work placement, both on SATIS's line B.1
// (36,700 euro of its 36,000), and legal aid for the permit. It started
// two months before today.
func traffickingForm(version string, start time.Time, satis, viareggio int64) url.Values {
	org := func(id int64) string { return strconv.FormatInt(id, 10) }
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	return url.Values{"version": {version}, "start_on": {day(start)}, "review_every_months": {"2"},
		"goals.housing.objective":                    {"Vivere in un appartamento protetto, poi in autonomia (Prova-Tratta-9b3f)"},
		"goals.housing.indicator":                    {"Ingresso in appartamento"},
		"goals.housing.actions.0.description":        {"Appartamento protetto del progetto SATIS"},
		"goals.housing.actions.0.intervention":       {"protected_apartment"},
		"goals.housing.actions.0.responsible_org_id": {org(satis)},
		"goals.housing.actions.0.months":             {"12"},
		"goals.housing.actions.0.planned_cents":      {"34.000,00"},
		"goals.housing.actions.0.budget_line":        {"B.1"},
		"goals.legal.objective":                      {"Permesso di soggiorno per protezione sociale (art. 18)"},
		"goals.legal.actions.0.description":          {"Accompagnamento legale e in Questura"},
		"goals.legal.actions.0.intervention":         {"legal_aid"},
		"goals.legal.actions.0.responsible_org_id":   {org(satis)},
		"goals.legal.actions.0.due_on":               {day(start.AddDate(0, 3, 0))},
		"goals.work.objective":                       {"Un tirocinio nella ristorazione"},
		"goals.work.actions.0.description":           {"Orientamento al lavoro e tirocinio"},
		"goals.work.actions.0.intervention":          {"job_placement"},
		"goals.work.actions.0.responsible_org_id":    {org(viareggio)},
		"goals.work.actions.0.months":                {"6"},
		"goals.work.actions.0.planned_cents":         {"2.700,00"},
		"goals.work.actions.0.budget_line":           {"B.1"},
		"person_words":                               {"Voglio un lavoro vero e una casa mia, lontano da chi mi ha portata qui."},
		"person_agrees":                              {"1"},
	}
}

// projectState sums up what the project of a case has written: the
// project's row, its versions, commitments and reviews, and the case's
// tasks, events, notifications and audit entries other than reads. A
// refused step must leave it as it was.
func projectState(t *testing.T, db *store.DB, caseID int64) string {
	t.Helper()
	ctx := context.Background()
	var status, sealed string
	var version, number int
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT status, version, number, content_sealed FROM projects WHERE case_id = ?`, caseID).
			Scan(&status, &version, &number, &sealed)
	})
	if err != nil {
		t.Fatal(err)
	}
	of := func(query string) int { return count(t, db, query, caseID) }
	return fmt.Sprintf("%s version %d number %d content %x; versions %d, commitments %d, reviews %d; tasks %d, events %d, notifications %d, audit %d",
		status, version, number, sha256.Sum256([]byte(sealed)),
		of(`SELECT COUNT(*) FROM project_versions v JOIN projects x ON x.id = v.project_id WHERE x.case_id = ?`),
		of(`SELECT COUNT(*) FROM project_commitments k JOIN projects x ON x.id = k.project_id WHERE x.case_id = ?`),
		of(`SELECT COUNT(*) FROM project_reviews r JOIN projects x ON x.id = r.project_id WHERE x.case_id = ?`),
		of(`SELECT COUNT(*) FROM case_tasks WHERE case_id = ?`),
		of(`SELECT COUNT(*) FROM case_events WHERE case_id = ?`),
		of(`SELECT COUNT(*) FROM notifications WHERE case_id = ?`),
		of(`SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action <> 'read'`))
}

// projectAudit lists the audit entries of a case's project and its
// reviews, oldest first, as "username action record_type fields reason".
func projectAudit(t *testing.T, db *store.DB, caseID int64) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT u.username, a.action, a.record_type, a.fields, a.reason FROM audit_log a
			JOIN users u ON u.id = a.actor_id
			WHERE a.case_id = ? AND a.record_type IN ('project', 'project_review') ORDER BY a.seq`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var who, action, kind, fields, reason string
			if err := rows.Scan(&who, &action, &kind, &fields, &reason); err != nil {
				return err
			}
			out = append(out, strings.TrimSpace(strings.Join([]string{who, action, kind, fields, reason}, " ")))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTraffickingProjectFromDraftToTwoReviews takes the demo's draft of a
// trafficking victim's project in SATIS to its approval by the lead entity
// and two reviews, partly in the UI and partly through the API: the caps
// and the case kind's interventions refuse a draft, the lead entity's
// budget refuses an approval until the approver writes the reason of an
// exception, and nobody decides on a project they signed or submitted.
// Every refusal writes nothing. The comparison of the approved version
// with the next draft reads as people write, while the API's stays raw.
func TestTraffickingProjectFromDraftToTwoReviews(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := traffickingDraftCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		path := "/cases/" + caseID + "/project"
		satis, viareggio := idOf(t, db, "organisations", "SATIS-VER"), idOf(t, db, "organisations", "COM-VIAREGGIO")
		now := time.Now().In(approdo.Rome)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, approdo.Rome)
		start := today.AddDate(0, -2, 0)
		state := func() string { return projectState(t, db, id) }
		unchanged := func(what, before string) {
			t.Helper()
			if after := state(); after != before {
				t.Errorf("%s wrote:\nbefore %s\nafter  %s", what, before, after)
			}
		}
		// The Comune di Viareggio leads SATIS and holds the case: its
		// social worker also coordinates the programme, so that she may
		// approve SATIS projects, though never one she signed.
		admExec(t, db, `INSERT INTO user_roles (user_id, role) VALUES (?, 'lead_coordinator')`, admUserID(t, db, "as.viareggio"))

		// The anti-trafficking operator rewrites the draft in the UI.
		op := e.client()
		op.login("antitratta")
		if r := op.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "Appartamento protetto del progetto SATIS") ||
			!strings.Contains(r.body, `data-test="project-status">Bozza<`) {
			t.Fatalf("the operator reading the demo's draft: %d", r.status)
		}
		if r := op.get(path + "/edit"); r.status != http.StatusOK || !strings.Contains(r.body, `value="Appartamento protetto del progetto SATIS"`) {
			t.Fatalf("the draft's form is not filled with the draft: %d", r.status)
		}
		tok := op.token(path + "/edit")
		version := func() string { return projectVersion(t, db, id) }

		// A work placement beyond its caps, and support to parenting,
		// which the catalogue does not offer to victims of trafficking,
		// are refused, naming the rule, and keep what was typed.
		before := state()
		bad := traffickingForm(version(), start, satis, viareggio)
		bad.Set("goals.work.actions.0.months", "9")
		bad.Set("goals.work.actions.0.planned_cents", "3.500,00")
		bad.Set("goals.relations.objective", "Ricostruire il rapporto con la figlia rimasta in Nigeria")
		bad.Set("goals.relations.actions.0.description", "Incontri di sostegno alla genitorialità")
		bad.Set("goals.relations.actions.0.intervention", "parenting_support")
		bad.Set("csrf_token", tok)
		r := op.post(path, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a draft beyond the caps: %d", r.status)
		}
		for _, want := range []string{
			`href="#goals.work.actions.0.months"`, "questo intervento dura al massimo 6 mesi",
			`href="#goals.work.actions.0.planned_cents"`, "questo intervento costa al massimo 3000 €",
			`href="#goals.relations.actions.0.intervention"`, "questo intervento non è previsto per questo tipo di caso",
			`value="Incontri di sostegno alla genitorialità"`, `value="3.500,00"`,
		} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the refused draft lacks %q", want)
			}
		}
		unchanged("a draft beyond the caps", before)

		draft := traffickingForm(version(), start, satis, viareggio)
		draft.Set("csrf_token", tok)
		if r := op.post(path, draft); r.status != http.StatusSeeOther {
			t.Fatalf("saving the draft: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects WHERE content_sealed LIKE ?`, "%Prova-Tratta%"); n != 0 {
			t.Error("the project's content is stored in clear")
		}
		// Signing is the case owner's.
		before = state()
		if r := op.post(path+"/cosign", url.Values{"csrf_token": {tok}, "version": {version()}}); r.status != http.StatusNotFound {
			t.Errorf("the operator co-signing: %d", r.status)
		}
		unchanged("the operator's signature", before)

		// The case owner's social worker signs in the UI and submits
		// through the API; the lead entity's coordinator is told.
		sw := e.client()
		sw.login("as.viareggio")
		swTok := sw.token(path)
		if r := sw.post(path+"/cosign", url.Values{"csrf_token": {swTok}, "version": {version()}}); r.status != http.StatusSeeOther {
			t.Fatalf("co-signing: %d %s", r.status, r.body)
		}
		if r := sw.api("POST", "/api/v1"+path+"/submit", `{"version":`+version()+`}`); r.status != http.StatusOK || !strings.Contains(r.body, `"status":"submitted"`) {
			t.Fatalf("submitting through the API: %d %s", r.status, r.body)
		}
		for who, want := range map[string]int{"capofila.satis": 1, "capofila": 0} {
			if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
				WHERE u.username = ? AND n.kind = 'project_submit' AND n.case_id = ?`, who, id); n != want {
				t.Errorf("%s was told %d times of the submission, want %d", who, n, want)
			}
		}

		// She may approve SATIS projects, but not the one she signed and
		// submitted: neither in the UI nor through the API.
		before = state()
		if r := sw.get(path); strings.Contains(r.body, `action="`+path+`/approve"`) {
			t.Error("the submitter is offered the approval of her own submission")
		}
		if r := sw.post(path+"/approve", url.Values{"csrf_token": {swTok}, "version": {version()}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "Non puoi decidere su un progetto che hai firmato o inviato tu") {
			t.Errorf("the submitter approving in the UI: %d", r.status)
		}
		if r := sw.api("POST", "/api/v1"+path+"/approve", `{"version":`+version()+`,"exception":"Urgenza."}`); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"field":"decision"`) {
			t.Errorf("the submitter approving through the API: %d %s", r.status, r.body)
		}
		// INCONTRO's lead entity sees nothing of a SATIS project.
		other := e.client()
		other.login("capofila")
		if r := other.get(path); r.status != http.StatusNotFound {
			t.Errorf("another programme's lead entity reading the project: %d", r.status)
		}
		if r := other.api("POST", "/api/v1"+path+"/approve", `{"version":`+version()+`}`); r.status != http.StatusNotFound {
			t.Errorf("another programme's lead entity approving: %d %s", r.status, r.body)
		}
		if r := other.get("/projects/awaiting"); strings.Contains(r.body, `href="`+path+`"`) {
			t.Error("another programme's lead entity finds the project waiting")
		}
		unchanged("refused decisions", before)

		// SATIS's coordinator finds it waiting and reads it, and nothing
		// else of the case.
		lead := e.client()
		lead.login("capofila.satis")
		if r := lead.get("/projects/awaiting"); r.status != http.StatusOK || !strings.Contains(r.body, `href="`+path+`"`) {
			t.Fatalf("SATIS's projects waiting: %d", r.status)
		}
		if r := lead.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "Appartamento protetto del progetto SATIS") ||
			!strings.Contains(r.body, `action="`+path+`/approve"`) {
			t.Fatalf("SATIS's coordinator reading the project: %d", r.status)
		}
		for _, p := range []string{"/cases/" + caseID + "/notes", path + "/edit"} {
			if r := lead.get(p); r.status != http.StatusNotFound {
				t.Errorf("SATIS's coordinator on %s: %d", p, r.status)
			}
		}

		// The project plans 36,700 euro on line B.1, which has 36,000:
		// the approval is refused, naming the line, in the UI and through
		// the API, until the coordinator writes the reason of an exception.
		leadTok := lead.token(path)
		r = lead.post(path+"/approve", url.Values{"csrf_token": {leadTok}, "version": {version()}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "la voce di budget B.1 non basta") ||
			!strings.Contains(r.body, `href="#exception"`) || !strings.Contains(r.body, `id="exception"`) {
			t.Fatalf("approving beyond line B.1 in the UI: %d", r.status)
		}
		if r := lead.api("POST", "/api/v1"+path+"/approve", `{"version":`+version()+`,"exception":"   "}`); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"field":"exception"`) || !strings.Contains(r.body, "B.1") {
			t.Errorf("approving beyond line B.1 through the API with a blank reason: %d %s", r.status, r.body)
		}
		unchanged("approvals beyond the budget", before)
		const exception = "Ingresso urgente in appartamento: la quota eccedente è coperta dal fondo regionale antitratta."
		if r := lead.post(path+"/approve", url.Values{"csrf_token": {leadTok}, "version": {version()}, "exception": {exception}}); r.status != http.StatusSeeOther {
			t.Fatalf("approving with the reason of an exception: %d %s", r.status, r.body)
		}
		var got struct {
			Project struct {
				Status string
				Number int
			}
		}
		r = lead.api("GET", "/api/v1"+path, "")
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.Project.Status != "approved" || got.Project.Number != 1 {
			t.Fatalf("the approved project in the API: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COALESCE(SUM(k.cents), 0) FROM project_commitments k JOIN projects x ON x.id = k.project_id
			WHERE x.case_id = ? AND k.budget_line = 'B.1'`, id); n != 3670000 {
			t.Errorf("the approved project commits %d cents of line B.1, want 3670000", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects x JOIN users u ON u.id = x.decided_by WHERE x.case_id = ? AND u.username = 'capofila.satis'`, id); n != 1 {
			t.Error("the project does not name SATIS's coordinator as who approved it")
		}

		// Two reviews: one in the UI by the social worker, refused first
		// for a day before the project started; one through the API by
		// the anti-trafficking operator, refused first for a goal the
		// project does not have.
		review := url.Values{"csrf_token": {swTok}, "reviewed_on": {start.AddDate(0, 0, -1).Format(time.DateOnly)},
			"goals.housing.progress": {"achieved"}, "goals.housing.note": {"Entrata nell'appartamento protetto"},
			"goals.legal.progress": {"in_progress"}, "goals.work.progress": {"not_started"}, "summary": {"Primi due mesi sereni."}}
		before = state()
		if r := sw.post(path+"/reviews", review); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#reviewed_on"`) ||
			!strings.Contains(r.body, "Entrata nell&#39;appartamento protetto") {
			t.Errorf("a review before the project started: %d", r.status)
		}
		if r := op.api("POST", "/api/v1"+path+"/reviews", `{"reviewed_on":"`+today.Format(time.DateOnly)+`","goals":[{"domain":"education","progress":"achieved"}]}`); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a review of a goal the project does not have: %d %s", r.status, r.body)
		}
		unchanged("refused reviews", before)
		review.Set("reviewed_on", today.Format(time.DateOnly))
		if r := sw.post(path+"/reviews", review); r.status != http.StatusSeeOther {
			t.Fatalf("the review in the UI: %d %s", r.status, r.body)
		}
		r = op.api("POST", "/api/v1"+path+"/reviews", `{"reviewed_on":"`+today.Format(time.DateOnly)+`","goals":[{"domain":"legal","progress":"achieved","note":"Permesso art. 18 rilasciato"},{"domain":"work","progress":"in_progress"}],"summary":"Il tirocinio comincia il mese prossimo."}`)
		if r.status != http.StatusCreated || strings.Count(r.body, `"reviewed_on"`) != 2 ||
			!strings.Contains(r.body, `"next_review":"`+today.AddDate(0, 2, 0).Format(time.DateOnly)+`"`) {
			t.Fatalf("the review through the API: %d %s", r.status, r.body)
		}
		if r := lead.get(path); !strings.Contains(r.body, "Permesso art. 18 rilasciato") || !strings.Contains(r.body, "Entrata nell&#39;appartamento protetto") {
			t.Error("the project does not show its two reviews")
		}
		if r := sw.get("/cases/" + caseID + "/timeline"); !strings.Contains(r.body, "Progetto approvato") || !strings.Contains(r.body, "Verifica del progetto registrata") {
			t.Error("the timeline does not tell the approval and the reviews")
		}

		// The audit log keeps every step, by whom, and the exception's
		// reason; the refusals left nothing.
		want := []string{
			"antitratta update project content",
			"as.viareggio update project status",
			"as.viareggio update project status",
			"capofila.satis update project status,budget_exception " + exception,
			"as.viareggio create project_review reviewed_on,goals,summary",
			"antitratta create project_review reviewed_on,goals,summary",
		}
		if got := projectAudit(t, db, id); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the project's audit entries are\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// A second version, drafted through the API, costs less, gives the
		// work to SATIS's unit as a course on its own line, and moves the
		// legal aid's deadline. The comparison page writes amounts in euro,
		// dates as dates, and names organisations, interventions and budget
		// lines; the API gives the raw values.
		v2 := `{"version":` + version() + `,"content":{"start_on":"` + start.Format(time.DateOnly) + `","review_every_months":2,"goals":[
			{"domain":"housing","objective":"Vivere in un appartamento protetto, poi in autonomia (Prova-Tratta-9b3f)","indicator":"Ingresso in appartamento",
			 "actions":[{"description":"Appartamento protetto del progetto SATIS","intervention":"protected_apartment","responsible_organisation_id":` + strconv.FormatInt(satis, 10) + `,"months":12,"planned_cents":3000000,"budget_line":"B.1"}]},
			{"domain":"legal","objective":"Permesso di soggiorno per protezione sociale (art. 18)",
			 "actions":[{"description":"Accompagnamento legale e in Questura","intervention":"legal_aid","responsible_organisation_id":` + strconv.FormatInt(satis, 10) + `,"due_on":"` + start.AddDate(0, 4, 0).Format(time.DateOnly) + `"}]},
			{"domain":"work","objective":"Un tirocinio nella ristorazione",
			 "actions":[{"description":"Orientamento al lavoro e tirocinio","intervention":"vocational_course","responsible_organisation_id":` + strconv.FormatInt(satis, 10) + `,"months":4,"planned_cents":240000,"budget_line":"A.1"}]}],
			"person_words":"Voglio un lavoro vero e una casa mia, lontano da chi mi ha portata qui.","person_agrees":true}}`
		if r := op.api("PUT", "/api/v1"+path, v2); r.status != http.StatusOK || !strings.Contains(r.body, `"status":"draft"`) {
			t.Fatalf("drafting version 2 through the API: %d %s", r.status, r.body)
		}
		r = sw.get(path + "/compare?a=1&b=0")
		if r.status != http.StatusOK {
			t.Fatalf("the comparison page: %d", r.status)
		}
		for _, want := range []string{"Casa — Azione 1 — Costo (€)", "<td>34.000,00 €</td><td>30.000,00 €</td>",
			"Lavoro — Azione 1 — Ente responsabile", "<td>Comune di Viareggio – Zona Distretto Versilia</td><td>Progetto antitratta SATIS – unità della Versilia</td>",
			"<td>Orientamento e inserimento lavorativo</td><td>Corso di formazione professionale</td>", "<td>6 mesi</td><td>4 mesi</td>",
			"<td>2.700,00 €</td><td>2.400,00 €</td>", "<td>B.1 Sostegno all&#39;autonomia abitativa</td><td>A.1 Unità di contatto e presa in carico</td>",
			"Documenti e tutela legale — Azione 1 — Entro", "<td>" + start.AddDate(0, 3, 0).Format("02/01/2006") + "</td><td>" + start.AddDate(0, 4, 0).Format("02/01/2006") + "</td>"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the comparison page lacks %q", want)
			}
		}
		for _, raw := range []string{"<td>3400000</td>", "<td>" + strconv.FormatInt(viareggio, 10) + "</td>", "<td>job_placement</td>", "<td>6</td>"} {
			if strings.Contains(r.body, raw) {
				t.Errorf("the comparison page shows the raw value %s", raw)
			}
		}
		r = sw.api("GET", "/api/v1"+path+"/compare?a=1&b=0", "")
		for _, want := range []string{`"field":"goals.housing.actions.0.planned_cents","a":"3400000","b":"3000000"`,
			`"field":"goals.work.actions.0.responsible_org_id","a":"` + strconv.FormatInt(viareggio, 10) + `","b":"` + strconv.FormatInt(satis, 10) + `"`,
			`"field":"goals.work.actions.0.intervention","a":"job_placement","b":"vocational_course"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the API's comparison lacks %s: %s", want, r.body)
			}
		}
	})
}
