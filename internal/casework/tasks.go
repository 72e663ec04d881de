package casework

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
)

// Tasks live on cases and follow the case's policy: whoever reads the case
// reads its tasks, whoever may update it adds tasks and finishes them. The
// one responsible is on the case's team, and is told of a task someone
// else gave them. The titles and reasons are sealed.

// TaskInput is a new task as its author writes it.
type TaskInput struct {
	Title         string
	DueAt         time.Time
	ResponsibleID int64
	// Problems are those the caller met reading the input, such as a due
	// date it could not read; they are reported with the others.
	Problems []approdo.FieldError
}

// TaskFinish ends a task: done, or closed with a reason. Version is the
// version of the task the actor saw.
type TaskFinish struct {
	State   cases.TaskState
	Reason  string
	Version int
}

// TaskView is a task with its texts opened and the names of the people
// involved, as its reader sees it.
type TaskView struct {
	cases.Task
	CaseCode    string
	Responsible string
	CreatedBy   string
	ClosedBy    string
	Overdue     bool
}

// CaseTasks is the tasks of a case as its reader sees them, and who may be
// responsible for a new one.
type CaseTasks struct {
	Case  *cases.Case
	Tasks []TaskView
	// CanChange says whether the reader adds and finishes tasks.
	CanChange bool
	// Team lists the case worker and the team members, who may be
	// responsible for a task.
	Team []MemberView
}

func taskTitleAAD(caseID int64) []byte {
	return []byte("case_tasks.title:" + strconv.FormatInt(caseID, 10))
}

func taskReasonAAD(caseID int64) []byte {
	return []byte("case_tasks.reason:" + strconv.FormatInt(caseID, 10))
}

// taskView opens t for its reader.
func (s *Service) taskView(ctx context.Context, n *names, t *cases.Task, code string, now time.Time) (TaskView, error) {
	v := TaskView{Task: *t, CaseCode: code, Responsible: n.users[t.ResponsibleID].DisplayName,
		CreatedBy: n.users[t.CreatedBy].DisplayName, ClosedBy: n.users[t.ClosedBy].DisplayName, Overdue: t.Overdue(now)}
	var err error
	if v.Title, err = s.Vault.OpenString(ctx, t.Title, taskTitleAAD(t.CaseID)); err != nil {
		return v, err
	}
	v.Reason, err = s.Vault.OpenString(ctx, t.Reason, taskReasonAAD(t.CaseID))
	return v, err
}

// Tasks returns the tasks of case id, open ones first, to those who read
// the case in full, and records the read. A case a may not read is
// ENOTFOUND.
func (s *Service) Tasks(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseTasks, error) {
	out := &CaseTasks{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		out.Case = c
		out.CanChange = auth.Allowed(a, access.Update, Target(c, access.Cases))
		tasks, err := store.ListCaseTasks(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		now := s.Now()
		for i := range tasks {
			v, err := s.taskView(ctx, n, &tasks[i], c.Code, now)
			if err != nil {
				return err
			}
			out.Tasks = append(out.Tasks, v)
		}
		out.Team = taskTeam(n, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "tasks", client)
}

// taskTeam lists who may be responsible for a task of c: its case worker,
// then its team.
func taskTeam(n *names, c *cases.Case) []MemberView {
	var out []MemberView
	ids := responsibleIDs(c)
	for _, id := range ids {
		u := n.users[id]
		out = append(out, MemberView{Member: cases.Member{UserID: id}, Name: u.DisplayName,
			Organisation: n.orgs[u.OrganisationID].Name})
	}
	return out
}

// responsibleIDs returns the users who may be responsible for a task of c.
func responsibleIDs(c *cases.Case) []int64 {
	var ids []int64
	if c.CaseWorkerID != 0 {
		ids = append(ids, c.CaseWorkerID)
	}
	for _, m := range c.Team {
		if !slices.Contains(ids, m.UserID) {
			ids = append(ids, m.UserID)
		}
	}
	return ids
}

// AddTask adds a task to case id. It returns the task, ENOTFOUND when a
// may not update the case, and EINVALID naming the field at fault: no
// title or one too long, no due date, nobody responsible or someone not on
// the case's team.
func (s *Service) AddTask(ctx context.Context, a *auth.Actor, id int64, in TaskInput, client string) (*TaskView, error) {
	var v TaskView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		c := ch.before
		t := &cases.Task{CaseID: id, Title: strings.TrimSpace(in.Title), DueAt: in.DueAt, ResponsibleID: in.ResponsibleID,
			CreatedBy: a.User.ID, CreatedAt: ch.now}
		problems := withProblems(in.Problems, cases.CheckTask(t))
		if t.ResponsibleID != 0 && !slices.Contains(responsibleIDs(c), t.ResponsibleID) {
			problems = append(problems, approdo.FieldError{Field: "responsible_id", Message: "error.task.not_on_team"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		title := t.Title
		if t.Title, err = s.Vault.SealString(title, taskTitleAAD(id)); err != nil {
			return err
		}
		if err := store.InsertTask(ctx, tx, t); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: id,
			Fields: []string{"title", "due_at", "responsible_id"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(cases.TaskAdded, t.ID, map[string]string{"due": t.DueAt.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, c, "task_assigned", a.User.ID, t.ResponsibleID); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		t.Title = title
		v = TaskView{Task: *t, CaseCode: c.Code, Responsible: n.users[t.ResponsibleID].DisplayName,
			CreatedBy: a.User.DisplayName, Overdue: t.Overdue(ch.now)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// FinishTask ends task taskID of case id: done, or closed with a reason.
// It returns the task, ENOTFOUND when a may not update the case or the
// task is not the case's, EINVALID naming "state", "reason" or "version",
// and ECONFLICT ("error.task.changed") when the task was finished or
// changed since the version a saw.
func (s *Service) FinishTask(ctx context.Context, a *auth.Actor, id, taskID int64, f TaskFinish, client string) (*TaskView, error) {
	var v TaskView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		t, err := store.FindTask(ctx, tx, id, taskID)
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		reason := strings.TrimSpace(f.Reason)
		switch f.State {
		case cases.TaskDone:
		case cases.TaskClosed:
			problems = append(problems, approdo.ErrorFields(cases.CheckReason("reason", reason))...)
		case "":
			problems = append(problems, approdo.FieldError{Field: "state", Message: "error.field.required"})
		default:
			problems = append(problems, approdo.FieldError{Field: "state", Message: "error.field.unknown_value"})
		}
		if f.Version <= 0 {
			problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		if f.Version != t.Version || t.State != cases.TaskOpen {
			return approdo.Errorf(approdo.ECONFLICT, "error.task.changed")
		}
		sealed := ""
		if f.State == cases.TaskClosed {
			if sealed, err = s.Vault.SealString(reason, taskReasonAAD(id)); err != nil {
				return err
			}
		}
		if err := store.FinishTask(ctx, tx, t, f.State, sealed, a.User.ID, ch.now); err != nil {
			if approdo.ErrorCode(err) == approdo.ECONFLICT {
				return approdo.Errorf(approdo.ECONFLICT, "error.task.changed")
			}
			return err
		}
		fields := []string{"state"}
		if f.State == cases.TaskClosed {
			fields = append(fields, "reason")
		}
		if err := ch.audit("case_task", t.ID, fields...); err != nil {
			return err
		}
		kind := cases.TaskCompleted
		if f.State == cases.TaskClosed {
			kind = cases.TaskDropped
		}
		if err := ch.event(kind, t.ID, nil); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.taskView(ctx, n, t, ch.before.Code, ch.now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// The lists of open tasks across cases.
const (
	TasksMine         = "me"           // the tasks a is responsible for
	TasksOrganisation = "organisation" // the tasks on the cases a's organisation holds
)

// OpenTasks returns the open tasks of list (TasksMine or
// TasksOrganisation), soonest due first, only the overdue ones when
// overdue is set, each on a case a may read; the listing is recorded in
// the audit log, naming the cases it showed.
func (s *Service) OpenTasks(ctx context.Context, a *auth.Actor, list string, overdue bool, client string) ([]TaskView, error) {
	f := store.TaskFilter{ResponsibleID: a.User.ID}
	if list == TasksOrganisation {
		f = store.TaskFilter{OwnerOrgID: a.Organisation.ID}
	}
	now := s.Now()
	if overdue {
		f.OverdueAt = now
	}
	var out []TaskView
	seen := map[int64]bool{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		tasks, err := store.ListOpenTasks(ctx, tx, f)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		readable := map[int64]*cases.Case{}
		for i := range tasks {
			t := &tasks[i]
			c, ok := readable[t.CaseID]
			if !ok {
				if c, err = store.FindCase(ctx, tx, t.CaseID); err != nil {
					return err
				}
				if !auth.Allowed(a, access.Read, Target(c, access.Cases)) {
					c = nil
				}
				readable[t.CaseID] = c
			}
			if c == nil {
				continue
			}
			v, err := s.taskView(ctx, n, t, c.Code, now)
			if err != nil {
				return err
			}
			out = append(out, v)
			seen[c.ID] = true
		}
		return nil
	})
	if err != nil || len(seen) == 0 {
		return out, err
	}
	ids := slices.Sorted(maps.Keys(seen))
	return out, s.DB.Write(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(id, 10), CaseID: id,
				Fields: []string{"tasks"}, Client: client}); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordTask stores t, whose title is in clear, as an open task of its case
// with its title sealed and its event on the case's timeline, in tx, with
// no policy check: it is for seeders and importers writing a case's
// history, not for users. It sets t's ID and version.
func RecordTask(ctx context.Context, tx *store.Tx, v *vault.Vault, t *cases.Task) error {
	sealed := *t
	var err error
	if sealed.Title, err = v.SealString(strings.TrimSpace(t.Title), taskTitleAAD(t.CaseID)); err != nil {
		return err
	}
	if err := store.InsertTask(ctx, tx, &sealed); err != nil {
		return err
	}
	t.ID, t.State, t.Version = sealed.ID, sealed.State, sealed.Version
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: t.CaseID, At: t.CreatedAt, ActorID: t.CreatedBy,
		Kind: cases.TaskAdded, RefID: t.ID, Detail: map[string]string{"due": t.DueAt.UTC().Format(time.RFC3339)}})
}

// withProblems returns the problems a caller met reading the input,
// followed by those of err on the fields the caller's do not name already:
// a date that could not be read is reported as such, not also as missing.
func withProblems(caller []approdo.FieldError, err error) []approdo.FieldError {
	out := slices.Clone(caller)
	for _, p := range approdo.ErrorFields(err) {
		if !slices.ContainsFunc(caller, func(q approdo.FieldError) bool { return q.Field == p.Field }) {
			out = append(out, p)
		}
	}
	return out
}
