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

// TestSchoolReportThroughTheNetwork follows a child from a school's report
// through the network: the social service takes charge, refers the case to
// the health authority's psychological service, which accepts and
// completes it; a team meeting decides the next step, which becomes a task
// on the case; and a mediator is booked and confirms the next interview.
// Each step is taken in the UI or through the API, on both databases.
func TestSchoolReportThroughTheNetwork(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		// The school reports, the social service takes charge.
		school := e.client()
		school.login("segnalante")
		prato := strconv.FormatInt(idOf(t, db, "areas", "FI-PO"), 10)
		r := school.reportAPI("POST", "/api/v1/reports", `{"urgency":"soon","area_id":`+prato+`,"subject":"Alunna di 10 anni",
			"observed":"Racconta di essere picchiata a casa e ha lividi sulle braccia (Prova-Rete-5d3e)"}`)
		var report struct{ ID int64 }
		if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &report) != nil {
			t.Fatalf("the school's report: %d %s", r.status, r.body)
		}
		sw := e.client()
		sw.login("assistente.sociale")
		r = sw.reportAPI("PUT", "/api/v1/reports/"+strconv.FormatInt(report.ID, 10)+"/screening",
			`{"decision":"take_charge","reasons":"Racconto coerente e segni visibili","case_kind":"minor_family_violence"}`)
		var screened struct {
			CaseID int64 `json:"case_id"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &screened) != nil || screened.CaseID == 0 {
			t.Fatalf("taking charge: %d %s", r.status, r.body)
		}
		id := screened.CaseID
		caseID := strconv.FormatInt(id, 10)

		// Referred to the psychological service in the UI; accepted through
		// the API, completed in the UI.
		tok := sw.token("/cases/" + caseID + "/referrals")
		if r := sw.post("/cases/"+caseID+"/referrals", referralForm(tok, psychologicalService(t, db), time.Now().Add(-time.Hour))); r.status != http.StatusSeeOther {
			t.Fatalf("referring: %d %s", r.status, r.body)
		}
		referral := strconv.Itoa(count(t, db, `SELECT MAX(id) FROM referrals WHERE case_id = ?`, id))
		psy := e.client()
		psy.login("sanitario")
		if r := psy.api("POST", "/api/v1/referrals/"+referral+"/accept", `{"version":1}`); r.status != http.StatusOK {
			t.Fatalf("accepting: %d %s", r.status, r.body)
		}
		if r := psy.post("/referrals/"+referral+"/complete", url.Values{"csrf_token": {psy.token("/referrals/" + referral)}, "version": {"2"},
			"answer": {"Tre colloqui con la bambina; la madre accetta un sostegno."}}); r.status != http.StatusSeeOther {
			t.Fatalf("completing: %d %s", r.status, r.body)
		}

		// A team meeting, called through the API, decides in the UI; the
		// decision becomes a task on the case.
		psyID := secUserID(t, db, "sanitario")
		r = sw.api("POST", "/api/v1/meetings", fmt.Sprintf(`{"kind":"multidisciplinary","title":"Équipe sul caso","starts_at":%q,
			"place":"Sala riunioni","participants":[%d],"cases":[%d]}`, time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339), psyID, id))
		var meeting struct{ ID int64 }
		if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &meeting) != nil {
			t.Fatalf("calling the meeting: %d %s", r.status, r.body)
		}
		path := "/meetings/" + strconv.FormatInt(meeting.ID, 10)
		const decision = "Colloquio con la madre con la mediatrice (Prova-Decisione-Rete)"
		if r := sw.post(path+"/decisions", url.Values{"csrf_token": {sw.token(path)}, "case_id": {caseID}, "text": {decision},
			"responsible_id": {strconv.FormatInt(secUserID(t, db, "assistente.sociale"), 10)},
			"due_at":         {time.Now().In(approdo.Rome).Add(7 * 24 * time.Hour).Format("2006-01-02T15:04")}}); r.status != http.StatusSeeOther {
			t.Fatalf("the decision: %d %s", r.status, r.body)
		}
		if r := sw.api("GET", "/api/v1/cases/"+caseID+"/tasks", ""); !strings.Contains(r.body, decision) {
			t.Errorf("the meeting's decision is not a task of the case: %s", r.body)
		}

		// A mediator is booked for the interview and confirms it.
		b := apiRequest(t, sw, id, map[string]any{"language": "ar", "date": dayAhead(7), "start_time": "11:00"})
		samir := int64(count(t, db, `SELECT m.id FROM mediators m JOIN users u ON u.id = m.user_id WHERE u.username = 'mediatore'`))
		assigned := decodeBooking(t, apiAssign(sw, b.ID, samir, b.Version), http.StatusOK)
		mediator := e.client()
		mediator.login("mediatore")
		confirmed := decodeBooking(t, mediator.api("POST", fmt.Sprintf("/api/v1/mediation/bookings/%d/confirm", b.ID),
			fmt.Sprintf(`{"version":%d}`, assigned.Version)), http.StatusOK)
		if confirmed.State != "confirmed" || confirmed.CaseID != nil {
			t.Errorf("the mediator's confirmed booking: %+v", confirmed)
		}
		if r := mediator.get("/cases/" + caseID); r.status != http.StatusNotFound {
			t.Errorf("the mediator opens the case: %d", r.status)
		}

		// The timeline tells the story.
		page := sw.get("/cases/" + caseID + "/timeline")
		for _, want := range []string{"Invio a un altro servizio", "Invio accettato", "Invio concluso con un esito"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the timeline lacks %q", want)
			}
		}
	})
}
