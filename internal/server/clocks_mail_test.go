package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo/internal/notify/smtptest"
	"approdo/internal/store"
)

// TestLegalClockFallsDueAndMailsOnceAcrossARestart records an art. 403
// emergency placement on a case, moves the clock past its 24-hour deadline
// and checks that the social worker is mailed about the task falling due
// once — naming the case by its code — even when a restarted server runs
// the chores again; recording the transmission to the prosecutor then
// completes the task.
func TestLegalClockFallsDueAndMailsOnceAcrossARestart(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		id, code := taskCase(t, db)
		caseID := strconv.FormatInt(id, 10)
		exec(t, db, `UPDATE users SET email = 'assistente@example.org' WHERE username = 'assistente.sociale'`)
		exec(t, db, `UPDATE case_tasks SET state = 'done' WHERE case_id = ? AND state = 'open'`, id)
		sw := e.client()
		sw.login("assistente.sociale")
		placed := time.Now().Add(-time.Hour).UTC().Truncate(time.Minute)
		r := sw.api("POST", "/api/v1/cases/"+caseID+"/events", fmt.Sprintf(`{"event":"placement_403","occurred_at":%q}`, placed.Format(time.RFC3339)))
		if r.status != http.StatusOK && r.status != http.StatusCreated {
			t.Fatalf("recording the placement: %d %s", r.status, r.body)
		}
		// The measure goes to the juvenile prosecutor within 24 hours.
		task := count(t, db, `SELECT COALESCE(MIN(id), 0) FROM case_tasks WHERE case_id = ? AND rule_code IS NOT NULL AND state = 'open'
			AND due_at = ?`, id, placed.Add(24*time.Hour))
		if task == 0 {
			t.Fatalf("the placement made no task due 24 hours later: %s", r.body)
		}
		// The e-mails about this case: the social worker has others.
		mailed := func() []smtptest.Message {
			var out []smtptest.Message
			for _, m := range smtp.Messages() {
				if strings.Contains(strings.Join(m.To, ","), "assistente@example.org") && strings.Contains(m.Subject, code) {
					out = append(out, m)
				}
			}
			return out
		}
		due := placed.Add(24 * time.Hour)
		e.server.RunChores(context.Background(), due.Add(time.Minute))
		e.server.RunChores(context.Background(), due.Add(2*time.Minute))
		first := mailed()
		if len(first) == 0 {
			t.Fatal("nothing about the case was mailed when the clock fell due")
		}
		// One notice for each clock of the placement fallen due by then.
		fallen := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND rule_code IS NOT NULL AND due_at <= ?`,
			id, due.Add(2*time.Minute))
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE u.username = 'assistente.sociale' AND n.case_id = ? AND n.kind = 'task_due'`, id); n != fallen {
			t.Errorf("the social worker was told %d times that a clock fell due, want %d", n, fallen)
		}

		// A restarted server runs the chores again: nothing twice.
		restarted := mailServer(t, db, dir, smtp.Addr())
		restarted.server.RunChores(context.Background(), due.Add(time.Hour))
		restarted.server.RunChores(context.Background(), due.Add(2*time.Hour))
		if again := mailed(); len(again) != len(first) {
			t.Errorf("after the restart %d e-mails, before it %d", len(again), len(first))
		}
		seen := map[string]bool{}
		for _, m := range mailed() {
			if seen[m.ID] {
				t.Errorf("e-mail %s was sent twice", m.ID)
			}
			seen[m.ID] = true
		}

		// Sending the measure to the prosecutor is the thing the task asks:
		// recording it completes the task.
		sw = restarted.client()
		sw.login("assistente.sociale")
		r = sw.api("POST", "/api/v1/cases/"+caseID+"/events", fmt.Sprintf(`{"event":"prosecutor_transmission","occurred_at":%q}`,
			time.Now().UTC().Format(time.RFC3339)))
		if r.status != http.StatusOK && r.status != http.StatusCreated {
			t.Fatalf("recording the transmission: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE id = ? AND state = 'done'`, task); n != 1 {
			t.Error("recording the transmission did not complete the 24-hour task")
		}
	})
}
