package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"approdo"
	"approdo/internal/notify"
	"approdo/internal/notify/smtptest"
	"approdo/internal/server"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
)

const baseURL = "https://approdo.example.org"

// mailServer returns a server over db, whose vault key is in dir, that
// sends e-mail through the SMTP server at addr.
func mailServer(t *testing.T, db *store.DB, dir, addr string) *env {
	t.Helper()
	logs := &syncBuffer{}
	v, err := vault.Open(context.Background(), db, vault.NewKeyring(dir, ""))
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Demo: true, SecondFactorOptional: true, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		DataDir: dir, Vault: v, Mail: &notify.SMTP{Addr: addr, From: "approdo@example.org"}, BaseURL: baseURL}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: ts, logs: logs, server: s}
}

// eachMailEnv runs fn on both databases, each with a copy of the demo
// network served by a server that mails through smtp, and gives the
// operator an e-mail address. The demo's own jobs are cleared first.
func eachMailEnv(t *testing.T, fn func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string)) {
	t.Helper()
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		db, dir := storetest.Seeded(t, d, "demo", seedDemo)
		smtp := smtptest.Start(t)
		e := mailServer(t, db, dir, smtp.Addr())
		exec(t, db, `UPDATE users SET email = 'operatore@example.org' WHERE username = 'operatore'`)
		exec(t, db, `DELETE FROM jobs`)
		fn(t, e, db, smtp, dir)
	})
}

func exec(t *testing.T, db *store.DB, query string, args ...any) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), query, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// notifyOperator records n notifications for the operator on case id, as
// at created, and returns their ids.
func notifyOperator(t *testing.T, db *store.DB, caseID int64, code string, created time.Time, n int) []int64 {
	t.Helper()
	operator := secUserID(t, db, "operatore")
	var ids []int64
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		for range n {
			x := store.Notification{UserID: operator, Kind: "case_assigned", CaseID: caseID, CaseCode: code, CreatedAt: created}
			if err := store.InsertNotification(context.Background(), tx, &x); err != nil {
				return err
			}
			ids = append(ids, x.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// byID counts the messages received by their Message-ID.
func byID(msgs []smtptest.Message) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		out[m.ID]++
	}
	return out
}

func notificationMailID(id int64) string {
	return "notification." + strconv.FormatInt(id, 10) + "@approdo"
}

func TestMailANotificationBecomesOneEmailByCaseCode(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		id, code := taskCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/tasks"
		sw := e.client()
		sw.login("assistente.sociale")
		due := time.Now().In(approdo.Rome).Add(72 * time.Hour).Format("2006-01-02T15:04")
		r := sw.post(path, url.Values{"csrf_token": {sw.token(path)}, "title": {"Accompagnare alla visita (Prova-Mail-51c2)"},
			"due_at": {due}, "responsible_id": {strconv.FormatInt(secUserID(t, db, "operatore"), 10)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("adding a task: %d %s", r.status, r.body)
		}
		var nid int64
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT MAX(n.id) FROM notifications n JOIN users u ON u.id = n.user_id
				WHERE u.username = 'operatore' AND n.kind = 'task_assigned' AND n.case_id = ?`, id).Scan(&nid)
		})
		if err != nil || nid == 0 {
			t.Fatalf("no notification: %v", err)
		}
		// The e-mail job commits with the notification.
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE job_key = ? AND state = 'pending'`, "notification:"+strconv.FormatInt(nid, 10)); n != 1 {
			t.Fatal("no e-mail job was enqueued with the notification")
		}
		now := time.Now()
		e.server.RunChores(context.Background(), now)
		e.server.RunChores(context.Background(), now.Add(time.Minute))
		var mine []smtptest.Message
		for _, m := range smtp.To("operatore@example.org") {
			if m.ID == notificationMailID(nid) {
				mine = append(mine, m)
			}
		}
		if len(mine) != 1 {
			t.Fatalf("%d e-mails for the notification, want 1", len(mine))
		}
		m := mine[0]
		if !strings.Contains(m.Subject, code) || !strings.Contains(m.Body, "Ti è stato affidato un compito sul caso "+code) {
			t.Errorf("the e-mail does not name the case by its code: %q %q", m.Subject, m.Body)
		}
		if !strings.Contains(m.Body, baseURL+"/cases/"+strconv.FormatInt(id, 10)) {
			t.Errorf("the e-mail has no link to the case: %q", m.Body)
		}
		if strings.Contains(m.Body, "Prova-Mail") {
			t.Error("the e-mail carries the task's title")
		}
		persons := sw.get("/api/v1/cases/" + strconv.FormatInt(id, 10) + "/persons")
		names := personText.FindAllStringSubmatch(persons.body, -1)
		if len(names) == 0 {
			t.Fatalf("the case's persons have no names to look for: %s", persons.body)
		}
		for _, n := range names {
			if strings.Contains(m.Subject+m.Body, n[1]) {
				t.Errorf("the e-mail names the person %q", n[1])
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE job_key = ? AND state = 'done' AND attempts = 1`, "notification:"+strconv.FormatInt(nid, 10)); n != 1 {
			t.Error("the e-mail job is not done after one attempt")
		}
	})
}

func TestMailTwoSchedulersNeverSendTwice(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		id, code := taskCase(t, db)
		ids := notifyOperator(t, db, id, code, time.Now(), 25)
		other := mailServer(t, db, dir, smtp.Addr())
		now := time.Now()
		var wg sync.WaitGroup
		for _, s := range []*server.Server{e.server, other.server, e.server, other.server} {
			wg.Go(func() {
				for i := range 3 {
					s.RunChores(context.Background(), now.Add(time.Duration(i)*time.Second))
				}
			})
		}
		wg.Wait()
		got := byID(smtp.Messages())
		for _, nid := range ids {
			if n := got[notificationMailID(nid)]; n != 1 {
				t.Errorf("notification %d was mailed %d times", nid, n)
			}
		}
	})
}

func TestMailARestartLosesNoPendingJob(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		id, code := taskCase(t, db)
		now := time.Now()
		ids := notifyOperator(t, db, id, code, now, 3)
		// A server claims one job and dies before sending it; the others
		// are still pending when it goes.
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := store.ClaimJobs(context.Background(), tx, "dead-server", now, 5*time.Minute, 1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		restarted := mailServer(t, db, dir, smtp.Addr())
		restarted.server.RunChores(context.Background(), now.Add(time.Minute))
		if got := byID(smtp.Messages()); got[notificationMailID(ids[0])] != 0 || got[notificationMailID(ids[1])] != 1 || got[notificationMailID(ids[2])] != 1 {
			t.Fatalf("after the restart, while the dead server's lease holds: %v", got)
		}
		restarted.server.RunChores(context.Background(), now.Add(6*time.Minute))
		restarted.server.RunChores(context.Background(), now.Add(7*time.Minute))
		got := byID(smtp.Messages())
		for _, nid := range ids {
			if got[notificationMailID(nid)] != 1 {
				t.Errorf("notification %d was mailed %d times", nid, got[notificationMailID(nid)])
			}
		}
	})
}

func TestMailAServerDownIsRetriedWithBackoff(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		db, dir := storetest.Seeded(t, d, "demo", seedDemo)
		smtp := smtptest.Down(t)
		e := mailServer(t, db, dir, smtp.Addr())
		exec(t, db, `UPDATE users SET email = 'operatore@example.org' WHERE username = 'operatore'`)
		exec(t, db, `DELETE FROM jobs`)
		id, code := taskCase(t, db)
		now := time.Now()
		nid := notifyOperator(t, db, id, code, now, 1)[0]
		key := "notification:" + strconv.FormatInt(nid, 10)

		e.server.RunChores(context.Background(), now)
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE job_key = ? AND state = 'pending' AND attempts = 1 AND last_error LIKE 'smtp:%'`, key); n != 1 {
			t.Fatal("a failed send is not pending again with its error")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE job_key = ? AND last_error LIKE '%operatore%'`, key); n != 0 {
			t.Error("the recorded error names the recipient")
		}
		e.server.RunChores(context.Background(), now.Add(30*time.Second))
		if n := count(t, db, `SELECT attempts FROM jobs WHERE job_key = ?`, key); n != 1 {
			t.Fatalf("retried before its backoff: %d attempts", n)
		}
		e.server.RunChores(context.Background(), now.Add(time.Minute))
		if n := count(t, db, `SELECT attempts FROM jobs WHERE job_key = ?`, key); n != 2 {
			t.Fatalf("not retried after a minute: %d attempts", n)
		}
		// Back up: the e-mail arrives, once.
		smtp.Up()
		e.server.RunChores(context.Background(), now.Add(2*time.Minute))
		e.server.RunChores(context.Background(), now.Add(3*time.Minute))
		e.server.RunChores(context.Background(), now.Add(time.Hour))
		if got := byID(smtp.Messages())[notificationMailID(nid)]; got != 1 {
			t.Fatalf("the e-mail arrived %d times", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE job_key = ? AND state = 'done' AND attempts = 3`, key); n != 1 {
			t.Error("the job is not done after its third attempt")
		}
	})
}

func TestMailTaskRemindersFireOnceAndNotForDoneTasks(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		id, code := taskCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/tasks"
		operator := secUserID(t, db, "operatore")
		// The case's other tasks are done, so that only these remind.
		exec(t, db, `UPDATE case_tasks SET state = 'done' WHERE case_id = ? AND state = 'open'`, id)
		sw := e.client()
		sw.login("assistente.sociale")
		dueAt := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
		add := func(title string) int64 {
			r := sw.api("POST", "/api/v1"+path, fmt.Sprintf(`{"title":%q,"due_at":%q,"responsible_id":%d}`, title, dueAt.Format(time.RFC3339), operator))
			if r.status != http.StatusCreated {
				t.Fatalf("adding a task: %d %s", r.status, r.body)
			}
			var tid int64
			err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(context.Background(), `SELECT MAX(id) FROM case_tasks WHERE case_id = ?`, id).Scan(&tid)
			})
			if err != nil {
				t.Fatal(err)
			}
			return tid
		}
		open, done := add("Rinnovare il permesso (Prova-Promemoria-1)"), add("Rinnovare il permesso (Prova-Promemoria-2)")
		notified := func(kind string) int {
			return count(t, db, `SELECT COUNT(*) FROM notifications WHERE case_id = ? AND kind = ? AND user_id = ?`, id, kind, operator)
		}
		job := func(prefix string, task int64) string {
			var state string
			err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(context.Background(), `SELECT state FROM jobs WHERE job_key = ?`,
					fmt.Sprintf("%s:%d:%d", prefix, task, dueAt.Unix())).Scan(&state)
			})
			if err != nil {
				return "absent"
			}
			return state
		}
		// Two days ahead nothing is due yet.
		e.server.RunChores(context.Background(), time.Now())
		if notified("task_due_soon")+notified("task_due") != 0 {
			t.Fatal("a reminder fired two days early")
		}
		// A day before, the reminder that it is due soon, once each,
		// however often the chores run.
		e.server.RunChores(context.Background(), dueAt.Add(-23*time.Hour))
		e.server.RunChores(context.Background(), dueAt.Add(-22*time.Hour))
		if n := notified("task_due_soon"); n != 2 {
			t.Errorf("the reminders before the due time fired %d times, want once for each task", n)
		}
		// One task is done before it falls due: its due reminder sends
		// nothing; the other's fires once. (The chores, run a day ahead,
		// ended the sessions.)
		sw = e.client()
		sw.login("assistente.sociale")
		r := sw.api("POST", "/api/v1"+path+"/"+strconv.FormatInt(done, 10), `{"state":"done","version":1}`)
		if r.status != http.StatusOK {
			t.Fatalf("marking a task done: %d %s", r.status, r.body)
		}
		for _, at := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Hour} {
			e.server.RunChores(context.Background(), dueAt.Add(at))
		}
		if n := notified("task_due"); n != 1 {
			t.Errorf("the due reminder fired %d times", n)
		}
		if got := job("task-due", open); got != "done" {
			t.Errorf("the open task's reminder is %s", got)
		}
		if got := job("task-due", done); got != "skipped" {
			t.Errorf("the done task's reminder is %s", got)
		}
		// The operator got them by e-mail too, by the case's code: two
		// "due soon", one "due".
		var subjects []string
		for _, m := range smtp.To("operatore@example.org") {
			if strings.Contains(m.Subject, code) && strings.Contains(m.Subject, "scad") && !strings.Contains(m.Body, "Prova-Promemoria") {
				subjects = append(subjects, m.Subject)
			}
		}
		if len(subjects) != 3 {
			t.Errorf("the reminders by e-mail: %q", subjects)
		}
	})
}

func TestMailDailyDigestGroupsTheDay(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		op := e.client()
		op.login("operatore")
		if r := op.api("GET", "/api/v1/me/notification-settings", ""); r.status != http.StatusOK || !strings.Contains(r.body, `"email_notifications":"immediately"`) || !strings.Contains(r.body, `"has_email":true`) {
			t.Fatalf("the default settings: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", "/api/v1/me/notification-settings", `{"email_notifications":"weekly"}`); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("an unknown preference: %d %s", r.status, r.body)
		}
		if r := op.api("PUT", "/api/v1/me/notification-settings", `{"email_notifications":"daily"}`); r.status != http.StatusOK || !strings.Contains(r.body, `"daily"`) {
			t.Fatalf("choosing the digest: %d %s", r.status, r.body)
		}
		id, code := taskCase(t, db)
		day := time.Date(2031, 5, 6, 0, 0, 0, 0, approdo.Rome)
		ids := append(notifyOperator(t, db, id, code, day.Add(9*time.Hour), 1), notifyOperator(t, db, id, code, day.Add(13*time.Hour), 2)...)
		next := notifyOperator(t, db, id, code, day.Add(24*time.Hour+9*time.Hour), 1)
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE kind = 'mail_digest'`); n != 2 {
			t.Fatalf("%d digest jobs, want one per day", n)
		}
		e.server.RunChores(context.Background(), day.Add(24*time.Hour+7*time.Hour+59*time.Minute))
		if n := len(smtp.Messages()); n != 0 {
			t.Fatalf("%d e-mails before 08:00", n)
		}
		e.server.RunChores(context.Background(), day.Add(24*time.Hour+8*time.Hour+time.Minute))
		e.server.RunChores(context.Background(), day.Add(24*time.Hour+9*time.Hour))
		msgs := smtp.To("operatore@example.org")
		if len(msgs) != 1 {
			t.Fatalf("%d e-mails, want one digest", len(msgs))
		}
		m := msgs[0]
		if !strings.HasPrefix(m.ID, "digest.") || strings.Count(m.Body, code) != 3 {
			t.Errorf("the digest %q: %q", m.ID, m.Body)
		}
		for _, nid := range append(ids, next...) {
			if byID(msgs)[notificationMailID(nid)] != 0 {
				t.Error("a notification of a digest was also mailed on its own")
			}
		}
		// The next day's digest comes the day after, with one notification.
		e.server.RunChores(context.Background(), day.Add(48*time.Hour+8*time.Hour))
		if msgs := smtp.To("operatore@example.org"); len(msgs) != 2 || strings.Count(msgs[1].Body, code) != 1 {
			t.Errorf("the second digest: %d e-mails", len(msgs))
		}
	})
}

func TestMailSettingsPageAndFailedJobs(t *testing.T) {
	eachMailEnv(t, func(t *testing.T, e *env, db *store.DB, smtp *smtptest.Server, dir string) {
		op := e.client()
		op.login("operatore")
		if r := op.get("/account/notifications"); r.status != http.StatusOK || !strings.Contains(r.body, "operatore@example.org") ||
			!strings.Contains(r.body, `value="immediately" checked`) {
			t.Fatalf("the settings page: %d", r.status)
		}
		tok := op.token("/account/notifications")
		if r := op.post("/account/notifications", url.Values{"csrf_token": {tok}, "email_notifications": {"sometimes"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#email_notifications"`) {
			t.Fatalf("an unknown choice: %d", r.status)
		}
		if r := op.post("/account/notifications", url.Values{"csrf_token": {tok}, "email_notifications": {"none"}}); r.status != http.StatusSeeOther {
			t.Fatalf("saving: %d %s", r.status, r.body)
		}
		if r := op.get("/account/notifications?saved=1"); !strings.Contains(r.body, `value="none" checked`) {
			t.Error("the choice was not saved")
		}
		id, code := taskCase(t, db)
		notifyOperator(t, db, id, code, time.Now(), 1)
		if n := count(t, db, `SELECT COUNT(*) FROM jobs`); n != 0 {
			t.Error("an e-mail job was enqueued for a user who wants none")
		}

		// A failed job is listed for administrators, who retry it.
		exec(t, db, `INSERT INTO jobs (kind, job_key, payload, state, run_at, attempts, last_error, created_at)
			VALUES ('mail_notification', 'notification:999999', '{}', 'failed', ?, 10, 'smtp: rcpt to: the server replied 550', ?)`,
			time.Now().UTC(), time.Now().UTC())
		if r := op.get("/admin/jobs"); r.status != http.StatusNotFound {
			t.Errorf("an operator reads the failed jobs: %d", r.status)
		}
		admin := e.client()
		admin.login("admin")
		r := admin.get("/admin/jobs")
		if r.status != http.StatusOK || !strings.Contains(r.body, "notification:999999") || !strings.Contains(r.body, "the server replied 550") {
			t.Fatalf("the failed jobs: %d", r.status)
		}
		r = admin.api("GET", "/api/v1/jobs", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"key":"notification:999999"`) {
			t.Fatalf("the failed jobs in the API: %d %s", r.status, r.body)
		}
		jid := count(t, db, `SELECT id FROM jobs WHERE job_key = 'notification:999999'`)
		if r := op.post("/admin/jobs/"+strconv.Itoa(jid)+"/retry", url.Values{"csrf_token": {tok}}); r.status != http.StatusNotFound {
			t.Errorf("an operator retries a job: %d", r.status)
		}
		r = admin.post("/admin/jobs/"+strconv.Itoa(jid)+"/retry", url.Values{"csrf_token": {admin.token("/admin/jobs")}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("retrying: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE id = ? AND state = 'pending' AND attempts = 0`, jid); n != 1 {
			t.Error("the retried job is not pending")
		}
		if r := admin.api("POST", "/api/v1/jobs/"+strconv.Itoa(jid)+"/retry", ""); r.status != http.StatusConflict {
			t.Errorf("retrying a job that is not failed: %d", r.status)
		}
	})
}
