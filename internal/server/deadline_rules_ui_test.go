package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

// ruleForm is the form of the network's rule msna_interview, edited to
// last amount days.
func ruleForm(tok, version, programme, amount string) url.Values {
	return url.Values{"csrf_token": {tok}, "version": {version}, "programme_id": {programme},
		"name_it": {"MSNA: colloquio di prima accoglienza"}, "name_en": {"UASC: first-reception interview"},
		"start_event": {"first_reception_entry"}, "offset_amount": {amount}, "offset_unit": {"days"}, "responsible": {"case_worker"},
		"title_it": {"Tenere il colloquio con il minore"}, "title_en": {"Hold the interview with the minor"},
		"completion_event": {"interview_held"}, "source_text": {"art. 19-bis D.Lgs 142/2015; DPCM 98/2024"}, "enabled": {"1"}}
}

func TestDeadlineRulesAreEditedInTheAdministration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		offset := func(programme string) int {
			q := `SELECT COALESCE(MAX(offset_amount), -1) FROM deadline_rules WHERE code = 'msna_interview' AND programme_id IS NULL`
			if programme != "" {
				q = `SELECT COALESCE(MAX(offset_amount), -1) FROM deadline_rules WHERE code = 'msna_interview' AND programme_id = ` + programme
			}
			return count(t, db, q)
		}
		admin := e.client()
		admin.login("admin")
		if r := admin.get("/admin"); !strings.Contains(r.body, `href="/deadline-rules"`) {
			t.Error("the administration does not link the deadline rules")
		}
		list := admin.get("/deadline-rules")
		if list.status != http.StatusOK || !strings.Contains(list.body, "art. 19-bis D.Lgs 142/2015") ||
			!strings.Contains(list.body, `href="/deadline-rules/msna_interview/edit"`) {
			t.Fatalf("the rules' list: %d", list.status)
		}
		tok := admin.token("/deadline-rules/msna_interview/edit")

		// A negative offset after an event is refused, naming the field;
		// nothing changes.
		if r := admin.post("/deadline-rules/msna_interview", ruleForm(tok, "1", "", "-2")); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `href="#offset_amount"`) || offset("") != 3 {
			t.Fatalf("a negative offset: %d", r.status)
		}
		if r := admin.post("/deadline-rules/msna_interview", ruleForm(tok, "1", "", "tre")); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `href="#offset_amount"`) {
			t.Errorf("an offset that is no number: %d", r.status)
		}
		if r := admin.post("/deadline-rules/msna_interview", ruleForm(tok, "1", "", "4")); r.status != http.StatusSeeOther || offset("") != 4 {
			t.Fatalf("editing the rule: %d %s", r.status, r.body)
		}
		// The same edit from the old version is refused, not lost.
		if r := admin.post("/deadline-rules/msna_interview", ruleForm(tok, "1", "", "5")); r.status != http.StatusConflict || offset("") != 4 {
			t.Errorf("a stale edit: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'deadline_rule' AND action = 'update'`); n != 1 {
			t.Errorf("%d rule changes audited, want 1", n)
		}

		// The lead entity's coordinator adapts the rule for INCONTRO only;
		// the network's rule is not theirs to change.
		incontro := strconv.Itoa(count(t, db, `SELECT id FROM programmes WHERE code = 'INCONTRO'`))
		lead := e.client()
		lead.login("capofila")
		r := lead.get("/deadline-rules/override?programme=" + incontro + "&code=msna_interview")
		if r.status != http.StatusSeeOther {
			t.Fatalf("choosing the rule to adapt: %d", r.status)
		}
		r = lead.get(r.header.Get("Location"))
		if r.status != http.StatusOK || !strings.Contains(r.body, `name="programme_id" value="`+incontro+`"`) {
			t.Fatalf("adapting the rule for the programme: %d", r.status)
		}
		leadTok := lead.token("/deadline-rules")
		if r := lead.post("/deadline-rules/msna_interview", ruleForm(leadTok, "4", "", "2")); r.status != http.StatusNotFound || offset("") != 4 {
			t.Errorf("the coordinator editing the network's rule: %d", r.status)
		}
		if r := lead.post("/deadline-rules/msna_interview", ruleForm(leadTok, "0", incontro, "2")); r.status != http.StatusSeeOther ||
			offset(incontro) != 2 || offset("") != 4 {
			t.Fatalf("the programme's own rule: %d %s", r.status, r.body)
		}
	})
}
