package casework

import (
	"context"
	"slices"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/deadlines"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
)

// The clocks of a case. An event recorded on a case (a placement under
// art. 403, the entry into first reception, the transmission to the
// prosecutor…) starts the clocks of the rules it starts, each a task due at
// the event plus the rule's offset, and completes the open tasks of the
// rules it completes: a task is done by doing the thing it asks. The 18th
// birthday comes from the main person's birth date instead, and moves with
// it. Everything happens under the case's policy (update to record, read
// to list), audited and on the timeline, in the transaction of the change.

// ClockEventRecorded is the timeline event of an event recorded by hand.
const ClockEventRecorded cases.EventKind = "clock_event"

// EventInput is an event recorded on a case.
type EventInput struct {
	Event      deadlines.Event
	OccurredAt time.Time
	// Problems are those the caller met reading the input.
	Problems []approdo.FieldError
}

// ClockView is a task a clock made, with the rule it came from (nil when
// the rule is gone) and when its clock started.
type ClockView struct {
	TaskView
	RuleCode  string
	Rule      *deadlines.Rule
	StartedAt time.Time
}

// EventView is an event recorded on a case, with who recorded it.
type EventView struct {
	store.ClockEvent
	RecordedByName string
}

// CaseClocks is the clocks of a case as its reader sees them.
type CaseClocks struct {
	Case   *cases.Case
	Clocks []ClockView
	Events []EventView
	// Birth is the main person's birth date; EarliestEighteenth and
	// LatestEighteenth bound their 18th birthday when it is known.
	Birth              cases.BirthDate
	EarliestEighteenth time.Time
	LatestEighteenth   time.Time
	// CanChange says whether the reader records events.
	CanChange bool
	// Recordable lists the events a reader may record by hand.
	Recordable []deadlines.Event
}

// RecordableEvents lists the events recorded by hand, in the vocabulary's
// order.
func RecordableEvents() []deadlines.Event {
	var out []deadlines.Event
	for _, e := range deadlines.Events {
		if e.Recorded() {
			out = append(out, e)
		}
	}
	return out
}

// Clocks returns the clocks of case id, the events recorded on it and the
// bounds of the main person's 18th birthday, to those who read the case in
// full, and records the read. A case a may not read is ENOTFOUND.
func (s *Service) Clocks(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseClocks, error) {
	out := &CaseClocks{Recordable: RecordableEvents()}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		out.Case = c
		out.CanChange = auth.Allowed(a, access.Update, Target(c, access.Cases))
		rules, err := s.caseRules(ctx, tx, c)
		if err != nil {
			return err
		}
		tasks, err := store.ListClockTasks(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		now := s.Now()
		for i := range tasks {
			v, err := s.taskView(ctx, n, &tasks[i].Task, c.Code, now)
			if err != nil {
				return err
			}
			cv := ClockView{TaskView: v, RuleCode: tasks[i].RuleCode, StartedAt: tasks[i].StartedAt}
			if r, ok := rules[tasks[i].RuleCode]; ok {
				cv.Rule = &r
			}
			out.Clocks = append(out.Clocks, cv)
		}
		events, err := store.ListClockEvents(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, e := range events {
			out.Events = append(out.Events, EventView{ClockEvent: e, RecordedByName: n.users[e.RecordedBy].DisplayName})
		}
		if out.Birth, err = store.MainBirthDate(ctx, tx, id); err != nil {
			return err
		}
		if out.Birth.Known() {
			out.EarliestEighteenth, out.LatestEighteenth = out.Birth.EarliestEighteenth(), out.Birth.LatestEighteenth()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "clocks", client)
}

// RecordEvent records event in.Event on case id at in.OccurredAt: it
// completes the open clocks that the event completes and starts those it
// starts, audited and on the timeline. It returns ENOTFOUND when a may not
// update the case and EINVALID naming "event" (missing, unknown, or the
// 18th birthday, which comes from the birth date) or "occurred_at"
// (missing or in the future).
func (s *Service) RecordEvent(ctx context.Context, a *auth.Actor, id int64, in EventInput, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		switch {
		case in.Event == "":
			problems = append(problems, approdo.FieldError{Field: "event", Message: "error.field.required"})
		case !in.Event.Recorded():
			problems = append(problems, approdo.FieldError{Field: "event", Message: "error.deadline.unknown_event"})
		}
		switch {
		case in.OccurredAt.IsZero():
			problems = append(problems, approdo.FieldError{Field: "occurred_at", Message: "error.field.required"})
		case in.OccurredAt.After(ch.now.Add(time.Hour)):
			problems = append(problems, approdo.FieldError{Field: "occurred_at", Message: "error.deadline.future"})
		}
		if problems = withProblems(in.Problems, approdo.Invalid(problems...)); len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		e, err := s.startClocks(ctx, tx, a, ch.before, in.Event, in.OccurredAt, client)
		if err != nil {
			return err
		}
		return ch.event(ClockEventRecorded, e.ID, map[string]string{"event": string(in.Event),
			"at": in.OccurredAt.UTC().Format(time.RFC3339)})
	})
}

// caseRules returns the rules that apply to case c, by code: the
// network's, overridden by those of c's programme.
func (s *Service) caseRules(ctx context.Context, tx *store.Tx, c *cases.Case) (map[string]deadlines.Rule, error) {
	all, err := store.ListDeadlineRules(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := map[string]deadlines.Rule{}
	for _, r := range deadlines.Effective(all, c.ProgrammeID) {
		out[r.Code] = r
	}
	return out, nil
}

// sortedRules returns rules in the order of their codes, so that clocks
// are made in the same order every time.
func sortedRules(rules map[string]deadlines.Rule) []deadlines.Rule {
	out := make([]deadlines.Rule, 0, len(rules))
	for _, r := range rules {
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y deadlines.Rule) int {
		switch {
		case x.Code < y.Code:
			return -1
		case x.Code > y.Code:
			return 1
		}
		return 0
	})
	return out
}

// startClocks records that event e happened on case c at at, on behalf of
// a, in tx: it marks done the open clocks whose rule completes on e, then
// starts a clock for each enabled rule that e starts (unless one of that
// rule is open already). It is how every part of casework tells the clocks
// that something happened; the caller writes its own timeline event.
func (s *Service) startClocks(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, e deadlines.Event, at time.Time, client string) (*store.ClockEvent, error) {
	now := s.Now().UTC()
	ev := &store.ClockEvent{CaseID: c.ID, Event: e, OccurredAt: at, RecordedBy: a.User.ID, RecordedAt: now}
	if err := store.InsertClockEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
		RecordType: "case_clock_event", RecordID: strconv.FormatInt(ev.ID, 10), CaseID: c.ID,
		Fields: []string{"event", "occurred_at"}, Client: client}); err != nil {
		return nil, err
	}
	rules, err := s.caseRules(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	tasks, err := store.ListClockTasks(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	open := map[string]bool{}
	for i := range tasks {
		t := &tasks[i]
		if t.State != cases.TaskOpen {
			continue
		}
		if r, ok := rules[t.RuleCode]; ok && r.Completes == e {
			if err := s.completeClock(ctx, tx, a, c, t, now, client); err != nil {
				return nil, err
			}
			continue
		}
		open[t.RuleCode] = true
	}
	for _, r := range sortedRules(rules) {
		if !r.Enabled || r.Starts != e || open[r.Code] {
			continue
		}
		if err := s.addClock(ctx, tx, a, c, &r, at, now, client); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// completeClock marks clock task t of case c done, on behalf of a.
func (s *Service) completeClock(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, t *store.ClockTask, now time.Time, client string) error {
	if err := store.FinishTask(ctx, tx, &t.Task, cases.TaskDone, "", a.User.ID, now); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
		RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID, Fields: []string{"state"}, Client: client}); err != nil {
		return err
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID, Kind: cases.TaskCompleted, RefID: t.ID})
}

// clockResponsible returns who answers for a clock of rule r on case c: the
// first team member with the rule's role, or the case worker.
func clockResponsible(c *cases.Case, r *deadlines.Rule) int64 {
	if r.Responsible != deadlines.CaseWorker {
		for _, m := range c.Team {
			if string(m.Role) == r.Responsible {
				return m.UserID
			}
		}
	}
	return c.CaseWorkerID
}

// addClock gives case c the task of rule r's clock started at start:
// recorded with its rule, audited, on the timeline and told to whoever is
// responsible. A case with nobody to answer for it gets no clock.
func (s *Service) addClock(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, r *deadlines.Rule, start, now time.Time, client string) error {
	responsible := clockResponsible(c, r)
	if responsible == 0 {
		return nil
	}
	t := &cases.Task{CaseID: c.ID, Title: r.TitleIT, DueAt: r.Due(start).UTC(), ResponsibleID: responsible, CreatedBy: a.User.ID, CreatedAt: now}
	if err := RecordTask(ctx, tx, s.Vault, t); err != nil {
		return err
	}
	if err := store.SetTaskClock(ctx, tx, t.ID, r.Code, start); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
		RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID,
		Fields: []string{"title", "due_at", "responsible_id", "rule_code"}, Client: client}); err != nil {
		return err
	}
	return notifyUsers(ctx, tx, c, "task_assigned", a.User.ID, responsible)
}

// birthdayStart returns the day an 18th-birthday clock of rule r counts
// from, for birth date b: the earliest or latest possible 18th birthday, at
// midnight in Rome.
func birthdayStart(b cases.BirthDate, r *deadlines.Rule) time.Time {
	d := b.LatestEighteenth()
	if r.Birthday == deadlines.Earliest {
		d = b.EarliestEighteenth()
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, approdo.Rome)
}

// birthdayClocks brings the 18th-birthday clocks of case c in line with
// its main person's birth date, in tx: open ones move when the date moved;
// missing ones are made while the person may still be a minor. A case
// without a known birth date keeps its clocks as they are.
func (s *Service) birthdayClocks(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, client string) error {
	b, err := store.MainBirthDate(ctx, tx, c.ID)
	if err != nil || !b.Known() {
		return err
	}
	rules, err := s.caseRules(ctx, tx, c)
	if err != nil {
		return err
	}
	tasks, err := store.ListClockTasks(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	for _, r := range sortedRules(rules) {
		if r.Starts != deadlines.EighteenthBirthday {
			continue
		}
		start := birthdayStart(b, &r)
		found := false
		for i := range tasks {
			t := &tasks[i]
			if t.RuleCode != r.Code {
				continue
			}
			found = true
			if t.State != cases.TaskOpen || t.StartedAt.Equal(start) {
				continue
			}
			if err := store.MoveClockTask(ctx, tx, t, r.Due(start), start); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
				RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID, Fields: []string{"due_at"},
				Client: client}); err != nil {
				return err
			}
		}
		if found || !r.Enabled || !b.PresumedMinor(now) {
			continue
		}
		if err := s.addClock(ctx, tx, a, c, &r, start, now, client); err != nil {
			return err
		}
	}
	return nil
}

// RecordClockEvent records event e on case c at at, on behalf of user by,
// in tx, with no policy check: it is for seeders and importers writing a
// case's history, not for users. The clocks start and complete as they do
// for RecordEvent, dated now.
func RecordClockEvent(ctx context.Context, tx *store.Tx, v *vault.Vault, c *cases.Case, by network.User, e deadlines.Event, at, now time.Time) error {
	s := &Service{Vault: v, Now: func() time.Time { return now }}
	ev, err := s.startClocks(ctx, tx, &auth.Actor{User: by}, c, e, at, "")
	if err != nil {
		return err
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: by.ID, Kind: ClockEventRecorded,
		RefID: ev.ID, Detail: map[string]string{"event": string(e), "at": at.UTC().Format(time.RFC3339)}})
}

// RecordBirthdayClocks brings the 18th-birthday clocks of case c in line
// with its main person's birth date, on behalf of user by, with no policy
// check: for seeders and importers.
func RecordBirthdayClocks(ctx context.Context, tx *store.Tx, v *vault.Vault, c *cases.Case, by network.User, now time.Time) error {
	s := &Service{Vault: v, Now: func() time.Time { return now }}
	return s.birthdayClocks(ctx, tx, &auth.Actor{User: by}, c, "")
}
