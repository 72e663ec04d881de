package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/documents/documentstest"
	"approdo/internal/store"
)

// approvedProjectCase returns the demo's case whose project the INCONTRO
// lead entity approved.
func approvedProjectCase(t *testing.T, db *store.DB) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(p.case_id), 0) FROM projects p JOIN cases c ON c.id = p.case_id
		JOIN programmes g ON g.id = c.programme_id WHERE p.number > 0 AND g.code = 'INCONTRO'`))
	if id == 0 {
		t.Fatal("the demo has no approved project")
	}
	return id
}

func TestApprovedProjectsArePrinted(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := approvedProjectCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		var code string
		if err := db.Read(t.Context(), func(tx *store.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT code FROM cases WHERE id = ?`, id).Scan(&code)
		}); err != nil {
			t.Fatal(err)
		}
		printed := func() int {
			return count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'read'
				AND (fields LIKE '%project_document%' OR fields LIKE '%project_summary%')`, id)
		}
		pdf := func(r response, name string) string {
			t.Helper()
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", name, r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("%s is sent as %q", name, ct)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, name) {
				t.Errorf("the download is %q, want an attachment named %s", cd, name)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s may be cached", name)
			}
			return documentstest.Text(t, []byte(r.body))
		}

		// The social worker who owns the case prints the project to sign:
		// the person's name is on it, with a place for every signature.
		sw := e.client()
		sw.login("assistente.sociale")
		page := sw.get("/cases/" + caseID + "/project")
		for _, want := range []string{`href="/cases/` + caseID + `/project/document"`, `action="/cases/` + caseID + `/project/summary"`,
			`<option value="ar" lang="ar">العربية</option>`, `/project/document?version=1"`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the project page lacks %s", want)
			}
		}
		doc := pdf(sw.get("/cases/"+caseID+"/project/document"), "progetto-"+code+"-v1.pdf")
		for _, want := range []string{"Progetto individualizzato", "Versione 1, approvata il", code, "Persona",
			"Raggiungere il livello A2 di italiano", "Contributo all'affitto", "3.600,00 €", "Totale",
			"Per l'ente capofila", "Elena Rossetti", "Per il servizio sociale titolare del caso", "Chiara Benvenuti", "Firma"} {
			if !strings.Contains(doc, want) {
				t.Errorf("the project to sign lacks %q:\n%s", want, doc)
			}
		}

		// The summary for the person, in each language, through the UI and
		// the API; what was written stays as written.
		for lang, want := range map[string]string{"it": "I tuoi obiettivi", "en": "Your goals", "fr": "Tes objectifs", "ar": "أهدافك"} {
			text := pdf(sw.get("/cases/"+caseID+"/project/summary?lang="+lang), "riepilogo-"+code+"-v1-"+lang+".pdf")
			if !strings.Contains(text, want) || !strings.Contains(text, "Voglio finire la scuola") {
				t.Errorf("the %s summary lacks %q or the person's words:\n%s", lang, want, text)
			}
		}
		api := pdf(sw.api("GET", "/api/v1/cases/"+caseID+"/project/summary?lang=fr", ""), "riepilogo-"+code+"-v1-fr.pdf")
		if !strings.Contains(api, "Mon projet") {
			t.Errorf("the API's summary:\n%s", api)
		}
		if n := printed(); n != 6 {
			t.Errorf("%d prints are in the audit log, want 6", n)
		}

		// Bad requests are refused, naming the field, and leave no trace.
		if r := sw.api("GET", "/api/v1/cases/"+caseID+"/project/summary?lang=xx", ""); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"lang"`) {
			t.Errorf("an unknown language: %d %s", r.status, r.body)
		}
		if r := sw.get("/cases/" + caseID + "/project/document?version=zero"); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "Versione") {
			t.Errorf("a version that is no number: %d", r.status)
		}
		if r := sw.api("GET", "/api/v1/cases/"+caseID+"/project/document?version=9", ""); r.status != http.StatusNotFound {
			t.Errorf("a version that does not exist: %d", r.status)
		}
		if n := printed(); n != 6 {
			t.Errorf("refused prints were audited: %d", n)
		}

		// The lead entity reads the project, not the case: it prints the
		// project without the person's name.
		lead := e.client()
		lead.login("capofila")
		leadDoc := pdf(lead.get("/cases/"+caseID+"/project/document"), "progetto-"+code+"-v1.pdf")
		if strings.Contains(leadDoc, "\nPersona\n") || !strings.Contains(leadDoc, code) {
			t.Errorf("the lead entity's print names the person, or not the case:\n%s", leadDoc)
		}

		// Whoever may not read the project cannot print it; a project not
		// yet approved has nothing to print.
		rep := e.client()
		rep.login("segnalante")
		if r := rep.get("/cases/" + caseID + "/project/document"); r.status != http.StatusNotFound {
			t.Errorf("the reporter printing the project: %d", r.status)
		}
		draft := count(t, db, `SELECT COALESCE(MIN(case_id), 0) FROM projects WHERE number = 0`)
		if r := lead.api("GET", "/api/v1/cases/"+strconv.Itoa(draft)+"/project/document", ""); r.status != http.StatusConflict && r.status != http.StatusNotFound {
			t.Errorf("printing a project never approved: %d", r.status)
		}
		if r := sw.get("/cases/" + strconv.FormatInt(projectCase(t, db), 10) + "/project/summary"); r.status != http.StatusConflict {
			t.Errorf("printing a case without a project: %d", r.status)
		}
	})
}

func TestProjectActionsNameTheirResponsiblePerson(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := projectCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/project"
		op := e.client()
		op.login("operatore")
		tok := op.token(path + "/edit")
		community := strconv.Itoa(count(t, db, `SELECT id FROM organisations WHERE code = 'COM-EDU-FARO'`))
		educator := strconv.Itoa(count(t, db, `SELECT id FROM users WHERE username = 'operatore'`))
		stranger := strconv.Itoa(count(t, db, `SELECT id FROM users WHERE username = 'as.brescia'`))

		// Someone off the case's team cannot answer for an action.
		draft := projectDraft("0", "Una casa in autonomia", "12")
		draft.Set("csrf_token", tok)
		draft.Set("goals.housing.actions.0.responsible_org_id", community)
		draft.Set("goals.housing.actions.0.responsible_user_id", stranger)
		if r := op.post(path, draft); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `href="#goals.housing.actions.0.responsible_user_id"`) {
			t.Fatalf("a person off the team: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects WHERE case_id = ?`, id); n != 0 {
			t.Fatal("a refused draft was written")
		}
		draft.Set("goals.housing.actions.0.responsible_user_id", educator)
		if r := op.post(path, draft); r.status != http.StatusSeeOther {
			t.Fatalf("saving with the educator responsible: %d %s", r.status, r.body)
		}
		if r := op.get(path); !strings.Contains(r.body, "Referente: Luca Mancini") {
			t.Error("the project does not name the person responsible")
		}
		if r := op.api("GET", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/project", ""); !strings.Contains(r.body, `"responsible_user_id":`+educator) {
			t.Errorf("the API does not name the person responsible: %s", r.body)
		}
	})
}
