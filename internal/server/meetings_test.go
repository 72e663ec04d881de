package server_test

import (
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

// privateCase returns an open case of the Prato social worker's whose team
// the health professional is not on, and its code.
func privateCase(t *testing.T, db *store.DB) (int64, string) {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MAX(c.id), 0) FROM cases c JOIN users w ON w.id = c.case_worker_id
		WHERE w.username = 'assistente.sociale' AND c.closed_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM case_team m JOIN users u ON u.id = m.user_id WHERE m.case_id = c.id AND u.username = 'sanitario')`))
	if id == 0 {
		t.Fatal("the demo has no open case of the social worker's without the health professional on its team")
	}
	for _, c := range caseCodes(t, db) {
		if c.id == id {
			return id, c.code
		}
	}
	return id, ""
}

func TestMeetingsMinutesDecisionsAndRedaction(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		shared, sharedCode := taskCase(t, db)
		private, privateCode := privateCase(t, db)
		operator, health := secUserID(t, db, "operatore"), secUserID(t, db, "sanitario")
		meetingsCount := func() int { return count(t, db, `SELECT COUNT(*) FROM meetings`) }
		before := meetingsCount()
		id := func(n int64) string { return strconv.FormatInt(n, 10) }

		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/"); !strings.Contains(r.body, `href="/meetings"`) {
			t.Error("the navigation lacks the meetings")
		}
		tok := sw.token("/meetings/new")
		starts := time.Now().In(approdo.Rome).Add(48 * time.Hour).Format("2006-01-02T15:04")
		good := url.Values{"csrf_token": {tok}, "kind": {"multidisciplinary"}, "meeting_title": {"Équipe di prova"},
			"starts_at": {starts}, "place": {"Sala riunioni"}, "participants": {id(operator), id(health)},
			"cases": {id(shared), id(private)}}

		// Bad input is refused field by field, and nothing is written.
		bad := url.Values{"csrf_token": {tok}, "kind": {"multidisciplinary"}, "meeting_title": {"Équipe"},
			"starts_at": {"lunedì mattina"}, "place": {"Sala"}}
		r := sw.post("/meetings", bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#participants"`) ||
			!strings.Contains(r.body, `href="#starts_at"`) || !strings.Contains(r.body, "«Partecipanti»") {
			t.Fatalf("a meeting with no participants and an unreadable date: %d", r.status)
		}
		if meetingsCount() != before {
			t.Fatal("a refused meeting was written")
		}

		r = sw.post("/meetings", good)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/meetings/") {
			t.Fatalf("calling a meeting: %d %s", r.status, r.body)
		}
		path := strings.TrimSuffix(r.header.Get("Location"), "?saved=1")
		meeting, _ := strconv.ParseInt(strings.TrimPrefix(path, "/meetings/"), 10, 64)
		if r := sw.get(path); r.status != http.StatusOK || !strings.Contains(r.body, sharedCode) || !strings.Contains(r.body, privateCode) ||
			!strings.Contains(r.body, "Luca Mancini") || !strings.Contains(r.body, "Marco Gentili") {
			t.Fatalf("the organiser's meeting: %d", r.status)
		}

		// Minutes of a case and a decision, in the UI.
		tok = sw.token(path)
		const minutes = "Verbale di prova sul caso (Prova-Verbale-3c9e)"
		if r := sw.post(path+"/minutes", url.Values{"csrf_token": {tok}, "case_id": {id(shared)}, "minutes": {minutes}}); r.status != http.StatusSeeOther {
			t.Fatalf("the minutes of a case: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM meeting_cases WHERE minutes_sealed LIKE ?`, "%Prova-Verbale%"); n != 0 {
			t.Error("minutes are stored in clear")
		}
		decisions := func() int {
			return count(t, db, `SELECT COUNT(*) FROM meeting_decisions WHERE meeting_id = ?`, meeting)
		}
		tasks := func() int { return count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ?`, shared) }
		tasksBefore := tasks()
		due := time.Now().In(approdo.Rome).Add(14 * 24 * time.Hour).Format("2006-01-02T15:04")
		r = sw.post(path+"/decisions", url.Values{"csrf_token": {tok}, "case_id": {id(shared)}, "text": {"Fare qualcosa"},
			"responsible_id": {id(secUserID(t, db, "capofila"))}, "due_at": {"domani"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#decision-responsible_id"`) ||
			!strings.Contains(r.body, `href="#decision-due_at"`) {
			t.Fatalf("a decision given to someone off the team: %d", r.status)
		}
		if decisions() != 0 || tasks() != tasksBefore {
			t.Fatal("a refused decision was written")
		}
		const decision = "Iscrivere al corso di italiano (Prova-Decisione-81ab)"
		r = sw.post(path+"/decisions", url.Values{"csrf_token": {tok}, "case_id": {id(shared)}, "text": {decision},
			"responsible_id": {id(operator)}, "due_at": {due}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("a decision: %d %s", r.status, r.body)
		}
		if decisions() != 1 || tasks() != tasksBefore+1 {
			t.Fatal("the decision did not become a task")
		}
		if r := sw.get("/cases/" + id(shared) + "/tasks"); !strings.Contains(r.body, decision) {
			t.Error("the decision's task is not among the case's tasks")
		}
		if r := sw.get("/cases/" + id(shared) + "/timeline"); !strings.Contains(r.body, "Decisione di una riunione") {
			t.Error("the decision is not on the case's timeline")
		}

		// The operator takes part and works on the case: they read its
		// minutes and decisions.
		op := e.client()
		op.login("operatore")
		r = op.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, sharedCode) || !strings.Contains(r.body, minutes) ||
			!strings.Contains(r.body, decision) {
			t.Fatalf("the operator's meeting: %d", r.status)
		}
		if r := op.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"task_assigned"`) {
			t.Error("the responsible was not told of the decision's task")
		}
		// The health professional takes part, but is not on the second
		// case's team: it is redacted, in the UI and in the API.
		hp := e.client()
		hp.login("sanitario")
		r = hp.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Caso riservato") || strings.Contains(r.body, privateCode) ||
			!strings.Contains(r.body, "Sala riunioni") {
			t.Errorf("the health professional's meeting: %d, or the case they may not read is not redacted", r.status)
		}
		r = hp.get("/api/v1/meetings/" + id(meeting))
		var view struct {
			Agenda []struct {
				Redacted bool   `json:"redacted"`
				CaseID   *int64 `json:"case_id"`
				Code     string `json:"case_code"`
			} `json:"agenda"`
		}
		if err := json.Unmarshal([]byte(r.body), &view); err != nil || r.status != http.StatusOK || len(view.Agenda) != 2 {
			t.Fatalf("the meeting in the API: %d %s", r.status, r.body)
		}
		if !view.Agenda[1].Redacted || view.Agenda[1].CaseID != nil || view.Agenda[1].Code != "" || strings.Contains(r.body, privateCode) {
			t.Errorf("the API shows the case the health professional may not read: %s", r.body)
		}
		// Minutes on a case the writer cannot see: refused, nothing written.
		auditBefore := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'meeting' AND action = 'update'`)
		r = hp.api("POST", "/api/v1/meetings/"+id(meeting)+"/minutes", fmt.Sprintf(`{"case_id": %d, "minutes": "Non dovrei"}`, private))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"case_id"`) {
			t.Errorf("minutes on a case the health professional cannot see: %d %s", r.status, r.body)
		}
		if count(t, db, `SELECT COUNT(*) FROM meeting_cases WHERE meeting_id = ? AND case_id = ? AND minutes_sealed <> ''`, meeting, private) != 0 ||
			count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'meeting' AND action = 'update'`) != auditBefore {
			t.Error("refused minutes were written")
		}
		// General minutes, which every participant writes and reads.
		if r := hp.api("POST", "/api/v1/meetings/"+id(meeting)+"/minutes", `{"minutes": "Verbale generale di prova"}`); r.status != http.StatusOK ||
			!strings.Contains(r.body, "Verbale generale di prova") {
			t.Errorf("general minutes: %d %s", r.status, r.body)
		}
		// A decision through the API, by the operator, on the case they work on.
		r = op.api("POST", "/api/v1/meetings/"+id(meeting)+"/decisions", fmt.Sprintf(
			`{"case_id": %d, "text": "Accompagnare alla visita (API)", "responsible_id": %d, "due_at": %q}`,
			shared, operator, time.Now().Add(72*time.Hour).UTC().Format(time.RFC3339)))
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"task_id"`) {
			t.Fatalf("a decision through the API: %d %s", r.status, r.body)
		}
		r = op.api("POST", "/api/v1/meetings/"+id(meeting)+"/decisions", fmt.Sprintf(
			`{"case_id": %d, "text": "", "responsible_id": %d, "due_at": "presto"}`, shared, secUserID(t, db, "capofila")))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"text"`) || !strings.Contains(r.body, `"due_at"`) ||
			!strings.Contains(r.body, `"responsible_id"`) {
			t.Errorf("a bad decision through the API: %d %s", r.status, r.body)
		}
		if decisions() != 2 {
			t.Errorf("%d decisions, want 2", decisions())
		}

		// Someone who neither organises nor takes part sees nothing.
		lead := e.client()
		lead.login("capofila")
		for _, p := range []string{path, "/api/v1/meetings/" + id(meeting)} {
			if r := lead.get(p); r.status != http.StatusNotFound {
				t.Errorf("GET %s by a non-participant: %d", p, r.status)
			}
		}
		if r := lead.api("POST", "/api/v1/meetings/"+id(meeting)+"/minutes", `{"minutes": "x"}`); r.status != http.StatusNotFound {
			t.Errorf("minutes by a non-participant: %d", r.status)
		}
		if r := lead.get("/meetings"); strings.Contains(r.body, "Équipe di prova") {
			t.Error("a non-participant's list shows the meeting")
		}
		if r := op.get("/meetings"); !strings.Contains(r.body, "Équipe di prova") {
			t.Error("the participant's list lacks the meeting")
		}

		// Everything is in the audit log.
		for _, want := range []struct{ action, record string }{
			{"create", "meeting"}, {"create", "meeting_case"}, {"update", "meeting"}, {"create", "meeting_decision"},
			{"create", "case_task"}, {"read", "meeting"},
		} {
			if count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND record_type = ? AND (record_id = ? OR case_id = ?)`,
				want.action, want.record, id(meeting), shared) == 0 {
				t.Errorf("no audit entry %s %s", want.action, want.record)
			}
		}
	})
}

func TestMeetingsThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		lead := e.client()
		lead.login("capofila")
		sw, other := secUserID(t, db, "assistente.sociale"), secUserID(t, db, "as.cecina")
		before := count(t, db, `SELECT COUNT(*) FROM meetings`)
		r := lead.api("POST", "/api/v1/meetings", `{"kind": "multidisciplinary", "title": "", "starts_at": "ieri", "participants": []}`)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a bad meeting: %d %s", r.status, r.body)
		}
		for _, f := range []string{"kind", "meeting_title", "starts_at", "place", "participants"} {
			if !strings.Contains(r.body, `"`+f+`"`) {
				t.Errorf("a bad meeting does not name %s: %s", f, r.body)
			}
		}
		if count(t, db, `SELECT COUNT(*) FROM meetings`) != before {
			t.Fatal("a refused meeting was written")
		}
		r = lead.api("POST", "/api/v1/meetings", fmt.Sprintf(`{"kind": "steering", "title": "Cabina di regia di prova",
			"starts_at": %q, "link": "https://call.example.org/x", "participants": [%d, %d]}`,
			time.Now().Add(240*time.Hour).UTC().Format(time.RFC3339), sw, other))
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"kind":"steering"`) {
			t.Fatalf("a steering group: %d %s", r.status, r.body)
		}
		c := e.client()
		c.login("assistente.sociale")
		if r := c.get("/api/v1/meetings"); !strings.Contains(r.body, "Cabina di regia di prova") {
			t.Errorf("a participant's list lacks the steering group: %s", r.body)
		}
		op := e.client()
		op.login("operatore")
		if r := op.get("/api/v1/meetings"); strings.Contains(r.body, "Cabina di regia di prova") {
			t.Error("a non-participant's list shows the steering group")
		}
	})
}
