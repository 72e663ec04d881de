package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
)

// mediationCase returns an open case of the Prato social worker's, in the
// Prato area, and its code.
func mediationCase(t *testing.T, db *store.DB) (int64, string) {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(c.id), 0) FROM cases c JOIN users w ON w.id = c.case_worker_id
		WHERE w.username = 'assistente.sociale' AND c.closed_at IS NULL`))
	if id == 0 {
		t.Fatal("the demo has no open case of the Prato social worker's")
	}
	for _, c := range caseCodes(t, db) {
		if c.id == id {
			return id, c.code
		}
	}
	t.Fatal("no code")
	return 0, ""
}

// profileOf returns the registry profile of a demo mediator.
func profileOf(t *testing.T, db *store.DB, username string) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MAX(m.id), 0) FROM mediators m JOIN users u ON u.id = m.user_id WHERE u.username = ?`, username))
	if id == 0 {
		t.Fatalf("%s has no profile in the registry", username)
	}
	return id
}

// dayAhead is the date n days from today, Europe/Rome, as the forms send it.
func dayAhead(n int) string {
	return time.Now().In(approdo.Rome).AddDate(0, 0, n).Format("2006-01-02")
}

// bookingBody is a booking request for the API, changed by fields.
func bookingBody(fields map[string]any) string {
	b := map[string]any{"language": "ar", "purpose": "interview", "date": dayAhead(30), "start_time": "10:00",
		"duration_minutes": 60, "place": "Servizio sociale, stanza 3"}
	for k, v := range fields {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	out, _ := json.Marshal(b)
	return string(out)
}

// bookingOut is the part of a booking the tests read.
type bookingOut struct {
	ID       int64   `json:"id"`
	State    string  `json:"state"`
	CaseID   *int64  `json:"case_id"`
	CaseCode *string `json:"case_code"`
	Place    string  `json:"place"`
	Mediator *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"mediator"`
	Requester struct {
		Name         string `json:"name"`
		Organisation string `json:"organisation"`
	} `json:"requester"`
	WorkedMinutes int      `json:"worked_minutes"`
	Allowed       []string `json:"allowed"`
	Version       int      `json:"version"`
}

func decodeBooking(t *testing.T, r response, want int) bookingOut {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	var b bookingOut
	if err := json.Unmarshal([]byte(r.body), &b); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return b
}

// apiRequest asks for a mediator on case id through the API.
func apiRequest(t *testing.T, c *client, id int64, fields map[string]any) bookingOut {
	t.Helper()
	return decodeBooking(t, c.api("POST", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/mediation", bookingBody(fields)), http.StatusCreated)
}

// apiAssign gives booking id to mediator profile m at version v.
func apiAssign(c *client, id, m int64, v int) response {
	return c.api("POST", fmt.Sprintf("/api/v1/mediation/bookings/%d/assign", id), fmt.Sprintf(`{"mediator_id":%d,"version":%d}`, m, v))
}

var personText = regexp.MustCompile(`"text":"([^"]+)"`)

func TestMediationRequestAssignConfirmAndHoursInTheUI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, code := mediationCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/mediation"
		bookings := func() int { return count(t, db, `SELECT COUNT(*) FROM mediation_bookings WHERE case_id = ?`, id) }
		before := bookings()

		sw := e.client()
		sw.login("assistente.sociale")
		r := sw.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Mediazione linguistico-culturale") || !strings.Contains(r.body, `name="duration_minutes"`) {
			t.Fatalf("the mediation of the case: %d", r.status)
		}
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10)); !strings.Contains(r.body, `/cases/`+strconv.FormatInt(id, 10)+`/mediation`) {
			t.Error("the case page does not link its mediation section")
		}

		// Bad input is explained field by field, label first, and writes
		// nothing.
		tok := sw.token(path)
		good := url.Values{"csrf_token": {tok}, "language": {"ar"}, "purpose": {"interview"}, "date": {dayAhead(31)},
			"start_time": {"10:00"}, "duration_minutes": {"60"}, "place": {"Via della Prova 7, Prato (Prova-Luogo-3c9e)"},
			"notes": {"Suonare al citofono del servizio (Prova-Nota-77d1)"}}
		for _, bad := range []struct {
			change url.Values
			field  string
			says   string
		}{
			{url.Values{"language": {""}}, "mediation-language", "«Lingua» è obbligatorio."},
			{url.Values{"language": {"xx"}}, "mediation-language", "«Lingua» deve contenere codici ISO 639"},
			{url.Values{"date": {dayAhead(-1)}}, "mediation-date", "«Data» non può essere nel passato"},
			{url.Values{"duration_minutes": {"0"}}, "mediation-duration_minutes", "«Durata (minuti)» deve essere tra 15 e 600 minuti."},
			{url.Values{"place": {""}}, "mediation-place", "«Luogo» è obbligatorio, a meno che"},
		} {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			for k, v := range bad.change {
				form[k] = v
			}
			r := sw.post(path, form)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#`+bad.field+`"`) || !strings.Contains(r.body, bad.says) {
				t.Errorf("bad request %v: %d, want the summary to name %s saying %q", bad.change, r.status, bad.field, bad.says)
			}
			if got := bookings(); got != before {
				t.Fatalf("a refused request was written: %d bookings, want %d", got, before)
			}
		}

		// A good request: the place and the notes are sealed, the timeline
		// and the audit log record it.
		r = sw.post(path, good)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != path+"?saved=1" {
			t.Fatalf("asking for a mediator: %d %s", r.status, r.body)
		}
		if bookings() != before+1 {
			t.Fatal("the request was not written")
		}
		bookingID := int64(count(t, db, `SELECT MAX(id) FROM mediation_bookings WHERE case_id = ?`, id))
		if n := count(t, db, `SELECT COUNT(*) FROM mediation_bookings WHERE place_sealed LIKE ? OR notes_sealed LIKE ?`, "%Prova-%", "%Prova-%"); n != 0 {
			t.Error("a booking's place or notes are stored in clear")
		}
		if r := sw.get(path); !strings.Contains(r.body, "Prova-Luogo-3c9e") || !strings.Contains(r.body, "In attesa di un mediatore") {
			t.Error("the case does not show its request")
		}

		// The requesting organisation assigns: the page suggests the free
		// mediators who speak Arabic in the case's area.
		r = sw.get("/mediation/requests")
		assign := fmt.Sprintf("/mediation/bookings/%d/assign", bookingID)
		if r.status != http.StatusOK || !strings.Contains(r.body, assign) {
			t.Fatalf("the requests waiting lack the new one: %d", r.status)
		}
		r = sw.get(assign)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Samir Haddad") || !strings.Contains(r.body, "Amina Benali") ||
			strings.Contains(r.body, "Hiwet Tesfay") {
			t.Fatalf("the candidates: %d", r.status)
		}
		samir := profileOf(t, db, "mediatore")
		r = sw.post(assign, url.Values{"csrf_token": {sw.token(assign)}, "mediator_id": {strconv.FormatInt(samir, 10)}, "version": {"1"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/mediation/requests?assigned=1" {
			t.Fatalf("assigning: %d %s", r.status, r.body)
		}

		// The mediator sees the logistics only, and never the case.
		med := e.client()
		med.login("mediatore")
		if r := med.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"mediation_assigned"`) || strings.Contains(r.body, code) {
			t.Errorf("the mediator's notification: %s", r.body)
		}
		mine := med.get("/mediation/mine")
		if mine.status != http.StatusOK || !strings.Contains(mine.body, "Prova-Luogo-3c9e") || !strings.Contains(mine.body, "Prova-Nota-77d1") ||
			!strings.Contains(mine.body, "Chiara Benvenuti") || !strings.Contains(mine.body, "Società della Salute Area Pratese") {
			t.Fatalf("the mediator's bookings lack the logistics: %d", mine.status)
		}
		apiMine := med.get("/api/v1/mediation/bookings?mine")
		if apiMine.status != http.StatusOK || !strings.Contains(apiMine.body, "Prova-Luogo-3c9e") {
			t.Fatalf("the mediator's bookings in the API: %d %s", apiMine.status, apiMine.body)
		}
		var list struct{ Items []bookingOut }
		if err := json.Unmarshal([]byte(apiMine.body), &list); err != nil {
			t.Fatal(err)
		}
		for _, b := range list.Items {
			if b.CaseID != nil || b.CaseCode != nil {
				t.Errorf("booking %d shows its case to the mediator", b.ID)
			}
		}
		persons := sw.get("/api/v1/cases/" + strconv.FormatInt(id, 10) + "/persons")
		for _, body := range []string{mine.body, apiMine.body} {
			if strings.Contains(body, code) {
				t.Error("the mediator sees the case's code")
			}
			for _, m := range personText.FindAllStringSubmatch(persons.body, -1) {
				if strings.Contains(body, m[1]) {
					t.Errorf("the mediator sees the person's name %q", m[1])
				}
			}
		}
		for _, p := range []string{"/cases/" + strconv.FormatInt(id, 10), path, "/api/v1/cases/" + strconv.FormatInt(id, 10),
			"/api/v1/cases/" + strconv.FormatInt(id, 10) + "/mediation"} {
			if r := med.get(p); r.status != http.StatusNotFound {
				t.Errorf("the mediator opens %s: %d", p, r.status)
			}
		}

		// The mediator confirms; the requester is told.
		confirm := fmt.Sprintf("/mediation/bookings/%d/confirm", bookingID)
		r = med.post(confirm, url.Values{"csrf_token": {med.token("/mediation/mine")}, "version": {"2"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("confirming: %d %s", r.status, r.body)
		}
		if r := sw.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"mediation_confirmed"`) || !strings.Contains(r.body, code) {
			t.Errorf("the requester was not told of the confirmation: %s", r.body)
		}

		// The minutes are recorded once the appointment has taken place.
		hours := fmt.Sprintf("/mediation/bookings/%d/hours", bookingID)
		r = med.post(hours, url.Values{"csrf_token": {med.token("/mediation/mine")}, "version": {"3"}, "worked_minutes": {"75"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "dopo l&#39;inizio dell&#39;incontro") {
			t.Errorf("hours before the appointment: %d", r.status)
		}
		start := time.Now().Add(-3 * time.Hour).UTC().Truncate(time.Minute)
		admExec(t, db, `UPDATE mediation_bookings SET starts_at = ?, ends_at = ? WHERE id = ?`, start, start.Add(time.Hour), bookingID)
		r = med.post(hours, url.Values{"csrf_token": {med.token("/mediation/mine")}, "version": {"3"}, "worked_minutes": {"0"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "«Minuti di mediazione svolti» deve essere tra 1 e 900 minuti.") {
			t.Errorf("no minutes worked: %d", r.status)
		}
		r = med.post(hours, url.Values{"csrf_token": {med.token("/mediation/mine")}, "version": {"3"}, "worked_minutes": {"75"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("recording the minutes: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM mediation_bookings WHERE id = ? AND state = 'done' AND worked_minutes = 75`, bookingID); n != 1 {
			t.Error("the booking is not done with 75 minutes")
		}
		if r := sw.get(path); !strings.Contains(r.body, "Svolta") || !strings.Contains(r.body, "1 h 15 min") {
			t.Error("the case does not show the mediation done")
		}

		// Every step is on the timeline and in the audit log.
		for _, kind := range []string{"mediation_requested", "mediation_assigned", "mediation_confirmed", "mediation_done"} {
			if count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = ? AND ref_id = ?`, id, kind, bookingID) != 1 {
				t.Errorf("the timeline lacks %s", kind)
			}
		}
		for _, a := range []struct {
			action, user string
			n            int
		}{{"create", "assistente.sociale", 1}, {"update", "assistente.sociale", 1}, {"update", "mediatore", 2}} {
			if n := count(t, db, `SELECT COUNT(*) FROM audit_log l JOIN users u ON u.id = l.actor_id WHERE l.record_type = 'mediation_booking'
				AND l.record_id = ? AND l.case_id = ? AND l.action = ? AND u.username = ?`, strconv.FormatInt(bookingID, 10), id, a.action, a.user); n != a.n {
				t.Errorf("%d audit entries of %s by %s, want %d", n, a.action, a.user, a.n)
			}
		}
		if count(t, db, `SELECT COUNT(*) FROM audit_log l JOIN users u ON u.id = l.actor_id WHERE l.record_type = 'mediation_booking'
			AND l.action = 'read' AND u.username = 'mediatore' AND l.record_id = ?`, strconv.FormatInt(bookingID, 10)) == 0 {
			t.Error("the mediator's reading of their bookings is not audited")
		}
	})
}

func TestMediationThroughTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, code := mediationCase(t, db)
		base := "/api/v1/cases/" + strconv.FormatInt(id, 10) + "/mediation"
		sw := e.client()
		sw.login("assistente.sociale")
		before := count(t, db, `SELECT COUNT(*) FROM mediation_bookings`)

		// Bad input names each field and writes nothing.
		r := sw.api("POST", base, `{}`)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("an empty request: %d %s", r.status, r.body)
		}
		for _, f := range []string{"language", "purpose", "date", "start_time", "duration_minutes", "place"} {
			if !strings.Contains(r.body, `"field":"`+f+`"`) {
				t.Errorf("an empty request does not name %s: %s", f, r.body)
			}
		}
		for _, bad := range []struct {
			fields map[string]any
			field  string
		}{
			{map[string]any{"language": "xx"}, "language"},
			{map[string]any{"date": dayAhead(-2)}, "date"},
			{map[string]any{"duration_minutes": 0}, "duration_minutes"},
			{map[string]any{"mediator_gender": "any"}, "mediator_gender"},
		} {
			r := sw.api("POST", base, bookingBody(bad.fields))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"`+bad.field+`"`) {
				t.Errorf("bad request %v: %d %s", bad.fields, r.status, r.body)
			}
		}
		if count(t, db, `SELECT COUNT(*) FROM mediation_bookings`) != before {
			t.Fatal("a refused request was written")
		}

		b := apiRequest(t, sw, id, map[string]any{"date": dayAhead(32), "start_time": "15:00", "mediator_gender": "female"})
		if b.State != "requested" || b.CaseCode == nil || *b.CaseCode != code || b.Requester.Name != "Chiara Benvenuti" {
			t.Fatalf("the new booking: %+v", b)
		}
		bpath := fmt.Sprintf("/api/v1/mediation/bookings/%d", b.ID)
		// A woman is asked for: Amina is a candidate, Samir is not, and
		// cannot be given the booking.
		r = sw.get(bpath + "/candidates")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Amina Benali") || strings.Contains(r.body, "Samir Haddad") {
			t.Fatalf("the candidates: %d %s", r.status, r.body)
		}
		r = apiAssign(sw, b.ID, profileOf(t, db, "mediatore"), 1)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"mediator_id"`) || !strings.Contains(r.body, "genere richiesto") {
			t.Fatalf("a man for a woman: %d %s", r.status, r.body)
		}
		amina := profileOf(t, db, "mediatrice.araba")
		b = decodeBooking(t, apiAssign(sw, b.ID, amina, 1), http.StatusOK)
		if b.State != "assigned" || b.Mediator == nil || b.Mediator.ID != amina {
			t.Fatalf("assigned: %+v", b)
		}

		// Amina declines with a reason: the booking waits again, the
		// requester is told, and Amina no longer reaches it.
		med := e.client()
		med.login("mediatrice.araba")
		if r := med.get(bpath); r.status != http.StatusOK || !strings.Contains(r.body, `"case_id":null`) || strings.Contains(r.body, code) {
			t.Fatalf("the mediator's booking: %d %s", r.status, r.body)
		}
		r = med.api("POST", bpath+"/decline", `{"reason":"","version":2}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"reason"`) {
			t.Errorf("a decline without a reason: %d %s", r.status, r.body)
		}
		b = decodeBooking(t, med.api("POST", bpath+"/decline", `{"reason":"Ho già un impegno di famiglia quel pomeriggio.","version":2}`), http.StatusOK)
		if b.State != "requested" || b.Mediator != nil {
			t.Fatalf("declined: %+v", b)
		}
		if r := med.get(bpath); r.status != http.StatusNotFound {
			t.Errorf("the mediator still reaches a booking they declined: %d", r.status)
		}
		if r := sw.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"mediation_declined"`) {
			t.Errorf("the requester was not told of the decline: %s", r.body)
		}
		r = sw.get(bpath)
		if !strings.Contains(r.body, "impegno di famiglia") || !strings.Contains(r.body, `"allowed":["cancel","assign"]`) {
			t.Errorf("the requester's view of the declined booking: %s", r.body)
		}
		if r := sw.get(bpath + "/candidates"); !strings.Contains(r.body, `"declined_before":true`) {
			t.Errorf("the candidates do not say Amina declined: %s", r.body)
		}

		// Assigned again, confirmed, then called off by the requester: the
		// mediator is told.
		b = decodeBooking(t, apiAssign(sw, b.ID, amina, 3), http.StatusOK)
		b = decodeBooking(t, med.api("POST", bpath+"/confirm", `{"version":4}`), http.StatusOK)
		if b.State != "confirmed" {
			t.Fatalf("confirmed: %+v", b)
		}
		if r := med.api("POST", bpath+"/confirm", `{"version":5}`); r.status != http.StatusConflict {
			t.Errorf("confirming twice: %d %s", r.status, r.body)
		}
		if r := med.api("POST", bpath+"/hours", `{"worked_minutes":60,"version":5}`); r.status != http.StatusUnprocessableEntity {
			t.Errorf("hours before the appointment: %d %s", r.status, r.body)
		}
		cancel := fmt.Sprintf("%s/%d/cancel", base, b.ID)
		if r := sw.api("POST", cancel, `{"reason":"breve","version":5}`); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a short reason: %d %s", r.status, r.body)
		}
		b = decodeBooking(t, sw.api("POST", cancel, `{"reason":"La famiglia si è trasferita in un'altra città.","version":5}`), http.StatusOK)
		if b.State != "cancelled" {
			t.Fatalf("cancelled: %+v", b)
		}
		if r := med.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"mediation_cancelled"`) || strings.Contains(r.body, code) {
			t.Errorf("the mediator's notification of the cancellation: %s", r.body)
		}
		if r := sw.api("POST", cancel, `{"reason":"La famiglia si è trasferita in un'altra città.","version":6}`); r.status != http.StatusConflict {
			t.Errorf("cancelling twice: %d %s", r.status, r.body)
		}

		// The case's list, and the lists across cases.
		r = sw.get(base)
		if r.status != http.StatusOK || !strings.Contains(r.body, fmt.Sprintf(`"id":%d`, b.ID)) {
			t.Errorf("the case's bookings: %d", r.status)
		}
		if r := sw.get("/api/v1/mediation/bookings?waiting"); r.status != http.StatusOK || strings.Contains(r.body, fmt.Sprintf(`"id":%d,`, b.ID)) {
			t.Errorf("a cancelled booking is waiting: %d", r.status)
		}
		if r := sw.get("/api/v1/mediation/bookings?mine=maybe"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("mine=maybe: %d", r.status)
		}
		health := e.client()
		health.login("sanitario")
		if r := health.get("/api/v1/mediation/bookings"); r.status != http.StatusNotFound {
			t.Errorf("the health professional lists bookings: %d", r.status)
		}
	})
}

func TestMediationRefusesDoubleBooking(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := mediationCase(t, db)
		sw := e.client()
		sw.login("assistente.sociale")
		samir := profileOf(t, db, "mediatore")
		day := dayAhead(33)
		first := apiRequest(t, sw, id, map[string]any{"date": day, "start_time": "09:00", "duration_minutes": 120})
		decodeBooking(t, apiAssign(sw, first.ID, samir, 1), http.StatusOK)

		// 10:00 for an hour overlaps 9:00–11:00; 11:00 does not.
		clash := apiRequest(t, sw, id, map[string]any{"date": day, "start_time": "10:00"})
		after := apiRequest(t, sw, id, map[string]any{"date": day, "start_time": "11:00"})
		audits := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'mediation_booking' AND action = 'update'`)
		r := apiAssign(sw, clash.ID, samir, 1)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Samir Haddad ha già un incontro il "+day+" dalle 09:00 alle 11:00") ||
			!strings.Contains(r.body, `"field":"mediator_id"`) || !strings.Contains(r.body, "Nulla è stato salvato") {
			t.Fatalf("a double booking: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM mediation_bookings WHERE id = ? AND state = 'requested' AND mediator_id IS NULL AND version = 1`, clash.ID); n != 1 {
			t.Error("the refused assignment was written")
		}
		if got := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'mediation_booking' AND action = 'update'`); got != audits {
			t.Error("the refused assignment was audited as a change")
		}
		// The UI says the same beside the choice, and writes nothing.
		assign := fmt.Sprintf("/mediation/bookings/%d/assign", clash.ID)
		if r := sw.get(assign); strings.Contains(r.body, `id="mediator-`+strconv.FormatInt(samir, 10)+`"`) {
			t.Error("a booked mediator is suggested")
		}
		r = sw.post(assign, url.Values{"csrf_token": {sw.token(assign)}, "mediator_id": {strconv.FormatInt(samir, 10)}, "version": {"1"}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, "«Mediatore» è già impegnato il "+day+" dalle 09:00 alle 11:00") {
			t.Errorf("a double booking in the UI: %d", r.status)
		}
		decodeBooking(t, apiAssign(sw, after.ID, samir, 1), http.StatusOK)

		// Once the first is cancelled, its time is free again.
		decodeBooking(t, sw.api("POST", fmt.Sprintf("/api/v1/cases/%d/mediation/%d/cancel", id, first.ID),
			`{"reason":"Il colloquio è stato spostato a data da destinarsi.","version":2}`), http.StatusOK)
		decodeBooking(t, apiAssign(sw, clash.ID, samir, 1), http.StatusOK)
	})
}

// TestMediationConcurrentAssignmentsCannotDoubleBook gives one mediator to
// two overlapping bookings at once, many times: exactly one assignment of
// each pair succeeds. On PostgreSQL this holds because the assignment locks
// the mediator's row; SQLite has one writer at a time.
func TestMediationConcurrentAssignmentsCannotDoubleBook(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := mediationCase(t, db)
		a, b := e.client(), e.client()
		a.login("assistente.sociale")
		b.login("assistente.sociale")
		samir := profileOf(t, db, "mediatore")
		for round := 0; round < 6; round++ {
			day := dayAhead(40 + round)
			x := apiRequest(t, a, id, map[string]any{"date": day, "start_time": "09:00", "duration_minutes": 90})
			y := apiRequest(t, a, id, map[string]any{"date": day, "start_time": "10:00", "duration_minutes": 90})
			bodyX := fmt.Sprintf(`{"mediator_id":%d,"version":1}`, samir)
			tokA, tokB := a.token("/"), b.token("/")
			var wg sync.WaitGroup
			start := make(chan struct{})
			statuses := make([]int, 2)
			for i, call := range []struct {
				c   *client
				tok string
				id  int64
			}{{a, tokA, x.ID}, {b, tokB, y.ID}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r := call.c.do("POST", fmt.Sprintf("/api/v1/mediation/bookings/%d/assign", call.id), strings.NewReader(bodyX),
						map[string]string{"Content-Type": "application/json", "X-CSRF-Token": call.tok})
					statuses[i] = r.status
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusConflict:
				default:
					t.Errorf("round %d: status %d", round, s)
				}
			}
			if ok != 1 {
				t.Errorf("round %d: %d of two overlapping assignments of one mediator succeeded (%v)", round, ok, statuses)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM mediation_bookings WHERE id IN (?, ?) AND mediator_id = ? AND state = 'assigned'`,
				x.ID, y.ID, samir); n != 1 {
				t.Errorf("round %d: the mediator holds %d of the two overlapping bookings", round, n)
			}
		}
	})
}

func TestMediationMatchesAreaUnlessRemote(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		bs, _ := caseOf(t, db, "UDP-BS-E")
		c := e.client()
		c.login("as.brescia")
		// Tigrinya in Brescia: Hiwet serves Prato and Versilia only, so she
		// fits only a call.
		inPerson := apiRequest(t, c, bs, map[string]any{"language": "ti", "date": dayAhead(34)})
		if r := c.get(fmt.Sprintf("/api/v1/mediation/bookings/%d/candidates", inPerson.ID)); r.status != http.StatusOK || strings.Contains(r.body, "Hiwet Tesfay") {
			t.Errorf("an appointment in Brescia suggests a mediator of other areas: %d %s", r.status, r.body)
		}
		r := apiAssign(c, inPerson.ID, profileOf(t, db, "mediatrice.tigrino"), 1)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "non lavora nell'ambito del caso") {
			t.Errorf("a mediator of another area: %d %s", r.status, r.body)
		}
		call := apiRequest(t, c, bs, map[string]any{"language": "ti", "date": dayAhead(34), "remote": true, "place": nil})
		if r := c.get(fmt.Sprintf("/api/v1/mediation/bookings/%d/candidates", call.ID)); !strings.Contains(r.body, "Hiwet Tesfay") {
			t.Errorf("a call does not suggest Hiwet: %s", r.body)
		}
		decodeBooking(t, apiAssign(c, call.ID, profileOf(t, db, "mediatrice.tigrino"), 1), http.StatusOK)
		// The Prato social worker neither sees nor assigns Brescia's
		// requests.
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get(fmt.Sprintf("/mediation/bookings/%d/assign", inPerson.ID)); r.status != http.StatusNotFound {
			t.Errorf("another organisation's request: %d", r.status)
		}
	})
}

func TestMediatorRegistry(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		coord := e.client()
		coord.login("capofila")
		r := coord.get("/mediators?language=ti")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Hiwet Tesfay") || strings.Contains(r.body, "Samir Haddad") {
			t.Fatalf("the registry filtered by Tigrinya: %d", r.status)
		}
		if r := coord.get("/api/v1/mediators?language=uk"); !strings.Contains(r.body, "Olena Kovalenko") || strings.Contains(r.body, "Hiwet") {
			t.Errorf("the API's registry filtered by Ukrainian: %s", r.body)
		}
		if r := coord.get("/api/v1/mediators?language=xx"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown language: %d", r.status)
		}

		// The mediator keeps their own availability, not anyone else's.
		samir := profileOf(t, db, "mediatore")
		med := e.client()
		med.login("mediatore")
		edit := fmt.Sprintf("/mediators/%d/edit", samir)
		r = med.get(edit)
		if r.status != http.StatusOK || !strings.Contains(r.body, `name="slots.0.from"`) || strings.Contains(r.body, `name="languages"`) {
			t.Fatalf("the mediator's own form: %d", r.status)
		}
		if r := med.get(fmt.Sprintf("/mediators/%d/edit", profileOf(t, db, "mediatrice.araba"))); r.status != http.StatusNotFound {
			t.Errorf("a mediator edits another's profile: %d", r.status)
		}
		version := count(t, db, `SELECT version FROM mediators WHERE id = ?`, samir)
		save := fmt.Sprintf("/mediators/%d", samir)
		form := url.Values{"csrf_token": {med.token(edit)}, "version": {strconv.Itoa(version)},
			"slots.0.weekday": {"1"}, "slots.0.from": {"14:00"}, "slots.0.to": {"12:00"},
			"slots.1.weekday": {"1"}, "slots.1.from": {""}, "slots.1.to": {""}, "availability_notes": {"Solo pomeriggio"}}
		r = med.post(save, form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#slots.0.to"`) {
			t.Errorf("an end before the start: %d", r.status)
		}
		form.Set("slots.0.to", "18:00")
		if r := med.post(save, form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/mediation/mine?saved=1" {
			t.Fatalf("saving the availability: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM mediator_slots WHERE mediator_id = ?`, samir); n != 1 {
			t.Errorf("%d slots saved, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM mediator_languages WHERE mediator_id = ?`, samir); n != 3 {
			t.Errorf("saving the availability changed the languages: %d", n)
		}
		if r := med.api("PUT", fmt.Sprintf("/api/v1/mediators/%d", samir), `{"languages":["en"],"area_ids":[1],"version":9}`); r.status != http.StatusNotFound {
			t.Errorf("a mediator rewrites their profile: %d", r.status)
		}
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get(edit); r.status != http.StatusNotFound {
			t.Errorf("a social worker edits a profile: %d", r.status)
		}

		// The coordinator takes a mediator off the bookings; bad input names
		// its fields.
		version = count(t, db, `SELECT version FROM mediators WHERE id = ?`, samir)
		r = coord.api("PUT", fmt.Sprintf("/api/v1/mediators/%d", samir), fmt.Sprintf(`{"languages":["xx"],"area_ids":[],"version":%d}`, version))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"languages"`) || !strings.Contains(r.body, `"field":"area_ids"`) {
			t.Errorf("a bad profile: %d %s", r.status, r.body)
		}
		area := count(t, db, `SELECT id FROM areas WHERE code = 'FI-PO'`)
		r = coord.api("PUT", fmt.Sprintf("/api/v1/mediators/%d", samir),
			fmt.Sprintf(`{"languages":["ar","fr"],"area_ids":[%d],"gender":"male","active":false,"version":%d}`, area, version))
		if r.status != http.StatusOK || !strings.Contains(r.body, `"takes_bookings":false`) {
			t.Fatalf("taking the mediator off: %d %s", r.status, r.body)
		}
		id, _ := mediationCase(t, db)
		b := apiRequest(t, sw, id, map[string]any{"date": dayAhead(35)})
		if r := sw.get(fmt.Sprintf("/api/v1/mediation/bookings/%d/candidates", b.ID)); strings.Contains(r.body, "Samir Haddad") {
			t.Error("an inactive mediator is suggested")
		}
		if count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'mediator' AND record_id = ? AND action = 'update'`,
			strconv.FormatInt(samir, 10)) != 2 {
			t.Error("the changes of the profile are not audited")
		}
	})
}
