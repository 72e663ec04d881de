package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
)

// projectCase returns an open unaccompanied minor's case of the Prato
// social service in the INCONTRO programme, with the partner operator on
// its team and no project yet.
func projectCase(t *testing.T, db *store.DB) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(c.id), 0) FROM cases c JOIN organisations o ON o.id = c.owner_org_id
		JOIN programmes p ON p.id = c.programme_id
		WHERE o.code = 'SDS-PRATO' AND p.code = 'INCONTRO' AND c.kind = 'unaccompanied_minor' AND c.closed_at IS NULL
		AND EXISTS (SELECT 1 FROM case_team m JOIN users u ON u.id = m.user_id WHERE m.case_id = c.id AND u.username = 'operatore')
		AND NOT EXISTS (SELECT 1 FROM projects x WHERE x.case_id = c.id)`))
	if id == 0 {
		t.Fatal("the demo has no unaccompanied minor's case fit for a project")
	}
	return id
}

// projectVersion reads the edit version of a case's project.
func projectVersion(t *testing.T, db *store.DB, caseID int64) string {
	t.Helper()
	return strconv.Itoa(count(t, db, `SELECT COALESCE(MAX(version), 0) FROM projects WHERE case_id = ?`, caseID))
}

// projectDraft is a valid form of a project's draft.
func projectDraft(version, housingObjective, rentMonths string) url.Values {
	return url.Values{"version": {version}, "start_on": {"2026-10-01"}, "review_every_months": {"3"},
		"goals.housing.objective":               {housingObjective},
		"goals.housing.indicator":               {"Contratto d'affitto firmato"},
		"goals.housing.actions.0.description":   {"Contributo all'affitto"},
		"goals.housing.actions.0.intervention":  {"rent_support"},
		"goals.housing.actions.0.months":        {rentMonths},
		"goals.housing.actions.0.planned_cents": {"3.600,00"},
		"goals.language.objective":              {"Certificazione A2 (Prova-Progetto-4c1e)"},
		"goals.language.actions.0.description":  {"Corso al CPIA"},
		"goals.language.actions.0.intervention": {"italian_course"},
		"person_words":                          {"Voglio studiare e lavorare come cuoco."},
		"person_agrees":                         {"1"},
	}
}

func TestProjectFromDraftToApprovedVersions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := projectCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/project"
		stored := func() int { return count(t, db, `SELECT COUNT(*) FROM projects WHERE case_id = ?`, id) }

		// The partner operator drafts it; caps and case kinds are enforced
		// and nothing is written while the draft is refused.
		op := e.client()
		op.login("operatore")
		if r := op.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "non ha ancora un progetto") {
			t.Fatalf("the project of a case without one: %d", r.status)
		}
		tok := op.token(path + "/edit")
		bad := projectDraft("0", "Una casa in autonomia", "13")
		bad.Set("goals.language.actions.0.intervention", "parenting_support")
		bad.Set("goals.work.actions.1.description", "Tirocinio")
		bad.Set("csrf_token", tok)
		r := op.post(path, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a draft breaking the caps: %d", r.status)
		}
		for _, want := range []string{`href="#goals.housing.actions.0.months"`, "al massimo 12 mesi",
			`href="#goals.language.actions.0.intervention"`, "non è previsto per questo tipo di caso", `href="#goals.work.objective"`,
			`value="Contributo all&#39;affitto"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the refused draft lacks %q\n%s", want, r.body[strings.Index(r.body, "error-summary"):][:1500])
			}
		}
		if stored() != 0 {
			t.Fatal("a refused draft was written")
		}
		draft := projectDraft("0", "Una casa in autonomia", "12")
		draft.Set("csrf_token", tok)
		if r := op.post(path, draft); r.status != http.StatusSeeOther {
			t.Fatalf("saving the draft: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects WHERE content_sealed LIKE ?`, "%Prova-Progetto%"); n != 0 {
			t.Error("a project's content is stored in clear")
		}
		// A second save from the same old version is refused, not lost.
		if r := op.post(path, draft); r.status != http.StatusConflict || !strings.Contains(r.body, "Qualcun altro ha modificato il progetto") {
			t.Errorf("a stale draft: %d", r.status)
		}
		// The operator cannot co-sign: that is the case owner's.
		if r := op.post(path+"/cosign", url.Values{"csrf_token": {tok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusNotFound {
			t.Errorf("the operator co-signing: %d", r.status)
		}

		// The social worker co-signs and submits.
		sw := e.client()
		sw.login("assistente.sociale")
		swTok := sw.token(path)
		for _, step := range []string{"cosign", "submit"} {
			if r := sw.post(path+"/"+step, url.Values{"csrf_token": {swTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", step, r.status, r.body)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'capofila' AND n.kind = 'project_submit' AND n.case_id = ?`, id); n != 1 {
			t.Errorf("the lead entity was told %d times of the submission, want once", n)
		}
		if r := sw.get(path); !strings.Contains(r.body, "In attesa dell&#39;ente capofila") {
			t.Error("the project does not say it waits for the lead entity")
		}
		// Nobody changes it while it waits.
		locked := projectDraft(projectVersion(t, db, id), "Altro", "6")
		locked.Set("csrf_token", tok)
		if r := op.post(path, locked); r.status != http.StatusConflict {
			t.Errorf("editing a submitted project: %d", r.status)
		}

		// The lead entity finds it waiting, returns it with comments, then,
		// once signed and submitted again, approves it as version 1.
		lead := e.client()
		lead.login("capofila")
		if r := lead.get("/projects/awaiting"); r.status != http.StatusOK || !strings.Contains(r.body, path) {
			t.Fatalf("the lead entity's projects waiting: %d", r.status)
		}
		if r := lead.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "Certificazione A2") {
			t.Fatalf("the lead entity reading the project: %d", r.status)
		}
		if r := lead.get("/cases/" + strconv.FormatInt(id, 10) + "/notes"); r.status != http.StatusNotFound {
			t.Errorf("the lead entity reads the case's notes: %d", r.status)
		}
		leadTok := lead.token(path)
		if r := lead.post(path+"/return", url.Values{"csrf_token": {leadTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `href="#comments"`) {
			t.Errorf("returning without comments: %d", r.status)
		}
		const comments = "Manca il preventivo dell'affitto: allegatelo."
		if r := lead.post(path+"/return", url.Values{"csrf_token": {leadTok}, "version": {projectVersion(t, db, id)}, "comments": {comments}}); r.status != http.StatusSeeOther {
			t.Fatalf("returning with comments: %d %s", r.status, r.body)
		}
		if r := op.get(path); !strings.Contains(r.body, "Manca il preventivo dell&#39;affitto") {
			t.Error("the drafters do not see the lead entity's comments")
		}
		for _, step := range []string{"cosign", "submit"} {
			if r := sw.post(path+"/"+step, url.Values{"csrf_token": {swTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusSeeOther {
				t.Fatalf("%s again: %d %s", step, r.status, r.body)
			}
		}
		if r := lead.post(path+"/approve", url.Values{"csrf_token": {leadTok}, "version": {projectVersion(t, db, id)}}); r.status != http.StatusSeeOther {
			t.Fatalf("approving: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM project_versions v JOIN projects p ON p.id = v.project_id WHERE p.case_id = ? AND v.number = 1`, id); n != 1 {
			t.Fatal("the approved project was not frozen as version 1")
		}

		// Changing it starts version 2 through the API, which compares
		// with version 1 field by field.
		var got struct {
			Project struct {
				Status  string `json:"status"`
				Number  int    `json:"number"`
				Version int    `json:"version"`
			} `json:"project"`
			Versions []struct {
				Number int `json:"number"`
			} `json:"versions"`
			Allowed struct {
				Edit bool `json:"edit"`
			} `json:"allowed"`
		}
		r = op.api("GET", "/api/v1"+path, "")
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.Project.Status != "approved" || got.Project.Number != 1 || len(got.Versions) != 1 || !got.Allowed.Edit {
			t.Fatalf("the approved project in the API: %d %s", r.status, r.body)
		}
		body := `{"version":` + strconv.Itoa(got.Project.Version) + `,"content":{"start_on":"2026-10-01","review_every_months":2,
			"goals":[{"domain":"housing","objective":"Una casa condivisa con due amici","actions":[{"description":"Contributo all'affitto","intervention":"rent_support","months":12,"planned_cents":360000}]}],
			"person_words":"Voglio studiare e lavorare come cuoco.","person_agrees":true}}`
		if r := op.api("PUT", "/api/v1"+path, strings.Replace(body, `"months":12`, `"months":-2`, 1)); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"goals.housing.actions.0.months"`) {
			t.Errorf("the API with negative months: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", "/api/v1"+path, strings.Replace(body, `"months":12`, `"months":12,"responsible_organisation_id":99999`, 1)); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"goals.housing.actions.0.responsible_org_id"`) {
			t.Errorf("the API naming an organisation that does not exist: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", "/api/v1"+path, body); r.status != http.StatusOK || !strings.Contains(r.body, `"status":"draft"`) || !strings.Contains(r.body, `"number":1`) {
			t.Fatalf("the API starting version 2: %d %s", r.status, r.body)
		}
		version := func() string { return projectVersion(t, db, id) }
		if r := sw.api("POST", "/api/v1"+path+"/cosign", `{"version":`+version()+`}`); r.status != http.StatusOK {
			t.Fatalf("the API co-signing: %d %s", r.status, r.body)
		}
		if r := sw.api("POST", "/api/v1"+path+"/submit", `{"version":`+version()+`}`); r.status != http.StatusOK {
			t.Fatalf("the API submitting: %d %s", r.status, r.body)
		}
		if r := lead.api("GET", "/api/v1/projects/awaiting", ""); !strings.Contains(r.body, `"case_id":`+strconv.FormatInt(id, 10)) {
			t.Errorf("the API's projects waiting lack the case: %s", r.body)
		}
		if r := lead.api("POST", "/api/v1"+path+"/approve", `{"version":1}`); r.status != http.StatusConflict {
			t.Errorf("approving from a stale version: %d %s", r.status, r.body)
		}
		if r := lead.api("POST", "/api/v1"+path+"/approve", `{"version":`+version()+`}`); r.status != http.StatusOK || !strings.Contains(r.body, `"number":2`) {
			t.Fatalf("the API approving version 2: %d %s", r.status, r.body)
		}
		// Approval gave the case its tasks: the first review for the case
		// worker.
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND state = 'open'`, id); n == 0 {
			t.Error("the approved project gave the case no task")
		}

		// Two reviews: one in the UI, refused first for a date in the
		// future, one through the API.
		today := time.Now().In(approdo.Rome).Format(time.DateOnly)
		review := url.Values{"csrf_token": {swTok}, "reviewed_on": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)},
			"goals.housing.progress": {"in_progress"}, "goals.housing.note": {"Visitate due case"}, "summary": {"Primo mese positivo."}}
		if r := sw.post(path+"/reviews", review); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#reviewed_on"`) ||
			!strings.Contains(r.body, "Visitate due case") {
			t.Fatalf("a review in the future: %d", r.status)
		}
		review.Set("reviewed_on", today)
		if r := sw.post(path+"/reviews", review); r.status != http.StatusSeeOther {
			t.Fatalf("the first review: %d %s", r.status, r.body)
		}
		if r := sw.api("POST", "/api/v1"+path+"/reviews", `{"reviewed_on":"`+today+`","goals":[{"domain":"work","progress":"achieved"}]}`); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a review of a goal the project does not have: %d %s", r.status, r.body)
		}
		r = sw.api("POST", "/api/v1"+path+"/reviews", `{"reviewed_on":"`+today+`","goals":[{"domain":"housing","progress":"achieved","note":"Contratto firmato"}],"summary":"Obiettivo raggiunto."}`)
		next := time.Now().In(approdo.Rome).AddDate(0, 2, 0).Format(time.DateOnly)
		if r.status != http.StatusCreated || strings.Count(r.body, `"reviewed_on"`) != 2 || !strings.Contains(r.body, `"next_review":"`+next+`"`) {
			t.Fatalf("the second review: %d %s", r.status, r.body)
		}
		reviewTasks := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND state = 'open' AND due_at >= ?`, id, time.Now().AddDate(0, 2, -1).UTC())
		if reviewTasks == 0 {
			t.Error("the next review is no task")
		}
		if r := sw.get(path); !strings.Contains(r.body, "Contratto firmato") || !strings.Contains(r.body, "Raggiunto") {
			t.Error("the project does not show its reviews")
		}

		// A third version plans more on a budget line than it has left:
		// refused, naming the line, until the approver writes why.
		var cur struct {
			Project struct {
				Version int `json:"version"`
			} `json:"project"`
		}
		json.Unmarshal([]byte(sw.api("GET", "/api/v1"+path, "").body), &cur)
		big := strings.Replace(body, `"version":`+strconv.Itoa(got.Project.Version), `"version":`+strconv.Itoa(cur.Project.Version), 1)
		big = strings.Replace(big, `"planned_cents":360000}`, `"planned_cents":360000},{"description":"Formazione degli educatori","planned_cents":3900000,"budget_line":"C.1"}`, 1)
		if r := op.api("PUT", "/api/v1"+path, strings.Replace(big, `"C.1"`, `"Z.9"`, 1)); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"goals.housing.actions.1.budget_line"`) {
			t.Fatalf("an unknown budget line: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", "/api/v1"+path, big); r.status != http.StatusOK {
			t.Fatalf("a draft on budget line C.1: %d %s", r.status, r.body)
		}
		for _, step := range []string{"cosign", "submit"} {
			if r := sw.api("POST", "/api/v1"+path+"/"+step, `{"version":`+version()+`}`); r.status != http.StatusOK {
				t.Fatalf("%s version 3: %d %s", step, r.status, r.body)
			}
		}
		if r := lead.post(path+"/approve", url.Values{"csrf_token": {leadTok}, "version": {version()}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "la voce di budget C.1 non basta") || !strings.Contains(r.body, `id="exception"`) {
			t.Fatalf("approving beyond budget line C.1: %d", r.status)
		}
		if r := lead.api("POST", "/api/v1"+path+"/approve", `{"version":`+version()+`,"exception":"Corso regionale anticipato con fondi propri."}`); r.status != http.StatusOK ||
			!strings.Contains(r.body, `"number":3`) {
			t.Fatalf("approving with an exception: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COALESCE(SUM(k.cents), 0) FROM project_commitments k JOIN projects p ON p.id = k.project_id
			WHERE p.case_id = ? AND k.budget_line = 'C.1'`, id); n != 3900000 {
			t.Errorf("the approved project commits %d cents of line C.1, want 3900000", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND record_type = 'project' AND reason LIKE ?`, id, "%fondi propri%"); n != 1 {
			t.Error("the budget exception is not in the audit log")
		}

		// Expenses with their receipts, refused first for what is wrong.
		other := e.client()
		other.login("as.roma")
		expenses := func() int { return count(t, db, `SELECT COUNT(*) FROM project_expenses WHERE case_id = ?`, id) }
		postExpense := func(c *client, target string, fields url.Values, files ...upload) response {
			fields.Set("csrf_token", swTok)
			if c != sw {
				fields.Set("csrf_token", c.token("/"))
			}
			body, ct := multipartForm(t, fields, files...)
			return c.do("POST", target, body, map[string]string{"Content-Type": ct, "X-CSRF-Token": fields.Get("csrf_token")})
		}
		r = postExpense(sw, path+"/expenses", url.Values{"amount_cents": {"0"}, "spent_on": {time.Now().AddDate(0, 0, 3).Format(time.DateOnly)},
			"description": {"Affitto di ottobre (Prova-Spesa-77a2)"}}, upload{"file", "virus.exe", "application/octet-stream", []byte("MZ\x90\x00")})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong expense: %d", r.status)
		}
		for _, f := range []string{"action", "amount_cents", "spent_on", "file"} {
			if !strings.Contains(r.body, `href="#`+f+`"`) {
				t.Errorf("a wrong expense does not name %s", f)
			}
		}
		if expenses() != 0 {
			t.Fatal("a refused expense was written")
		}
		receipt := upload{"file", "ricevuta-affitto.pdf", "application/pdf", []byte("%PDF-1.4 ricevuta-affitto-ottobre")}
		r = postExpense(sw, path+"/expenses", url.Values{"action": {"housing:0"}, "amount_cents": {"300,00"}, "spent_on": {today},
			"description": {"Affitto di ottobre (Prova-Spesa-77a2)"}}, receipt)
		if r.status != http.StatusSeeOther {
			t.Fatalf("an expense: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM project_expenses WHERE description_sealed LIKE ?`, "%Prova-Spesa%"); n != 0 || expenses() != 1 {
			t.Fatalf("the expense: %d stored, %d in clear", expenses(), n)
		}
		attachment := count(t, db, `SELECT COALESCE(MAX(attachment_id), 0) FROM project_expenses WHERE case_id = ?`, id)
		if r := op.get("/cases/" + strconv.FormatInt(id, 10) + "/attachments/" + strconv.Itoa(attachment)); r.status != http.StatusOK ||
			r.body != "%PDF-1.4 ricevuta-affitto-ottobre" {
			t.Errorf("the receipt: %d", r.status)
		}
		r = postExpense(sw, "/api/v1"+path+"/expenses", url.Values{"domain": {"housing"}, "action": {"0"}, "amount_cents": {"15000"},
			"spent_on": {today}, "description": {"Caparra"}})
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"spent_cents":45000`) || !strings.Contains(r.body, `"receipt_url":"/api/v1/cases/`) {
			t.Fatalf("the API recording an expense: %d %s", r.status, r.body)
		}
		if r := postExpense(other, "/api/v1"+path+"/expenses", url.Values{"domain": {"housing"}, "action": {"0"}, "amount_cents": {"100"},
			"spent_on": {today}, "description": {"x"}}); r.status != http.StatusNotFound || expenses() != 2 {
			t.Errorf("another organisation recording an expense: %d", r.status)
		}
		if r := sw.get(path); !strings.Contains(r.body, "Affitto di ottobre") || !strings.Contains(r.body, "Speso finora: 450,00 €") {
			t.Error("the project does not show its expenses")
		}

		r = sw.api("GET", "/api/v1"+path+"/compare?a=1&b=2", "")
		for _, want := range []string{`"field":"goals.housing.objective"`, `"a":"Una casa in autonomia"`, `"b":"Una casa condivisa con due amici"`,
			`"field":"review_every_months"`, `"field":"goals.language.objective"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the comparison of versions 1 and 2 lacks %s: %s", want, r.body)
			}
		}
		if r := sw.get(path + "/compare?a=1&b=2"); r.status != http.StatusOK || !strings.Contains(r.body, "Casa — Obiettivo") {
			t.Errorf("the comparison page: %d", r.status)
		}
		if r := sw.api("GET", "/api/v1"+path+"/compare?a=7", ""); r.status != http.StatusUnprocessableEntity {
			t.Errorf("comparing a version that does not exist: %d", r.status)
		}

		// Another organisation sees nothing; the history is on the
		// timeline and in the audit log.
		for _, p := range []string{path, "/api/v1" + path, path + "/compare?a=1&b=2"} {
			if r := other.get(p); r.status != http.StatusNotFound {
				t.Errorf("another organisation on %s: %d", p, r.status)
			}
		}
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10) + "/timeline"); !strings.Contains(r.body, "Progetto approvato") ||
			!strings.Contains(r.body, "Progetto restituito con osservazioni") {
			t.Error("the timeline does not tell the project's history")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type IN ('project', 'project_review', 'project_expense') AND case_id = ?`, id); n != 19 {
			t.Errorf("%d audit entries for the project, want 19: three drafts, four co-signatures, four submissions, a return, three approvals, two reviews and two expenses", n)
		}
	})
}
