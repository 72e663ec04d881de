package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo/internal/store"
)

// idOf returns the id of the row of table whose column code equals value.
func idOf(t *testing.T, db *store.DB, table, value string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM `+table+` WHERE code = ?`, value).Scan(&id)
	})
	if err != nil {
		t.Fatalf("%s %s: %v", table, value, err)
	}
	return id
}

// reportAPI sends a JSON request with the anti-forgery header of a signed-in
// client.
func (c *client) reportAPI(method, path, body string) response {
	c.e.t.Helper()
	return c.do(method, path, strings.NewReader(body), map[string]string{"Content-Type": "application/json",
		"X-CSRF-Token": c.token("/")})
}

var reportLocation = regexp.MustCompile(`^/reports/(\d+)\?filed$`)

// fileReport files a report through the form and returns its id.
func (c *client) fileReport(form url.Values) int64 {
	c.e.t.Helper()
	form.Set("csrf_token", c.token("/reports/new"))
	r := c.post("/reports", form)
	m := reportLocation.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		c.e.t.Fatalf("filing a report: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// reportCode returns the code of report id.
func reportCode(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	ctx := context.Background()
	var code string
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT code FROM reports WHERE id = ?`, id).Scan(&code)
	}); err != nil {
		t.Fatal(err)
	}
	return code
}

// TestReportFromSchoolToTakingCharge follows a report from the school's
// referent to the social worker who screens it and takes charge: the
// reporter sees only the outcome, never the screening nor the case; a case
// opens linked to the report with its timeline; the reporter is told by the
// report's code; every step is audited.
func TestReportFromSchoolToTakingCharge(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato := idOf(t, db, "areas", "FI-PO")
		sds := idOf(t, db, "organisations", "SDS-PRATO")
		const subject, observed = "Alunna di 10 anni della classe quinta (Prova-Soggetto-41c2)", "Ha raccontato alla maestra di essere picchiata (Prova-Osservato-9d7e)"

		rep := e.client()
		rep.login("segnalante")
		if r := rep.get("/reports/new"); r.status != 200 || !strings.Contains(r.body, `name="subject"`) ||
			strings.Contains(r.body, `name="recorded_call"`) || !strings.Contains(r.body, `value="school" selected`) {
			t.Fatalf("the reporter's form: %d", r.status)
		}
		id := rep.fileReport(url.Values{"urgency": {"urgent"}, "channel": {"school"}, "area_id": {strconv.FormatInt(prato, 10)},
			"subject": {subject}, "observed": {observed}})
		code := reportCode(t, db, id)
		path := "/reports/" + strconv.FormatInt(id, 10)
		if n := count(t, db, `SELECT COUNT(*) FROM reports WHERE id = ? AND addressed_org_id = ? AND status = 'received'`, id, sds); n != 1 {
			t.Fatalf("the report did not go to the area's social service")
		}
		if r := rep.get(path + "?filed"); r.status != 200 || !strings.Contains(r.body, subject) || !strings.Contains(r.body, observed) ||
			!strings.Contains(r.body, "Ricevuta") || strings.Contains(r.body, "/screening") {
			t.Fatalf("the reporter's report: %d", r.status)
		}
		if r := rep.get("/"); !strings.Contains(r.body, code) || !strings.Contains(r.body, "Le tue segnalazioni") {
			t.Errorf("the reporter's home does not list the report")
		}
		// Nobody else who files reports sees it.
		for _, who := range []string{"operatore", "sanitario", "antitratta"} {
			c := e.client()
			c.login(who)
			for _, p := range []string{path, "/api/v1" + path, path + "/screening"} {
				if r := c.get(p); r.status != 404 {
					t.Errorf("%s on %s: %d, want 404", who, p, r.status)
				}
			}
			if r := c.get("/reports"); strings.Contains(r.body, code) {
				t.Errorf("%s lists another reporter's report", who)
			}
		}
		// Another service does not see it either.
		other := e.client()
		other.login("as.roma")
		if r := other.get(path); r.status != 404 {
			t.Errorf("another service on the report: %d", r.status)
		}

		// The social worker of the service finds it in the inbox, marked
		// urgent in words.
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/"); !strings.Contains(r.body, `data-test="reports-waiting"`) {
			t.Errorf("the social worker's home does not count the reports waiting")
		}
		if r := sw.get("/reports?urgency=urgent"); r.status != 200 || !strings.Contains(r.body, code) ||
			!strings.Contains(r.body, "da trattare entro oggi") {
			t.Fatalf("the inbox: %d", r.status)
		}
		if r := sw.get("/reports?status=decided"); strings.Contains(r.body, code) {
			t.Errorf("the status filter lets an undecided report through")
		}
		if r := sw.get("/api/v1/reports?urgency=urgent&channel=school"); r.status != 200 || !strings.Contains(r.body, `"code":"`+code+`"`) {
			t.Errorf("the inbox in the API: %d %s", r.status, r.body)
		}
		r := sw.get(path + "/screening")
		if r.status != 200 || !strings.Contains(r.body, "Violenza sui minori") || !strings.Contains(r.body, observed) ||
			!strings.Contains(r.body, `value="trafficking.DebtBondage"`) {
			t.Fatalf("the screening form: %d", r.status)
		}
		// A draft, then a save from the same old version: stale.
		tok := sw.token(path + "/screening")
		r = sw.post(path+"/screening", url.Values{"csrf_token": {tok}, "action": {"save"}, "version": {"0"},
			"answers": {"violence_minor.fear_of_home", "violence_minor.disclosure"}})
		if r.status != 303 || r.header.Get("Location") != path+"/screening?saved" {
			t.Fatalf("a draft: %d %s", r.status, r.body)
		}
		if r := rep.get(path); !strings.Contains(r.body, "In valutazione") {
			t.Errorf("the reporter does not see the report being screened")
		}
		r = sw.post(path+"/screening", url.Values{"csrf_token": {tok}, "action": {"save"}, "version": {"0"},
			"reasons": {"Testo scritto in una seconda finestra"}})
		if r.status != 409 || !strings.Contains(r.body, "Testo scritto in una seconda finestra") || !strings.Contains(r.body, `id="conflict"`) ||
			!strings.Contains(r.body, "Il minore racconta di aver subito violenza") || !strings.Contains(r.body, `name="version" value="1"`) {
			t.Fatalf("a stale screening: %d", r.status)
		}
		// Deciding needs reasons, and taking charge a kind of case.
		r = sw.post(path+"/screening", url.Values{"csrf_token": {tok}, "action": {"decide"}, "version": {"1"}, "decision": {"take_charge"}})
		if r.status != 422 || !strings.Contains(r.body, `href="#reasons"`) || !strings.Contains(r.body, `href="#case_kind"`) {
			t.Fatalf("a decision without reasons or kind: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM cases WHERE report_id = ?`, id); n != 0 {
			t.Fatalf("a refused decision opened a case")
		}
		r = sw.post(path+"/screening", url.Values{"csrf_token": {tok}, "action": {"decide"}, "version": {"1"}, "decision": {"take_charge"},
			"answers": {"violence_minor.fear_of_home", "violence_minor.disclosure", "gbv.physical_assault"}, "trafficking_status": {""},
			"case_kind": {"minor_family_violence"}, "case_stage": {"assessment"},
			"reasons": {"Racconto diretto della bambina, confermato dalla scuola (Prova-Motivi-5b1a)"}})
		m := regexp.MustCompile(`^/cases/(\d+)$`).FindStringSubmatch(r.header.Get("Location"))
		if r.status != 303 || m == nil {
			t.Fatalf("taking charge: %d %s", r.status, r.body)
		}
		caseID, _ := strconv.ParseInt(m[1], 10, 64)
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM cases WHERE id = ? AND report_id = ` + strconv.FormatInt(id, 10) + ` AND owner_org_id = ` +
				strconv.FormatInt(sds, 10) + ` AND stage = 'assessment' AND kind = 'minor_family_violence'`: 1,
			`SELECT COUNT(*) FROM reports WHERE case_id = ? AND status = 'decided' AND outcome = 'taken_charge'`:                                               1,
			`SELECT COUNT(*) FROM screenings WHERE case_id = ? AND decision = 'take_charge'`:                                                                   1,
			`SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind IN ('opened', 'screened')`:                                                            2,
			`SELECT COUNT(*) FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = ? AND u.username = 'assistente.sociale' AND t.role = 'owner'`: 1,
			`SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND record_type = 'case' AND action = 'create'`:                                                  1,
		} {
			if n := count(t, db, q, caseID); n != want {
				t.Errorf("%s: %d, want %d", q, n, want)
			}
		}
		if r := sw.get("/cases/" + m[1] + "/timeline"); !strings.Contains(r.body, "Segnalazione valutata") {
			t.Errorf("the timeline does not record the screening")
		}
		// The reporter is told, by the report's code.
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'segnalante' AND n.kind = 'report_outcome' AND n.case_code = ? AND n.case_id IS NULL`, code); n != 1 {
			t.Errorf("the reporter got %d notifications", n)
		}
		r = rep.get("/")
		if !strings.Contains(r.body, "La segnalazione "+code+" ha un esito") || !strings.Contains(r.body, "Presa in carico") {
			t.Errorf("the reporter's home shows no outcome")
		}
		// ... and sees the outcome only.
		if r := rep.get(path); r.status != 200 || !strings.Contains(r.body, "Presa in carico") || strings.Contains(r.body, "/cases/") ||
			strings.Contains(r.body, "Prova-Motivi") {
			t.Errorf("the reporter's view after the decision: %d", r.status)
		}
		for _, p := range []string{"/cases/" + m[1], "/api/v1/cases/" + m[1], path + "/screening", path + "/edit"} {
			if r := rep.get(p); r.status != 404 {
				t.Errorf("the reporter on %s: %d, want 404", p, r.status)
			}
		}
		var got map[string]any
		r = rep.get("/api/v1" + path)
		json.Unmarshal([]byte(r.body), &got)
		if got["progress"] != "taken_charge" || got["full"] != false || got["case_id"] != nil || got["screening"] != nil {
			t.Errorf("the reporter's report in the API: %s", r.body)
		}
		r = sw.get("/api/v1" + path)
		json.Unmarshal([]byte(r.body), &got)
		if got["full"] != true || got["case_id"] != float64(caseID) || !strings.Contains(r.body, "Prova-Motivi") {
			t.Errorf("the social worker's report in the API: %s", r.body)
		}
		// A decided report cannot be screened or corrected again.
		if r := sw.post(path+"/screening", url.Values{"csrf_token": {tok}, "action": {"save"}, "version": {"3"}}); r.status != 409 {
			t.Errorf("screening a decided report: %d", r.status)
		}
		// Every step is in the audit log, without the values.
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM audit_log WHERE record_type = 'report' AND record_id = ? AND action = 'create'`:                                                                 1,
			`SELECT COUNT(*) FROM audit_log WHERE record_type = 'report' AND record_id = ? AND action = 'read'`:                                                                   4,
			`SELECT COUNT(*) FROM audit_log WHERE record_type = 'report' AND record_id = ? AND action = 'update'`:                                                                 2,
			`SELECT COUNT(*) FROM audit_log WHERE record_type = 'screening' AND action = 'create' AND record_id IN (SELECT CAST(id AS TEXT) FROM screenings WHERE report_id = ?)`: 1,
		} {
			if n := count(t, db, q, strconv.FormatInt(id, 10)); n < want {
				t.Errorf("%s: %d, want at least %d", q, n, want)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE fields LIKE ?`, "%Prova-%"); n != 0 {
			t.Errorf("the audit log holds a value")
		}
	})
}

// TestReportOutcomesThroughTheAPI files a report through the API and a call
// recorded by the social worker, refers one and closes the other with no
// action, and checks that the reporter learns the outcome.
func TestReportOutcomesThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato := strconv.FormatInt(idOf(t, db, "areas", "FI-PO"), 10)
		op := e.client()
		op.login("operatore")
		r := op.reportAPI("POST", "/api/v1/reports", `{"urgency":"soon","area_id":`+prato+`,"subject":"Ragazzo ospite della comunità",
			"observed":"Rientra la sera con denaro di cui non sa spiegare la provenienza"}`)
		var created struct {
			ID       int64
			Code     string
			Full     bool
			Channel  string
			Progress string
			Version  int
		}
		if err := json.Unmarshal([]byte(r.body), &created); r.status != 201 || err != nil || created.Full || created.Channel != "partner" ||
			created.Progress != "received" {
			t.Fatalf("filing through the API: %d %s", r.status, r.body)
		}
		sw := e.client()
		sw.login("assistente.sociale")
		r = sw.reportAPI("POST", "/api/v1/reports", `{"recorded_call":true,"reporter":"Operatrice del 1522, turno di notte","channel":"hotline",
			"urgency":"immediate","area_id":`+prato+`,"subject":"Donna con due figli piccoli","observed":"Chiede aiuto per uscire di casa"}`)
		var call struct {
			ID             int64
			ReporterUserID *int64 `json:"reporter_user_id"`
			Full           bool
		}
		if err := json.Unmarshal([]byte(r.body), &call); r.status != 201 || err != nil || call.ReporterUserID != nil || !call.Full {
			t.Fatalf("recording a call: %d %s", r.status, r.body)
		}
		// The educator may not record calls for others.
		if r := op.reportAPI("POST", "/api/v1/reports", `{"recorded_call":true,"reporter":"Un vicino","urgency":"soon","area_id":`+prato+`,
			"subject":"x","observed":"y"}`); r.status != 422 || !strings.Contains(r.body, `"recorded_call"`) {
			t.Errorf("an educator recording a call: %d %s", r.status, r.body)
		}

		id := strconv.FormatInt(created.ID, 10)
		r = sw.reportAPI("PUT", "/api/v1/reports/"+id+"/screening", `{"decision":"refer","reasons":"Invio al Consultorio familiare della zona, che segue già il ragazzo"}`)
		if r.status != 200 || !strings.Contains(r.body, `"progress":"referred"`) || !strings.Contains(r.body, `"decision":"refer"`) {
			t.Fatalf("referring: %d %s", r.status, r.body)
		}
		if r := op.get("/api/v1/reports/" + id); !strings.Contains(r.body, `"progress":"referred"`) || strings.Contains(r.body, "Consultorio") {
			t.Errorf("the educator's view of the referral: %s", r.body)
		}
		if r := op.get("/reports"); !strings.Contains(r.body, created.Code) || !strings.Contains(r.body, "Inviata ad altro servizio") {
			t.Errorf("the educator's list does not show the outcome")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'report_outcome' AND case_code = ?`, created.Code); n != 1 {
			t.Errorf("%d notifications of the referral", n)
		}
		// No action, through the form.
		callPath := "/reports/" + strconv.FormatInt(call.ID, 10)
		r = sw.post(callPath+"/screening", url.Values{"csrf_token": {sw.token(callPath + "/screening")}, "action": {"decide"},
			"version": {"0"}, "decision": {"no_action"}, "reasons": {"La signora è già seguita dal centro antiviolenza"}})
		if r.status != 303 || r.header.Get("Location") != callPath+"?saved" {
			t.Fatalf("no action: %d %s", r.status, r.body)
		}
		if r := sw.get(callPath); !strings.Contains(r.body, "Nessun intervento") {
			t.Errorf("the report does not show no action")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM cases WHERE report_id IN (?, ?)`, created.ID, call.ID); n != 0 {
			t.Errorf("a referral or no action opened a case")
		}
		// Deciding again is a conflict.
		if r := sw.reportAPI("PUT", "/api/v1/reports/"+id+"/screening", `{"version":1,"decision":"no_action","reasons":"di nuovo"}`); r.status != 409 {
			t.Errorf("deciding twice: %d %s", r.status, r.body)
		}
	})
}

// TestReportBadInput sends every kind of bad input, through the form and
// the API, and finds a clear message naming the field and nothing written.
func TestReportBadInput(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato := strconv.FormatInt(idOf(t, db, "areas", "FI-PO"), 10)
		rome := strconv.FormatInt(idOf(t, db, "organisations", "RM-MSNA"), 10)
		school := strconv.FormatInt(idOf(t, db, "organisations", "IC-PRATO"), 10)
		future := time.Now().Add(48 * time.Hour)
		rep := e.client()
		rep.login("segnalante")
		before := count(t, db, `SELECT COUNT(*) FROM reports`)
		valid := func() url.Values {
			return url.Values{"urgency": {"soon"}, "channel": {"school"}, "area_id": {prato}, "subject": {"Un alunno"},
				"observed": {"Piange spesso in classe"}}
		}
		for _, c := range []struct {
			name, field, value, message string
		}{
			{"unknown channel", "channel", "carrier_pigeon", "Canale"},
			{"unknown urgency", "urgency", "whenever", "Urgenza"},
			{"unknown area", "area_id", "99999999", "Ambito"},
			{"unknown organisation", "addressed_org_id", "99999999", "Servizio a cui è rivolta"},
			{"an organisation of another area", "addressed_org_id", rome, "Servizio a cui è rivolta"},
			{"not a social service", "addressed_org_id", school, "Servizio a cui è rivolta"},
			{"empty subject", "subject", "  ", "Di chi si tratta"},
			{"empty observation", "observed", "", "Che cosa è stato osservato"},
			{"over-long observation", "observed", strings.Repeat("a", 20001), "Che cosa è stato osservato"},
			{"received in the future", "received_at", future.Format("2006-01-02T15:04"), "Ricevuta il"},
			{"a malformed time", "received_at", "ieri sera", "Ricevuta il"},
		} {
			form := valid()
			form.Set(c.field, c.value)
			form.Set("csrf_token", rep.token("/reports/new"))
			r := rep.post("/reports", form)
			if r.status != 422 || !strings.Contains(r.body, `href="#`+c.field+`"`) || !strings.Contains(r.body, c.message) {
				t.Errorf("%s: %d", c.name, r.status)
			}
			if c.field != "subject" && !strings.Contains(r.body, "Un alunno") {
				t.Errorf("%s: the form lost what was typed", c.name)
			}
		}
		for _, c := range []struct{ name, body, field string }{
			{"unknown channel", `{"channel":"fax","urgency":"soon","area_id":` + prato + `,"subject":"x","observed":"y"}`, "channel"},
			{"unknown area", `{"urgency":"soon","area_id":99999999,"subject":"x","observed":"y"}`, "area_id"},
			{"no area", `{"urgency":"soon","subject":"x","observed":"y"}`, "area_id"},
			{"empty subject", `{"urgency":"soon","area_id":` + prato + `,"subject":"","observed":"y"}`, "subject"},
			{"future", `{"urgency":"soon","area_id":` + prato + `,"subject":"x","observed":"y","received_at":"` + future.UTC().Format(time.RFC3339) + `"}`, "received_at"},
			{"unknown field", `{"urgency":"soon","area_id":` + prato + `,"subject":"x","observed":"y","colour":"red"}`, ""},
		} {
			r := rep.reportAPI("POST", "/api/v1/reports", c.body)
			if r.status != 422 || c.field != "" && !strings.Contains(r.body, `"`+c.field+`"`) {
				t.Errorf("API %s: %d %s", c.name, r.status, r.body)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM reports`); n != before {
			t.Fatalf("bad input wrote %d reports", n-before)
		}

		// Screening: unknown indicators, a decision without reasons, taking
		// charge without a kind.
		sw := e.client()
		sw.login("assistente.sociale")
		var id int64
		ctx := context.Background()
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT MIN(r.id) FROM reports r JOIN organisations o ON o.id = r.addressed_org_id
				WHERE o.code = 'SDS-PRATO' AND r.status = 'received'`).Scan(&id)
		})
		p := "/api/v1/reports/" + strconv.FormatInt(id, 10)
		screenings := count(t, db, `SELECT COUNT(*) FROM screenings`)
		for _, c := range []struct{ name, body, field string }{
			{"unknown indicator", `{"draft":true,"answers":{"violence_minor":["flying_saucer"]}}`, "answers"},
			{"unknown checklist", `{"draft":true,"answers":{"astrology":["mercury"]}}`, "answers"},
			{"unknown trafficking status", `{"draft":true,"trafficking_status":"maybe"}`, "trafficking_status"},
			{"a decision without reasons", `{"decision":"refer"}`, "reasons"},
			{"no decision", `{"reasons":"perché sì"}`, "decision"},
			{"an unknown decision", `{"decision":"shrug","reasons":"perché sì"}`, "decision"},
			{"take charge without a kind", `{"decision":"take_charge","reasons":"serve"}`, "case_kind"},
			{"take charge with an unknown kind", `{"decision":"take_charge","reasons":"serve","case_kind":"alien"}`, "case_kind"},
			{"a programme of another area", `{"decision":"take_charge","reasons":"serve","case_kind":"unaccompanied_minor","case_programme_id":` +
				strconv.FormatInt(idOf(t, db, "programmes", "SATIS"), 10) + `}`, "case_programme_id"},
			{"a stage a case cannot open at", `{"decision":"take_charge","reasons":"serve","case_kind":"unaccompanied_minor","case_stage":"closure"}`, "case_stage"},
		} {
			r := sw.reportAPI("PUT", p+"/screening", c.body)
			if r.status != 422 || !strings.Contains(r.body, `"`+c.field+`"`) {
				t.Errorf("screening with %s: %d %s", c.name, r.status, r.body)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM screenings`); n != screenings {
			t.Fatalf("bad screenings wrote %d rows", n-screenings)
		}
		// The screening form shows an unknown indicator beside the checklists.
		r := sw.post("/reports/"+strconv.FormatInt(id, 10)+"/screening", url.Values{"csrf_token": {sw.token("/")}, "action": {"save"},
			"answers": {"violence_minor.flying_saucer"}, "reasons": {"scritto a mano"}})
		if r.status != 422 || !strings.Contains(r.body, `href="#answers"`) || !strings.Contains(r.body, "flying_saucer") ||
			!strings.Contains(r.body, "scritto a mano") {
			t.Errorf("the form with an unknown indicator: %d", r.status)
		}

		// A correction from a stale version: 409 in the API; in the form,
		// what was saved beside what was typed.
		r = sw.get(p)
		var cur struct {
			Version int
			Subject string
			AreaID  int64 `json:"area_id"`
			Urgency string
			Channel string
		}
		json.Unmarshal([]byte(r.body), &cur)
		body := func(version int, subject string) string {
			return `{"version":` + strconv.Itoa(version) + `,"urgency":"immediate","channel":"` + cur.Channel + `","area_id":` +
				strconv.FormatInt(cur.AreaID, 10) + `,"subject":"` + subject + `","observed":"Corretto"}`
		}
		if r := sw.reportAPI("PUT", p, body(cur.Version, "Corretto dal servizio")); r.status != 200 || !strings.Contains(r.body, `"urgency":"immediate"`) {
			t.Fatalf("a correction: %d %s", r.status, r.body)
		}
		if r := sw.reportAPI("PUT", p, body(cur.Version, "Da una finestra vecchia")); r.status != 409 {
			t.Errorf("a stale correction through the API: %d", r.status)
		}
		edit := "/reports/" + strconv.FormatInt(id, 10)
		r = sw.post(edit, url.Values{"csrf_token": {sw.token("/")}, "version": {strconv.Itoa(cur.Version)}, "urgency": {"routine"},
			"channel": {cur.Channel}, "area_id": {strconv.FormatInt(cur.AreaID, 10)}, "subject": {"Da una finestra vecchia"}, "observed": {"Corretto"}})
		if r.status != 409 || !strings.Contains(r.body, "Da una finestra vecchia") || !strings.Contains(r.body, "Corretto dal servizio") ||
			!strings.Contains(r.body, `name="version" value="`+strconv.Itoa(cur.Version+1)+`"`) {
			t.Errorf("a stale correction through the form: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'report' AND record_id = ? AND action = 'update' AND fields LIKE ?`,
			strconv.FormatInt(id, 10), "%subject%"); n != 1 {
			t.Errorf("the correction is audited %d times", n)
		}
		// A reporter cannot correct or screen.
		if r := rep.reportAPI("PUT", p, body(cur.Version+1, "x")); r.status != 404 {
			t.Errorf("a reporter correcting: %d", r.status)
		}
	})
}

// TestChecklistEditing has an administrator add a checklist and deactivate
// an indicator, through the form and the API, audited; screeners then no
// longer see the indicator; nobody else may edit checklists.
func TestChecklistEditing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		adm := e.client()
		adm.login("admin")
		if r := adm.get("/admin"); !strings.Contains(r.body, `href="/admin/indicator-sets"`) {
			t.Errorf("the administration does not link the checklists")
		}
		if r := adm.get("/admin/indicator-sets"); r.status != 200 || !strings.Contains(r.body, "Tratta e sfruttamento") {
			t.Fatalf("the checklists: %d", r.status)
		}
		r := adm.get("/admin/indicator-sets/violence_minor")
		if r.status != 200 || !strings.Contains(r.body, `value="school_absence"`) {
			t.Fatalf("a checklist's form: %d", r.status)
		}
		// Post the checklist back as it is, but with school absence inactive.
		form := url.Values{"csrf_token": {adm.token("/")}, "name_it": {"Violenza sui minori"}, "name_en": {"Violence against minors"},
			"position": {"1"}, "active": {"1"}}
		ctx := context.Background()
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT code, label_it, label_en, field_group, position FROM indicators
				WHERE set_code = 'violence_minor' ORDER BY position`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for i := 0; rows.Next(); i++ {
				var code, it, en, group string
				var pos int
				if err := rows.Scan(&code, &it, &en, &group, &pos); err != nil {
					return err
				}
				p := "indicators." + strconv.Itoa(i) + "."
				form.Set(p+"saved", "1")
				form.Set(p+"code", code)
				form.Set(p+"label_it", it)
				form.Set(p+"label_en", en)
				form.Set(p+"field_group", group)
				form.Set(p+"position", strconv.Itoa(pos))
				if code != "school_absence" {
					form.Set(p+"active", "1")
				}
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		form.Set("indicators.99.code", "") // a blank row for a new indicator is ignored
		form.Set("name_it", "")
		if r := adm.post("/admin/indicator-sets/violence_minor", form); r.status != 422 || !strings.Contains(r.body, `href="#name_it"`) {
			t.Fatalf("a checklist without a name: %d", r.status)
		}
		form.Set("name_it", "Violenza sui minori")
		if r := adm.post("/admin/indicator-sets/violence_minor", form); r.status != 303 {
			t.Fatalf("saving a checklist: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicators WHERE set_code = 'violence_minor' AND active = FALSE`); n != 1 {
			t.Fatalf("%d inactive indicators", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'indicator_set' AND record_id = 'violence_minor'
			AND action = 'update' AND fields = 'indicators.school_absence.active'`); n != 1 {
			var f string
			db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT fields FROM audit_log WHERE record_type = 'indicator_set' ORDER BY seq DESC LIMIT 1`).Scan(&f)
			})
			t.Errorf("the change is not audited with its field: %s", f)
		}
		// A new checklist through the API, then a label changed.
		body := `{"code":"early_signs","name_it":"Segnali precoci","name_en":"Early signs","position":5,
			"indicators":[{"code":"sleep","label_it":"Disturbi del sonno","label_en":"Sleep problems","field_group":"health","position":1}]}`
		if r := adm.reportAPI("POST", "/api/v1/indicator-sets", body); r.status != 201 || !strings.Contains(r.body, `"active":true`) {
			t.Fatalf("a new checklist: %d %s", r.status, r.body)
		}
		if r := adm.reportAPI("POST", "/api/v1/indicator-sets", body); r.status != 409 {
			t.Errorf("a checklist code taken twice: %d", r.status)
		}
		if r := adm.reportAPI("POST", "/api/v1/indicator-sets", `{"code":"bad code","name_it":"x","name_en":"y",
			"indicators":[{"code":"a","label_it":"","label_en":"z","field_group":"astrology"}]}`); r.status != 422 ||
			!strings.Contains(r.body, `"code"`) || !strings.Contains(r.body, `"indicators.0.label_it"`) || !strings.Contains(r.body, `"indicators.0.field_group"`) {
			t.Errorf("a bad checklist: %d %s", r.status, r.body)
		}
		r = adm.reportAPI("PUT", "/api/v1/indicator-sets/early_signs", `{"code":"early_signs","name_it":"Segnali precoci","name_en":"Early signs","position":5,
			"indicators":[{"code":"sleep","label_it":"Disturbi del sonno o dell'appetito","label_en":"Sleep or appetite problems","field_group":"health","position":1}]}`)
		if r.status != 200 || !strings.Contains(r.body, "appetito") {
			t.Fatalf("editing a checklist: %d %s", r.status, r.body)
		}
		// Screeners see the new checklist, not the inactive indicator.
		sw := e.client()
		sw.login("assistente.sociale")
		var id int64
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT MIN(r.id) FROM reports r JOIN organisations o ON o.id = r.addressed_org_id
				WHERE o.code = 'SDS-PRATO' AND r.status <> 'decided'`).Scan(&id)
		})
		r = sw.get("/reports/" + strconv.FormatInt(id, 10) + "/screening")
		if !strings.Contains(r.body, "Segnali precoci") || strings.Contains(r.body, `value="violence_minor.school_absence"`) {
			t.Errorf("the screening form does not follow the checklists")
		}
		if r := sw.get("/api/v1/indicator-sets"); r.status != 200 || strings.Contains(r.body, "school_absence") {
			t.Errorf("a screener's checklists: %d", r.status)
		}
		// Nobody else edits the checklists.
		for _, who := range []string{"assistente.sociale", "segnalante", "capofila"} {
			c := e.client()
			c.login(who)
			for _, p := range []string{"/admin/indicator-sets", "/admin/indicator-sets/gbv", "/admin/indicator-sets/new"} {
				if r := c.get(p); r.status != 404 {
					t.Errorf("%s on %s: %d", who, p, r.status)
				}
			}
			if r := c.reportAPI("PUT", "/api/v1/indicator-sets/gbv", `{"name_it":"x","name_en":"y"}`); r.status != 404 {
				t.Errorf("%s editing a checklist through the API: %d", who, r.status)
			}
		}
	})
}
