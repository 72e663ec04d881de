package server_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
)

// errorFields returns the fields an API error names.
func errorFields(t *testing.T, r response) []string {
	t.Helper()
	var body struct {
		Error struct {
			Fields []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	var out []string
	for _, f := range body.Error.Fields {
		out = append(out, f.Field)
	}
	return out
}

const goodRule = `{"code":"%s","name_it":"Prova","name_en":"Test","start_event":"placement_403","offset_amount":2,
	"offset_unit":"days","responsible":"case_worker","title_it":"Fare la prova","title_en":"Do the test",
	"completion_event":"hearing_held","source_text":"art. 1 prova"}`

func TestDeadlineRulesRefuseBadRules(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := e.client()
		admin.login("admin")
		before := count(t, db, `SELECT COUNT(*) FROM deadline_rules`)
		audits := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'deadline_rule'`)
		for _, tc := range []struct {
			name, body, field string
		}{
			{"negative after an event", strings.Replace(goodRule, `"offset_amount":2`, `"offset_amount":-2`, 1), "offset_amount"},
			{"unknown event", strings.Replace(goodRule, `"start_event":"placement_403"`, `"start_event":"moon_landing"`, 1), "start_event"},
			{"unknown unit", strings.Replace(goodRule, `"offset_unit":"days"`, `"offset_unit":"weeks"`, 1), "offset_unit"},
			{"no source", strings.Replace(goodRule, `"source_text":"art. 1 prova"`, `"source_text":""`, 1), "source_text"},
			{"no title", strings.Replace(goodRule, `"title_it":"Fare la prova"`, `"title_it":""`, 1), "title_it"},
			// art403_transmission starts on the placement and completes on
			// the transmission: a rule back closes the cycle.
			{"cycle", strings.Replace(strings.Replace(goodRule, `"start_event":"placement_403"`, `"start_event":"prosecutor_transmission"`, 1),
				`"completion_event":"hearing_held"`, `"completion_event":"placement_403"`, 1), "completion_event"},
		} {
			r := admin.api("POST", "/api/v1/deadline-rules", strings.Replace(tc.body, "%s", "bad_rule", 1))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorFields(t, r), ","), tc.field) {
				t.Errorf("%s: %d %s, want 422 on %s", tc.name, r.status, r.body, tc.field)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM deadline_rules`); n != before {
			t.Errorf("refused rules wrote %d rows", n-before)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'deadline_rule'`); n != audits {
			t.Errorf("refused rules were audited")
		}
		// Every rule of the legal table ships, each with its source.
		if n := count(t, db, `SELECT COUNT(*) FROM deadline_rules WHERE programme_id IS NULL AND source_text <> ''`); n < 20 {
			t.Errorf("%d default rules", n)
		}
		// Whoever reads cases reads the rules; nobody else.
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/api/v1/deadline-rules"); r.status != http.StatusOK || !strings.Contains(r.body, "msna_guardian_request") {
			t.Errorf("the social worker reads the rules: %d", r.status)
		}
		if r := sw.api("PUT", "/api/v1/deadline-rules/msna_interview", `{}`); r.status != http.StatusNotFound {
			t.Errorf("the social worker edits a rule: %d", r.status)
		}
	})
}

func TestDeadlineRuleOverrideAppliesToItsProgramme(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id := int64(count(t, db, `SELECT COALESCE(MIN(c.id), 0) FROM cases c JOIN users w ON w.id = c.case_worker_id
			WHERE w.username = 'assistente.sociale' AND c.closed_at IS NULL AND c.programme_id IS NOT NULL`))
		if id == 0 {
			t.Fatal("no open case of the social worker's in a programme")
		}
		programme := count(t, db, `SELECT programme_id FROM cases WHERE id = ?`, id)
		admin := e.client()
		admin.login("admin")

		// The network's rule, edited with its version: a stale edit is 409.
		var rule map[string]any
		r := admin.get("/api/v1/deadline-rules")
		var list struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil {
			t.Fatal(err)
		}
		for _, it := range list.Items {
			if it["code"] == "msna_interview" && it["programme_id"] == nil {
				rule = it
			}
		}
		if rule == nil {
			t.Fatalf("no msna_interview in %s", r.body)
		}
		rule["source_url"] = "https://www.normattiva.it/"
		b, _ := json.Marshal(rule)
		r = admin.api("PUT", "/api/v1/deadline-rules/msna_interview", string(b))
		if r.status != http.StatusOK || !strings.Contains(r.body, `"version":2`) {
			t.Fatalf("edit the network rule: %d %s", r.status, r.body)
		}
		r = admin.api("PUT", "/api/v1/deadline-rules/msna_interview", string(b))
		if r.status != http.StatusConflict {
			t.Errorf("a stale edit: %d %s", r.status, r.body)
		}

		// The programme's own rule: 5 days instead of 3.
		rule["programme_id"], rule["offset_amount"], rule["version"] = programme, 5, 0
		b, _ = json.Marshal(rule)
		r = admin.api("POST", "/api/v1/deadline-rules", string(b))
		if r.status != http.StatusCreated {
			t.Fatalf("the programme's override: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'deadline_rule' AND record_id = ?`,
			"msna_interview@"+strconv.Itoa(programme)); n != 1 {
			t.Errorf("%d audit entries of the override", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'deadline_rule' AND record_id = 'msna_interview'
			AND action = 'update' AND fields LIKE '%source_url%'`); n != 1 {
			t.Errorf("%d audit entries of the edit", n)
		}

		sw := e.client()
		sw.login("assistente.sociale")
		entry := time.Date(2026, 4, 3, 10, 0, 0, 0, approdo.Rome)
		r = sw.api("POST", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/events",
			`{"event":"first_reception_entry","occurred_at":"`+entry.Format(time.RFC3339)+`"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("record the entry: %d %s", r.status, r.body)
		}
		if got, want := readClocks(t, sw, id).due("msna_interview", "open"), entry.AddDate(0, 0, 5).UTC().Format(time.RFC3339); got != want {
			t.Errorf("the programme's interview due %q, want %s", got, want)
		}

		// The lead coordinator edits the programmes their organisation
		// leads, never the network's rules.
		lead := e.client()
		lead.login("capofila")
		if r := lead.api("PUT", "/api/v1/deadline-rules/msna_interview", `{}`); r.status != http.StatusNotFound {
			t.Errorf("the lead coordinator edits a network rule: %d", r.status)
		}
		led := count(t, db, `SELECT COALESCE(MIN(p.id), 0) FROM programmes p JOIN users u ON u.organisation_id = p.lead_org_id
			WHERE u.username = 'capofila'`)
		if led != 0 {
			r := lead.api("POST", "/api/v1/deadline-rules", strings.Replace(strings.Replace(goodRule, "%s", "lead_rule", 1),
				`"code"`, `"programme_id":`+strconv.Itoa(led)+`,"code"`, 1))
			if r.status != http.StatusCreated {
				t.Errorf("the lead coordinator adds a rule to their programme: %d %s", r.status, r.body)
			}
		}
		r = lead.api("POST", "/api/v1/deadline-rules", strings.Replace(goodRule, "%s", "lead_network", 1))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorFields(t, r), ","), "programme_id") {
			t.Errorf("the lead coordinator adds a network rule: %d %s", r.status, r.body)
		}
	})
}

func TestClockEighteenthBirthdayFollowsTheBirthDate(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := taskCase(t, db)
		pid := count(t, db, `SELECT MIN(person_id) FROM case_persons WHERE case_id = ? AND role = 'main'`, id)
		if pid == 0 {
			t.Skip("the case has no main person")
		}
		c := e.client()
		c.login("assistente.sociale")
		path := "/api/v1/cases/" + strconv.FormatInt(id, 10) + "/persons/" + strconv.Itoa(pid)
		setBirth := func(min, max time.Time) {
			t.Helper()
			r := c.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("read the person: %d %s", r.status, r.body)
			}
			var p map[string]any
			if err := json.Unmarshal([]byte(r.body), &p); err != nil {
				t.Fatal(err)
			}
			p["birth_precision"], p["birth_min"], p["birth_max"] = "range", min.Format(time.DateOnly), max.Format(time.DateOnly)
			delete(p, "birth_date")
			b, _ := json.Marshal(p)
			if r := c.api("PUT", path, string(b)); r.status != http.StatusOK {
				t.Fatalf("save the birth date: %d %s", r.status, r.body)
			}
		}
		now := time.Now().UTC()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		min, max := today.AddDate(-18, 4, 0), today.AddDate(-18, 10, 0)
		setBirth(min, max)
		midnight := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, approdo.Rome) }
		l := readClocks(t, c, id)
		window := midnight(min.AddDate(18, 0, 0)).AddDate(0, 0, -90)
		end := midnight(max.AddDate(18, 0, 0)).AddDate(0, 36, 0)
		if got := l.due("permit_conversion_window", "open"); got != window.UTC().Format(time.RFC3339) {
			t.Errorf("the permit window (earliest 18th birthday) due %q, want %s", got, window.UTC().Format(time.RFC3339))
		}
		if got := l.due("prosieguo_end", "open"); got != end.UTC().Format(time.RFC3339) {
			t.Errorf("the end of care (latest 18th birthday) due %q, want %s", got, end.UTC().Format(time.RFC3339))
		}
		if l.Earliest == nil || *l.Earliest != min.AddDate(18, 0, 0).Format(time.DateOnly) {
			t.Errorf("earliest 18th birthday %v", l.Earliest)
		}
		page := c.get("/cases/" + strconv.FormatInt(id, 10) + "/clocks")
		if !strings.Contains(page.body, "Usata la data più tardiva") || !strings.Contains(page.body, "Usata la data più vicina") {
			t.Error("the section does not say which bound each clock used")
		}
		n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND rule_code IS NOT NULL`, id)

		// A new age assessment moves the open clocks; it makes no new ones.
		setBirth(min.AddDate(0, 1, 0), max.AddDate(0, 1, 0))
		l = readClocks(t, c, id)
		window = midnight(min.AddDate(18, 1, 0)).AddDate(0, 0, -90)
		if got := l.due("permit_conversion_window", "open"); got != window.UTC().Format(time.RFC3339) {
			t.Errorf("the moved permit window due %q, want %s", got, window.UTC().Format(time.RFC3339))
		}
		if m := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND rule_code IS NOT NULL`, id); m != n {
			t.Errorf("moving the birth date made %d clocks more", m-n)
		}
		if a := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_task' AND action = 'update' AND case_id = ?
			AND fields = 'due_at'`, id); a < 3 {
			t.Errorf("%d moved clocks audited", a)
		}
	})
}
