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

// clockList is the clocks of a case as the API shows them.
type clockList struct {
	Clocks []struct {
		ID         int64   `json:"id"`
		RuleCode   string  `json:"rule_code"`
		DueAt      string  `json:"due_at"`
		State      string  `json:"state"`
		StartedAt  *string `json:"started_at"`
		Birthday   *string `json:"birthday"`
		SourceText string  `json:"source_text"`
		Version    int     `json:"version"`
	} `json:"clocks"`
	Events []struct {
		Event string `json:"event"`
	} `json:"events"`
	Earliest *string `json:"earliest_eighteenth"`
	Latest   *string `json:"latest_eighteenth"`
}

func readClocks(t *testing.T, c *client, id int64) clockList {
	t.Helper()
	r := c.get("/api/v1/cases/" + strconv.FormatInt(id, 10) + "/clocks")
	if r.status != http.StatusOK {
		t.Fatalf("clocks: %d %s", r.status, r.body)
	}
	var out clockList
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// openClock returns the due date of the open clock of rule code, or "".
func (l clockList) due(code, state string) string {
	for _, c := range l.Clocks {
		if c.RuleCode == code && c.State == state {
			return c.DueAt
		}
	}
	return ""
}

func romeAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, approdo.Rome)
}

func TestClockPlacement403AndFirstReception(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := taskCase(t, db)
		c := e.client()
		c.login("assistente.sociale")
		path := "/api/v1/cases/" + strconv.FormatInt(id, 10) + "/events"

		// A placement under art. 403 on the Saturday before the spring
		// change of time: notice at once, transmission 24 real hours later.
		placed := romeAt(2026, 3, 28, 9, 0)
		r := c.api("POST", path, `{"event":"placement_403","occurred_at":"`+placed.Format(time.RFC3339)+`"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("record the placement: %d %s", r.status, r.body)
		}
		l := readClocks(t, c, id)
		for code, want := range map[string]time.Time{
			"art403_oral_notice":  placed,
			"art403_transmission": romeAt(2026, 3, 29, 10, 0), // 24 h, across the change to summer time
		} {
			if got := l.due(code, "open"); got != want.UTC().Format(time.RFC3339) {
				t.Errorf("%s due %q, want %s", code, got, want.UTC().Format(time.RFC3339))
			}
		}
		// The transmission completes the 24-hour clock and starts the
		// prosecutor's 72 hours.
		sent := romeAt(2026, 3, 29, 8, 30)
		r = c.api("POST", path, `{"event":"prosecutor_transmission","occurred_at":"`+sent.Format(time.RFC3339)+`"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("record the transmission: %d %s", r.status, r.body)
		}
		l = readClocks(t, c, id)
		if l.due("art403_transmission", "done") == "" || l.due("art403_transmission", "open") != "" {
			t.Errorf("the transmission did not complete its clock: %+v", l.Clocks)
		}
		if got, want := l.due("art403_prosecutor_request", "open"), sent.Add(72*time.Hour).UTC().Format(time.RFC3339); got != want {
			t.Errorf("prosecutor's request due %q, want %s", got, want)
		}
		if l.due("art403_oral_notice", "open") == "" {
			t.Error("the oral notice is not still open")
		}

		// Entry into first reception on the Friday before Easter Monday:
		// interview in 3 days, guardian in 3 working days, stay 30 days.
		entry := romeAt(2026, 4, 3, 10, 0)
		r = c.api("POST", path, `{"event":"first_reception_entry","occurred_at":"`+entry.Format(time.RFC3339)+`"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("record the entry: %d %s", r.status, r.body)
		}
		l = readClocks(t, c, id)
		for code, want := range map[string]time.Time{
			"msna_interview":        romeAt(2026, 4, 6, 10, 0),
			"msna_guardian_request": romeAt(2026, 4, 9, 10, 0), // Sat, Sun and Easter Monday skipped
			"msna_identification":   romeAt(2026, 4, 13, 10, 0),
			"first_reception_stay":  romeAt(2026, 5, 3, 10, 0),
		} {
			if got := l.due(code, "open"); got != want.UTC().Format(time.RFC3339) {
				t.Errorf("%s due %q, want %s", code, got, want.UTC().Format(time.RFC3339))
			}
		}
		for _, cl := range l.Clocks {
			if cl.SourceText == "" {
				t.Errorf("clock %s shows no source", cl.RuleCode)
			}
		}

		// The clocks are tasks like any other, on the section and the
		// tasks list, and everything was audited and is on the timeline.
		page := c.get("/cases/" + strconv.FormatInt(id, 10) + "/clocks")
		if page.status != http.StatusOK || !strings.Contains(page.body, "Trasmettere al PM") || !strings.Contains(page.body, "art. 403 c.c.") {
			t.Errorf("the clocks section: %d", page.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND rule_code IS NOT NULL`, id); n != 7 {
			t.Errorf("%d clock tasks, want 7", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_clock_event' AND case_id = ?`, id); n != 3 {
			t.Errorf("%d audited events, want 3", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_task' AND action = 'create' AND case_id = ?
			AND fields LIKE '%rule_code%'`, id); n != 7 {
			t.Errorf("%d audited clock tasks, want 7", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'clock_event'`, id); n != 3 {
			t.Errorf("%d timeline events, want 3", n)
		}

		// The form records too, and refuses nonsense naming the field.
		form := url.Values{"csrf_token": {c.token("/cases/" + strconv.FormatInt(id, 10) + "/clocks")}, "event": {"moon_landing"},
			"occurred_at": {"2026-04-03T10:00"}}
		r = c.post("/cases/"+strconv.FormatInt(id, 10)+"/events", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="clock-event-error"`) {
			t.Errorf("an unknown event: %d", r.status)
		}
		r = c.api("POST", path, `{"event":"eighteenth_birthday","occurred_at":"2026-04-03T10:00:00Z"}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"event"`) {
			t.Errorf("the 18th birthday by hand: %d %s", r.status, r.body)
		}
		r = c.api("POST", path, `{"event":"interview_held","occurred_at":"2099-01-01T10:00:00Z"}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"occurred_at"`) {
			t.Errorf("an event in the future: %d %s", r.status, r.body)
		}
		form.Set("event", "interview_held")
		r = c.post("/cases/"+strconv.FormatInt(id, 10)+"/events", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("record the interview by form: %d", r.status)
		}
		if l := readClocks(t, c, id); l.due("msna_interview", "done") == "" {
			t.Error("the interview did not complete its clock")
		}

		// Someone outside the case sees nothing and records nothing.
		other := e.client()
		other.login("capofila")
		if r := other.get("/api/v1/cases/" + strconv.FormatInt(id, 10) + "/clocks"); r.status != http.StatusNotFound {
			t.Errorf("the lead coordinator reads the clocks: %d", r.status)
		}
	})
}
