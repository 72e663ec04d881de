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

func TestConsultationsFromRequestToAdvice(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := int64(count(t, db, `SELECT COALESCE(MAX(c.id), 0) FROM cases c JOIN organisations o ON o.id = c.owner_org_id
			WHERE o.code = 'UDP-BS-E' AND c.closed_at IS NULL`))
		if id == 0 {
			t.Fatal("the demo has no open case in Brescia Est")
		}
		ethno := int64(count(t, db, `SELECT id FROM organisations WHERE code = 'ETNOCLINICA'`))
		clinician := secUserID(t, db, "etnoclinica")
		caseID := strconv.FormatInt(id, 10)
		path := "/cases/" + caseID + "/consultations"
		consultations := func() int { return count(t, db, `SELECT COUNT(*) FROM consultations WHERE case_id = ?`, id) }
		before := consultations()

		sw := e.client()
		sw.login("as.brescia")
		r := sw.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, `name="question"`) || !strings.Contains(r.body, "Équipe etnoclinica") {
			t.Fatalf("the consultations of the case: %d", r.status)
		}
		tok := sw.token(path)
		r = sw.post(path, url.Values{"csrf_token": {tok}, "organisation_id": {""}, "question": {"  "}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#consultation-question"`) ||
			!strings.Contains(r.body, `href="#consultation-organisation_id"`) {
			t.Fatalf("an empty request: %d", r.status)
		}
		if consultations() != before {
			t.Fatal("a refused request was written")
		}
		const question = "Come leggere il rifiuto della famiglia? (Prova-Quesito-5d2a)"
		r = sw.post(path, url.Values{"csrf_token": {tok}, "organisation_id": {strconv.FormatInt(ethno, 10)}, "question": {question}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("a request: %d %s", r.status, r.body)
		}
		if consultations() != before+1 {
			t.Fatal("the request was not written")
		}
		if count(t, db, `SELECT COUNT(*) FROM consultations WHERE question_sealed LIKE ?`, "%Prova-Quesito%") != 0 {
			t.Error("a question is stored in clear")
		}
		if count(t, db, `SELECT COUNT(*) FROM case_team WHERE case_id = ? AND user_id = ? AND role = 'consultant'`, id, clinician) != 1 {
			t.Fatal("the ethno-clinical team did not join the case's team as consultants")
		}
		cid := int64(count(t, db, `SELECT MAX(id) FROM consultations WHERE case_id = ?`, id))
		answer := path + "/" + strconv.FormatInt(cid, 10)

		// The clinician reads the question and answers: a session, then the
		// advice through the API.
		ec := e.client()
		ec.login("etnoclinica")
		r = ec.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, question) || !strings.Contains(r.body, `name="advice"`) {
			t.Fatalf("the clinician's consultations: %d", r.status)
		}
		tok = ec.token(path)
		future := time.Now().In(approdo.Rome).Add(48 * time.Hour).Format("2006-01-02T15:04")
		r = ec.post(answer+"/sessions", url.Values{"csrf_token": {tok}, "held_at": {future}, "attendees": {""}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "-held_at") || !strings.Contains(r.body, "-attendees") {
			t.Fatalf("a session in the future without attendees: %d", r.status)
		}
		held := time.Now().In(approdo.Rome).Add(-24 * time.Hour).Format("2006-01-02T15:04")
		const attendees = "La madre e la mediatrice (Prova-Presenti-77c1)"
		if r := ec.post(answer+"/sessions", url.Values{"csrf_token": {tok}, "held_at": {held}, "attendees": {attendees}}); r.status != http.StatusSeeOther {
			t.Fatalf("a session: %d %s", r.status, r.body)
		}
		const advice = "Affiancare la mediatrice alla cura (Prova-Parere-0e4b)"
		r = ec.api("POST", "/api/v1"+answer+"/advice", fmt.Sprintf(`{"advice": %q}`, advice))
		if r.status != http.StatusOK || !strings.Contains(r.body, `"state":"answered"`) || !strings.Contains(r.body, advice) {
			t.Fatalf("the advice: %d %s", r.status, r.body)
		}
		if r := sw.get(path); !strings.Contains(r.body, advice) || !strings.Contains(r.body, attendees) {
			t.Error("the social worker does not read the advice and the session")
		}
		if r := sw.get("/api/v1/notifications"); !strings.Contains(r.body, "consultation_answered") {
			t.Error("the social worker was not told of the advice")
		}
		if r := sw.get("/cases/" + caseID + "/timeline"); !strings.Contains(r.body, "Consulenza etnoclinica richiesta") ||
			!strings.Contains(r.body, "Parere della consulenza etnoclinica") {
			t.Error("the consultation is not on the timeline")
		}

		// A partner operator on the case, without the health group, sees
		// only that the consultation exists, and does not answer it.
		tok = sw.token("/cases/" + caseID + "/team")
		if r := sw.post("/cases/"+caseID+"/team", url.Values{"csrf_token": {tok}, "user_id": {strconv.FormatInt(secUserID(t, db, "operatore"), 10)},
			"role": {"contributor"}, "reason": {"Accoglienza in comunità"}}); r.status != http.StatusSeeOther {
			t.Fatalf("adding the operator to the team: %d %s", r.status, r.body)
		}
		op := e.client()
		op.login("operatore")
		r = op.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Consulenza di") || !strings.Contains(r.body, "Parere dato") {
			t.Fatalf("the operator's consultations: %d", r.status)
		}
		for _, secret := range []string{question, advice, attendees} {
			if strings.Contains(r.body, secret) {
				t.Errorf("the operator without the health group reads %q", secret)
			}
		}
		r = op.get("/api/v1" + path)
		var list struct {
			Items []struct {
				ID       int64  `json:"id"`
				Health   bool   `json:"health"`
				Question string `json:"question"`
				Advice   string `json:"advice"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.status != http.StatusOK || len(list.Items) == 0 {
			t.Fatalf("the operator's consultations in the API: %d %s", r.status, r.body)
		}
		for _, c := range list.Items {
			if c.Health || c.Question != "" || c.Advice != "" {
				t.Errorf("the API shows the health texts to the operator: %s", r.body)
			}
		}
		if r := op.api("POST", "/api/v1"+answer+"/advice", `{"advice": "Non sono io"}`); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"consultation"`) {
			t.Errorf("advice by someone not consulted: %d %s", r.status, r.body)
		}
		// Someone off the case sees nothing.
		other := e.client()
		other.login("assistente.sociale")
		if r := other.get(path); r.status != http.StatusNotFound {
			t.Errorf("the consultations of a case out of scope: %d", r.status)
		}

		for _, want := range []struct{ action, record string }{
			{"create", "consultation"}, {"create", "consultation_session"}, {"update", "consultation"}, {"update", "case_team"},
		} {
			if count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND record_type = ? AND case_id = ?`,
				want.action, want.record, id) == 0 {
				t.Errorf("no audit entry %s %s", want.action, want.record)
			}
		}
	})
}
