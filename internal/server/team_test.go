package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

func TestTeamsSpanOrganisationsWithReasons(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := projectCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		psy := strconv.Itoa(count(t, db, `SELECT id FROM users WHERE username = 'sanitario'`))
		onTeam := func() int {
			return count(t, db, `SELECT COUNT(*) FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = ? AND u.username = 'sanitario'`, id)
		}
		sw := e.client()
		sw.login("assistente.sociale")
		page := sw.get("/cases/" + caseID + "/team")
		if page.status != http.StatusOK || !strings.Contains(page.body, `<option value="`+psy+`">Marco Gentili`) {
			t.Fatalf("the team page offers no psychologist of another organisation: %d", page.status)
		}
		tok := sw.token("/cases/" + caseID + "/team")

		// A reason is required, and the owner cannot be changed here.
		r := sw.post("/cases/"+caseID+"/team", url.Values{"csrf_token": {tok}, "form": {""}, "user_id": {psy}, "role": {"consultant"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#team-new-reason"`) || onTeam() != 0 {
			t.Fatalf("adding without a reason: %d", r.status)
		}
		owner := strconv.Itoa(count(t, db, `SELECT user_id FROM case_team WHERE case_id = ? AND role = 'owner'`, id))
		if r := sw.api("POST", "/api/v1/cases/"+caseID+"/team", `{"user_id":`+owner+`,"role":"contributor","reason":"Prova"}`); r.status != http.StatusUnprocessableEntity {
			t.Errorf("demoting the owner: %d %s", r.status, r.body)
		}

		// Added from the health authority, given another role through the
		// API, then removed: each change audited, with its sealed reason.
		if r := sw.post("/cases/"+caseID+"/team", url.Values{"csrf_token": {tok}, "form": {""}, "user_id": {psy}, "role": {"consultant"},
			"reason": {"Consulenza psicologica (Prova-Equipe-3b1f)"}}); r.status != http.StatusSeeOther {
			t.Fatalf("adding the psychologist: %d %s", r.status, r.body)
		}
		if onTeam() != 1 {
			t.Fatal("the psychologist is not on the team")
		}
		doc := e.client()
		doc.login("sanitario")
		if r := doc.get("/cases/" + caseID); r.status != http.StatusOK {
			t.Errorf("the new team member cannot open the case: %d", r.status)
		}
		if r := sw.api("POST", "/api/v1/cases/"+caseID+"/team", `{"user_id":`+psy+`,"role":"contributor","reason":"Segue i colloqui"}`); r.status != http.StatusOK ||
			!strings.Contains(r.body, `"role":"contributor"`) {
			t.Errorf("changing the role: %d %s", r.status, r.body)
		}
		if r := sw.api("POST", "/api/v1/cases/"+caseID+"/team", `{"user_id":`+psy+`,"role":"","reason":"Percorso concluso"}`); r.status != http.StatusOK || onTeam() != 0 {
			t.Errorf("removing: %d %s", r.status, r.body)
		}
		if r := doc.get("/cases/" + caseID); r.status != http.StatusNotFound {
			t.Errorf("a removed member still opens the case: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_team_changes WHERE case_id = ? AND reason_sealed LIKE '%Prova-Equipe%'`, id); n != 0 {
			t.Error("a team change's reason is stored in clear")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_team_changes WHERE case_id = ?`, id); n != 3 {
			t.Errorf("%d team changes recorded, want 3", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND record_type = 'case_team'`, id); n != 3 {
			t.Errorf("%d team changes audited, want 3", n)
		}
		if r := sw.get("/cases/" + caseID + "/timeline"); !strings.Contains(r.body, "Ruolo nell&#39;équipe cambiato") {
			t.Error("the timeline lacks the change of role")
		}

		// The partner operator on the team may read it but not change it.
		op := e.client()
		op.login("operatore")
		if r := op.api("POST", "/api/v1/cases/"+caseID+"/team", `{"user_id":`+psy+`,"role":"consultant","reason":"Prova"}`); r.status != http.StatusNotFound || onTeam() != 0 {
			t.Errorf("the operator changing the team: %d", r.status)
		}
	})
}
