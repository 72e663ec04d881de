package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
)

// taskCase returns a case of the Prato social worker's, open, with the
// partner operator on its team and no task overdue at now, and its code.
func taskCase(t *testing.T, db *store.DB) (int64, string) {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(c.id), 0) FROM cases c JOIN users w ON w.id = c.case_worker_id
		WHERE w.username = 'assistente.sociale' AND c.closed_at IS NULL
		AND EXISTS (SELECT 1 FROM case_team m JOIN users u ON u.id = m.user_id WHERE m.case_id = c.id AND u.username = 'operatore')
		AND NOT EXISTS (SELECT 1 FROM case_tasks k WHERE k.case_id = c.id AND k.state = 'open' AND k.due_at < ?)`, time.Now().UTC()))
	if id == 0 {
		t.Fatal("the demo has no open case of the social worker's with the operator on its team and nothing overdue")
	}
	var code string
	for _, c := range caseCodes(t, db) {
		if c.id == id {
			code = c.code
		}
	}
	return id, code
}

type caseCode struct {
	id   int64
	code string
}

func caseCodes(t *testing.T, db *store.DB) []caseCode {
	t.Helper()
	var out []caseCode
	ctx := t.Context()
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, code FROM cases ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c caseCode
			if err := rows.Scan(&c.id, &c.code); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// overdueCaseIDs lists the ids the case list filtered on overdue tasks
// returns through the API.
func overdueCaseIDs(t *testing.T, c *client) []int64 {
	t.Helper()
	r := c.get("/api/v1/cases?overdue=1&limit=200")
	if r.status != http.StatusOK {
		t.Fatalf("the overdue list: %d %s", r.status, r.body)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range list.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestTasksMakeCasesOverdueUntilDone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, code := taskCase(t, db)
		path := "/cases/" + strconv.FormatInt(id, 10) + "/tasks"
		operator := secUserID(t, db, "operatore")
		tasks := func() int { return count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ?`, id) }
		before := tasks()

		sw := e.client()
		sw.login("assistente.sociale")
		r := sw.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Scadenze e compiti") || !strings.Contains(r.body, `name="title"`) {
			t.Fatalf("the tasks of the case: %d", r.status)
		}
		if slices.Contains(overdueCaseIDs(t, sw), id) {
			t.Fatal("a case with nothing overdue is in the overdue list")
		}

		// Bad input is explained field by field and writes nothing.
		tok := sw.token(path)
		for _, bad := range []struct {
			form   url.Values
			fields []string
		}{
			{url.Values{"title": {""}, "due_at": {"domani"}, "responsible_id": {strconv.FormatInt(secUserID(t, db, "as.roma"), 10)}},
				[]string{"task-title", "task-due_at", "task-responsible_id"}},
			{url.Values{"title": {strings.Repeat("a", 301)}, "due_at": {""}, "responsible_id": {""}},
				[]string{"task-title", "task-due_at", "task-responsible_id"}},
		} {
			bad.form.Set("csrf_token", tok)
			r := sw.post(path, bad.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("bad task %v: %d", bad.form, r.status)
			}
			for _, f := range bad.fields {
				if !strings.Contains(r.body, `href="#`+f+`"`) {
					t.Errorf("bad task %v: the summary does not name %s", bad.form, f)
				}
			}
			if got := tasks(); got != before {
				t.Fatalf("a refused task was written: %d tasks, want %d", got, before)
			}
		}

		// A task already late, given to the operator on the team.
		const title = "Telefonare alla tutrice volontaria (Prova-Compito-7a1f)"
		due := time.Now().In(approdo.Rome).Add(-2 * time.Hour).Format("2006-01-02T15:04")
		r = sw.post(path, url.Values{"csrf_token": {tok}, "title": {title}, "due_at": {due}, "responsible_id": {strconv.FormatInt(operator, 10)}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != path+"?saved=1" {
			t.Fatalf("adding a task: %d %s", r.status, r.body)
		}
		if tasks() != before+1 {
			t.Fatal("the task was not written")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE title_sealed LIKE ?`, "%Prova-Compito%"); n != 0 {
			t.Error("a task's title is stored in clear")
		}
		if r := sw.get(path); !strings.Contains(r.body, title) || !strings.Contains(r.body, "Scaduto") {
			t.Errorf("the case does not show its overdue task")
		}
		if r := sw.get("/cases?overdue=1"); !strings.Contains(r.body, code) || !strings.Contains(r.body, `id="overdue" name="overdue" type="checkbox" value="1" checked`) {
			t.Errorf("the UI's overdue list lacks %s, or its filter is not shown set", code)
		}
		if !slices.Contains(overdueCaseIDs(t, sw), id) {
			t.Error("the API's overdue list lacks the case")
		}
		// Every case the overdue list holds has a task open past its due date.
		for _, oid := range overdueCaseIDs(t, sw) {
			if count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND state = 'open' AND due_at < ?`, oid, time.Now().UTC()) == 0 {
				t.Errorf("case %d is listed as overdue with no overdue task", oid)
			}
		}
		if r := sw.get("/api/v1/cases?overdue=maybe"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"overdue"`) {
			t.Errorf("an unknown overdue value: %d %s", r.status, r.body)
		}

		// The operator is told, and finds the task among theirs.
		op := e.client()
		op.login("operatore")
		if r := op.get("/api/v1/notifications"); !strings.Contains(r.body, `"kind":"task_assigned"`) || !strings.Contains(r.body, code) {
			t.Errorf("the operator was not told of the task: %s", r.body)
		}
		if r := op.get("/tasks?overdue=1"); r.status != http.StatusOK || !strings.Contains(r.body, title) || !strings.Contains(r.body, code) {
			t.Errorf("the operator's overdue tasks: %d", r.status)
		}
		r = op.get("/api/v1/tasks?overdue=true")
		var mine struct {
			Items []struct {
				ID      int64  `json:"id"`
				Title   string `json:"title"`
				Overdue bool   `json:"overdue"`
				Version int    `json:"version"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &mine); err != nil || r.status != http.StatusOK {
			t.Fatalf("the operator's tasks in the API: %d %s", r.status, r.body)
		}
		var taskID int64
		for _, it := range mine.Items {
			if it.Title == title && it.Overdue && it.Version == 1 {
				taskID = it.ID
			}
		}
		if taskID == 0 {
			t.Fatalf("the operator's tasks in the API lack the overdue task: %s", r.body)
		}
		if r := sw.get("/tasks?list=organisation"); !strings.Contains(r.body, title) {
			t.Error("the organisation's tasks lack the task")
		}

		// The operator does it; the case is no longer overdue. The social
		// worker, from the page seen before, is told it is done already.
		taskPath := path + "/" + strconv.FormatInt(taskID, 10)
		swTok := sw.token(path)
		r = op.do("POST", taskPath, strings.NewReader(url.Values{"csrf_token": {op.token(path)}, "version": {"1"}, "state": {"done"}}.Encode()),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"})
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="case-tasks"`) || !strings.Contains(r.body, "Svolto il") {
			t.Fatalf("marking the task done: %d %s", r.status, r.body)
		}
		if slices.Contains(overdueCaseIDs(t, sw), id) {
			t.Error("a case whose overdue task is done is still overdue")
		}
		r = sw.post(taskPath, url.Values{"csrf_token": {swTok}, "version": {"1"}, "state": {"closed"}, "reason": {"Non serve più, la tutrice ha chiamato lei."}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Qualcun altro ha già chiuso") {
			t.Fatalf("finishing a task done meanwhile: %d", r.status)
		}
		if r := sw.api("POST", "/api/v1"+taskPath, `{"state":"done","version":1}`); r.status != http.StatusConflict {
			t.Errorf("the API finishing a task done meanwhile: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE id = ? AND state = 'done' AND version = 2`, taskID); n != 1 {
			t.Error("the refused change altered the task")
		}

		// Through the API: a task due next week, closed with a reason.
		r = sw.api("POST", "/api/v1"+path, `{"title":"Prenotare la visita","due_at":"next week","responsible_id":`+strconv.FormatInt(operator, 10)+`}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"due_at"`) {
			t.Fatalf("the API with an unreadable due date: %d %s", r.status, r.body)
		}
		next := time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)
		r = sw.api("POST", "/api/v1"+path, `{"title":"Prenotare la visita pediatrica","due_at":"`+next+`","responsible_id":`+strconv.FormatInt(operator, 10)+`}`)
		var created struct {
			ID      int64  `json:"id"`
			State   string `json:"state"`
			Overdue bool   `json:"overdue"`
			Version int    `json:"version"`
		}
		if err := json.Unmarshal([]byte(r.body), &created); err != nil || r.status != http.StatusCreated || created.State != "open" || created.Overdue {
			t.Fatalf("the API adding a task: %d %s", r.status, r.body)
		}
		apiTask := "/api/v1" + path + "/" + strconv.FormatInt(created.ID, 10)
		if r := sw.api("POST", apiTask, `{"state":"closed","version":1}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"reason"`) {
			t.Errorf("closing without a reason: %d %s", r.status, r.body)
		}
		if r := sw.api("POST", apiTask, `{"state":"finished","version":1}`); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"state"`) {
			t.Errorf("an unknown state: %d %s", r.status, r.body)
		}
		r = sw.api("POST", apiTask, `{"state":"closed","reason":"La famiglia ha già prenotato da sola.","version":1}`)
		if r.status != http.StatusOK || !strings.Contains(r.body, `"state":"closed"`) || !strings.Contains(r.body, "già prenotato") {
			t.Fatalf("closing with a reason: %d %s", r.status, r.body)
		}
		if r := sw.api("GET", "/api/v1"+path, ""); r.status != http.StatusOK || !strings.Contains(r.body, title) || !strings.Contains(r.body, "già prenotato") {
			t.Errorf("the API's tasks of the case: %d %s", r.status, r.body)
		}

		// Audited, and on the timeline.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_task' AND case_id = ?`, id); n != 4 {
			t.Errorf("%d audit entries for the case's tasks, want 4 (two added, one done, one closed)", n)
		}
		if r := sw.get("/cases/" + strconv.FormatInt(id, 10) + "/timeline"); !strings.Contains(r.body, "Compito svolto") ||
			!strings.Contains(r.body, "Compito chiuso senza essere svolto") {
			t.Error("the timeline does not tell the tasks")
		}
	})
}

func TestTasksFollowTheCasePolicy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		// A case of the Prato social service with an open task.
		id := int64(count(t, db, `SELECT COALESCE(MIN(k.case_id), 0) FROM case_tasks k JOIN cases c ON c.id = k.case_id
			JOIN organisations o ON o.id = c.owner_org_id WHERE o.code = 'SDS-PRATO' AND k.state = 'open'`))
		if id == 0 {
			t.Fatal("the demo has no open task on a case of the Prato social service")
		}
		path := "/cases/" + strconv.FormatInt(id, 10) + "/tasks"
		// Outside the case's scope nothing answers but 404, and nothing of
		// the case's tasks is listed.
		other := e.client()
		other.login("as.roma")
		for _, p := range []string{path, "/api/v1" + path} {
			if r := other.get(p); r.status != http.StatusNotFound {
				t.Errorf("another organisation on %s: %d", p, r.status)
			}
		}
		r := other.post(path, url.Values{"csrf_token": {other.token("/")}, "title": {"x"}})
		if r.status != http.StatusNotFound {
			t.Errorf("another organisation adding a task: %d", r.status)
		}
		if r := other.get("/api/v1/tasks?list=organisation"); strings.Contains(r.body, `"case_id":`+strconv.FormatInt(id, 10)+`,`) {
			t.Error("another organisation lists the case's tasks")
		}
		// A reporter lists no cases and so has no tasks page.
		rep := e.client()
		rep.login("segnalante")
		if r := rep.get("/tasks"); r.status != http.StatusNotFound {
			t.Errorf("the reporter on /tasks: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND state = 'open'`, id); n == 0 {
			t.Error("a refused request finished a task")
		}
	})
}
