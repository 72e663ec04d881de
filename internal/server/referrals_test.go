package server_test

import (
	"context"
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

// psychologicalService returns the demo's psychological service of the
// health authority USL-TSE, where the sanitario works.
func psychologicalService(t *testing.T, db *store.DB) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(s.id), 0) FROM services s JOIN organisations o ON o.id = s.organisation_id
		WHERE o.code = 'USL-TSE' AND s.service_types LIKE '%psychological_support%' AND s.status = 'active'`))
	if id == 0 {
		t.Fatal("the demo directory has no psychological service at USL-TSE")
	}
	return id
}

// referralForm is a valid form to refer a case to a service, or, with
// serviceID 0, a form that names no service.
func referralForm(tok string, serviceID int64, givenAt time.Time) url.Values {
	f := url.Values{"csrf_token": {tok}, "reason": {"Colloqui psicologici dopo il viaggio (Prova-Invio-7d2a)"},
		"urgency": {"routine"}, "sections": {"persons", "assessment"}, "consent.by": {"guardian"},
		"consent.given_at": {givenAt.In(approdo.Rome).Format("2006-01-02T15:04")}, "consent.notice_language": {"ar"}}
	if serviceID != 0 {
		f.Set("service_id", strconv.FormatInt(serviceID, 10))
	}
	return f
}

func TestReferralLoopFromCaseToPsychologicalService(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := projectCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		svc := psychologicalService(t, db)
		stored := func() int { return count(t, db, `SELECT COUNT(*) FROM referrals WHERE case_id = ?`, id) }

		sw := e.client()
		sw.login("assistente.sociale")
		tok := sw.token("/cases/" + caseID + "/referrals")
		if r := sw.get("/cases/" + caseID + "/referrals"); !strings.Contains(r.body, `name="service_id"`) || !strings.Contains(r.body, "Questo caso non ha ancora invii") {
			t.Fatalf("the referrals section offers no form: %d", r.status)
		}

		// Bad input changes nothing: no consent, a consent dated after the
		// sharing, no section, the sender's own organisation, and an
		// organisation that offers no such service.
		now := time.Now()
		noConsent := referralForm(tok, svc, now.Add(-time.Hour))
		noConsent.Del("consent.by")
		noConsent.Del("sections")
		r := sw.post("/cases/"+caseID+"/referrals", noConsent)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("a referral without consent: %d", r.status)
		}
		for _, want := range []string{`href="#referral-consent.by"`, "senza il consenso della persona", `href="#referral-sections"`,
			"Prova-Invio-7d2a"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the refused referral lacks %q", want)
			}
		}
		if r := sw.post("/cases/"+caseID+"/referrals", referralForm(tok, svc, now.Add(2*time.Hour))); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "non può essere successivo") {
			t.Errorf("a consent after the sharing: %d", r.status)
		}
		own := referralForm(tok, 0, now.Add(-time.Hour))
		own.Set("to_org_id", strconv.Itoa(count(t, db, `SELECT id FROM organisations WHERE code = 'SDS-PRATO'`)))
		own.Set("need", "psychological_support")
		if r := sw.post("/cases/"+caseID+"/referrals", own); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "propria organizzazione") {
			t.Errorf("a referral to oneself: %d", r.status)
		}
		school := referralForm(tok, 0, now.Add(-time.Hour))
		school.Set("to_org_id", strconv.Itoa(count(t, db, `SELECT id FROM organisations WHERE code = 'IC-PRATO'`)))
		school.Set("need", "psychological_support")
		if r := sw.post("/cases/"+caseID+"/referrals", school); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "non offre un servizio") {
			t.Errorf("a referral to an organisation without the service: %d", r.status)
		}
		if n := stored(); n != 0 {
			t.Fatalf("refused referrals were written: %d", n)
		}

		// The referral goes out; its reason is sealed and the service is
		// told.
		if r := sw.post("/cases/"+caseID+"/referrals", referralForm(tok, svc, now.Add(-time.Hour))); r.status != http.StatusSeeOther {
			t.Fatalf("sending the referral: %d %s", r.status, r.body)
		}
		refID := strconv.Itoa(count(t, db, `SELECT MAX(id) FROM referrals WHERE case_id = ?`, id))
		if n := count(t, db, `SELECT COUNT(*) FROM referrals WHERE reason_sealed LIKE '%Prova-Invio%'`); n != 0 {
			t.Error("a referral's reason is stored in clear")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'sanitario' AND n.kind = 'referral_received' AND n.case_id = ?`, id); n != 1 {
			t.Errorf("the psychologist was told %d times", n)
		}

		// The psychologist sees it in the service's referrals, but not the
		// case before accepting it.
		psy := e.client()
		psy.login("sanitario")
		if r := psy.get("/referrals"); !strings.Contains(r.body, "Prova-Invio-7d2a") {
			t.Errorf("the incoming referrals lack the new one: %d", r.status)
		}
		if r := psy.get("/cases/" + caseID + "/persons"); r.status != http.StatusNotFound {
			t.Errorf("the recipient reads the persons before accepting: %d", r.status)
		}
		if r := psy.get("/referrals/" + refID); r.status != http.StatusOK || strings.Contains(r.body, `href="/cases/`+caseID+`"`) {
			t.Errorf("the referral's page links a case the recipient cannot open yet: %d", r.status)
		}
		// Only the recipient answers: the sender cannot accept, and the
		// recipient cannot cancel.
		if r := sw.post("/referrals/"+refID+"/accept", url.Values{"csrf_token": {tok}, "version": {"1"}}); r.status != http.StatusNotFound {
			t.Errorf("the sender accepting: %d", r.status)
		}
		if r := psy.api("POST", "/api/v1/cases/"+caseID+"/referrals/"+refID+"/cancel", `{"version":1,"answer":"No"}`); r.status != http.StatusNotFound {
			t.Errorf("the recipient cancelling: %d", r.status)
		}
		psyTok := psy.token("/referrals/" + refID)
		if r := psy.post("/referrals/"+refID+"/accept", url.Values{"csrf_token": {psyTok}, "version": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("accepting: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'assistente.sociale' AND n.kind = 'referral_accept' AND n.case_id = ?`, id); n != 1 {
			t.Errorf("the sender was told of the acceptance %d times", n)
		}

		// Accepted: the shared sections open, the others stay closed.
		page := psy.get("/cases/" + caseID)
		if page.status != http.StatusOK || !strings.Contains(page.body, "un invio accettato") ||
			!strings.Contains(page.body, `hx-get="/cases/`+caseID+`/persons"`) || strings.Contains(page.body, `hx-get="/cases/`+caseID+`/notes"`) {
			t.Errorf("the recipient's case page: %d", page.status)
		}
		for path, want := range map[string]int{"/persons": 200, "/assessment": 200, "/notes": 404, "/timeline": 404, "/tasks": 404, "/project": 404} {
			if r := psy.get("/cases/" + caseID + path); r.status != want {
				t.Errorf("the recipient on %s: %d, want %d", path, r.status, want)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
			WHERE u.username = 'sanitario' AND a.case_id = ? AND a.action = 'read' AND a.fields LIKE '%persons%'`, id); n != 1 {
			t.Errorf("the recipient's read of the persons is audited %d times", n)
		}

		// Completion with an outcome, through the API: a stale version is
		// refused, an outcome is required, and access ends.
		if r := psy.api("POST", "/api/v1/referrals/"+refID+"/complete", `{"version":1,"answer":"Tre colloqui svolti."}`); r.status != http.StatusConflict {
			t.Errorf("a stale completion: %d %s", r.status, r.body)
		}
		if r := psy.api("POST", "/api/v1/referrals/"+refID+"/complete", `{"version":2}`); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"answer"`) {
			t.Errorf("a completion without an outcome: %d %s", r.status, r.body)
		}
		r = psy.api("POST", "/api/v1/referrals/"+refID+"/complete", `{"version":2,"answer":"Tre colloqui svolti; consigliato un gruppo."}`)
		var done struct {
			State  string `json:"state"`
			Answer string `json:"answer"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &done) != nil || done.State != "completed" {
			t.Fatalf("completing: %d %s", r.status, r.body)
		}
		if r := psy.get("/cases/" + caseID + "/persons"); r.status != http.StatusNotFound {
			t.Errorf("the recipient still reads the persons after completing: %d", r.status)
		}
		if r := sw.api("GET", "/api/v1/cases/"+caseID+"/referrals", ""); !strings.Contains(r.body, "consigliato un gruppo") ||
			!strings.Contains(r.body, `"state":"completed"`) {
			t.Errorf("the sender does not see the outcome: %s", r.body)
		}
		if r := sw.get("/cases/" + caseID + "/timeline"); !strings.Contains(r.body, "Invio concluso con un esito") {
			t.Error("the timeline lacks the completed referral")
		}
		// A completed referral takes no more steps.
		if r := psy.api("POST", "/api/v1/referrals/"+refID+"/decline", `{"version":3,"answer":"No"}`); r.status != http.StatusConflict {
			t.Errorf("declining a completed referral: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'referral' AND record_id = ? AND action IN ('create', 'update')`, refID); n != 3 {
			t.Errorf("%d changes of the referral are audited, want 3", n)
		}
	})
}

func TestRevokedConsentEndsAccessAndUnansweredReferralsExpire(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := projectCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		svc := psychologicalService(t, db)
		sw := e.client()
		sw.login("assistente.sociale")
		tok := sw.token("/cases/" + caseID + "/referrals")
		send := func() string {
			t.Helper()
			body := `{"service_id":` + strconv.FormatInt(svc, 10) + `,"reason":"Sostegno psicologico","urgency":"urgent",` +
				`"sections":["persons"],"consent":{"by":"person","given_at":"` + time.Now().Add(-time.Minute).UTC().Format(time.RFC3339) +
				`","notice_language":"ti"}}`
			r := sw.api("POST", "/api/v1/cases/"+caseID+"/referrals", body)
			var v struct {
				ID       int64  `json:"id"`
				AnswerBy string `json:"answer_by"`
			}
			if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &v) != nil {
				t.Fatalf("sending through the API: %d %s", r.status, r.body)
			}
			// Urgent: the service has at most two days to answer.
			if due, _ := time.Parse(time.RFC3339, v.AnswerBy); time.Until(due) > 49*time.Hour {
				t.Errorf("an urgent referral waits until %s", v.AnswerBy)
			}
			return strconv.FormatInt(v.ID, 10)
		}

		// Accepted, then the consent is revoked: access ends at once.
		first := send()
		psy := e.client()
		psy.login("sanitario")
		if r := psy.api("POST", "/api/v1/referrals/"+first+"/accept", `{"version":1}`); r.status != http.StatusOK {
			t.Fatalf("accepting: %d %s", r.status, r.body)
		}
		if r := psy.get("/cases/" + caseID + "/persons"); r.status != http.StatusOK {
			t.Fatalf("the recipient cannot read the shared persons: %d", r.status)
		}
		if r := sw.post("/cases/"+caseID+"/referrals/"+first+"/revoke", url.Values{"csrf_token": {tok}, "version": {"2"}}); r.status != http.StatusSeeOther {
			t.Fatalf("revoking the consent: %d %s", r.status, r.body)
		}
		if r := psy.get("/cases/" + caseID + "/persons"); r.status != http.StatusNotFound {
			t.Errorf("the recipient reads the persons after the consent was revoked: %d", r.status)
		}
		if r := psy.get("/cases/" + caseID); r.status != http.StatusNotFound {
			t.Errorf("the recipient opens the case after the consent was revoked: %d", r.status)
		}

		// Nobody answers the second: past its time it expires, once, even
		// when the chores run twice, and the sender is told.
		second := send()
		e.server.RunChores(context.Background(), time.Now().Add(72*time.Hour))
		e.server.RunChores(context.Background(), time.Now().Add(73*time.Hour))
		if n := count(t, db, `SELECT COUNT(*) FROM referrals WHERE id = ? AND state = 'expired'`, second); n != 1 {
			t.Error("the unanswered referral did not expire")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'assistente.sociale' AND n.kind = 'referral_expired' AND n.case_id = ?`, id); n != 1 {
			t.Errorf("the sender was told of the expiry %d times", n)
		}
		// The chores, run days ahead, also ended the sessions.
		psy = e.client()
		psy.login("sanitario")
		if r := psy.api("POST", "/api/v1/referrals/"+second+"/accept", `{"version":2}`); r.status != http.StatusConflict {
			t.Errorf("accepting an expired referral: %d", r.status)
		}
		// Someone with no part in it does not even see it.
		rep := e.client()
		rep.login("segnalante")
		if r := rep.api("GET", "/api/v1/referrals/"+second, ""); r.status != http.StatusNotFound {
			t.Errorf("the reporter reading a referral: %d", r.status)
		}
	})
}
