package casework

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
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

// Every change to a case names the version of the case it was made from.
// When someone else saved the case since, nothing is written and the change
// fails with a *StaleError that says, field by field, what they changed,
// so that the UI can show it and offer to apply the change again over the
// new version, and the API can answer 409 naming the fields.

// StaleError is the error of a change made from an older version of a case.
// It wraps ECONFLICT "error.case.stale".
type StaleError struct {
	CaseID int64
	// Version is the case's current version, to make the change again from.
	Version int
	// Changes are the fields saved since the version the change was made
	// from, with their values then and now.
	Changes []FieldChange
}

// FieldChange is a field of a case someone else changed: its value at the
// version an edit was made from, its value now, and who changed it last.
type FieldChange struct {
	Field string
	From  []Term
	To    []Term
	By    string
	At    time.Time
}

// Term is one word of a value shown to a person: a catalogue key to
// translate (a risk, stage or concern), or a name to show as it is.
type Term struct {
	Key  string
	Text string
}

// Error describes the conflict for developers; users see the translated
// changes.
func (e *StaleError) Error() string {
	fields := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		fields[i] = c.Field
	}
	return "casework: case " + strconv.FormatInt(e.CaseID, 10) + " changed since: " + strings.Join(fields, ", ")
}

// Unwrap makes the error an ECONFLICT for the error handling of both
// adapters.
func (e *StaleError) Unwrap() error { return approdo.Errorf(approdo.ECONFLICT, "error.case.stale") }

// AsStale returns the *StaleError in err's chain, or nil.
func AsStale(err error) *StaleError {
	var s *StaleError
	if errors.As(err, &s) {
		return s
	}
	return nil
}

// ProgrammeChanged is the timeline event of a case moved to another
// programme, or out of any.
const ProgrammeChanged cases.EventKind = "programme_changed"

// Edit changes a case's assessment: its risk level, its protection
// concerns and its programme. Only the fields set change; Version is the
// version of the case the edit was made from.
type Edit struct {
	Version     int
	Risk        *cases.Risk
	Concerns    *[]string
	ProgrammeID *int64
}

// StageMove moves a case forward one stage, or back one stage with a
// reason.
type StageMove struct {
	Version int
	To      cases.Stage
	Reason  string
}

// Closure closes a case with a reason and the outcomes the person reached.
type Closure struct {
	Version  int
	Reason   string
	Outcomes []string
}

// Reopening reopens a closed case, back to monitoring, with a reason.
type Reopening struct {
	Version int
	Reason  string
}

// Reassignment hands a case to another case worker of its organisation.
type Reassignment struct {
	Version      int
	CaseWorkerID int64
}

// change is one change to a case in a write transaction: the case as it
// was loaded, the copy to save, and what the caller records around it.
type change struct {
	s      *Service
	ctx    context.Context
	tx     *store.Tx
	a      *auth.Actor
	before *cases.Case
	after  cases.Case
	now    time.Time
	client string
}

// begin loads case id in tx for a change, checks that a may take v on it
// (ENOTFOUND otherwise, exactly as for a case that does not exist), and
// returns the change. The version is checked by check, after the input.
func (s *Service) begin(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64, v access.Verb, client string) (*change, error) {
	c, err := store.FindCase(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, v, Target(c, access.Cases)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	ch := &change{s: s, ctx: ctx, tx: tx, a: a, before: c, after: *c, now: s.Now().UTC(), client: client}
	ch.after.Team = slices.Clone(c.Team)
	return ch, nil
}

// check returns, in this order: EINVALID with the problems of the input
// and a missing version; a *StaleError when the case was saved since
// version, whatever the input, since the input was judged against what the
// actor saw then; EINVALID with the problems of the input.
func (ch *change) check(version int, problems []approdo.FieldError) error {
	if version <= 0 {
		return approdo.Invalid(append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})...)
	}
	if version != ch.before.Version {
		return ch.s.stale(ch.ctx, ch.tx, ch.before, version)
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// checkState is check for a change the case's state may refuse, such as
// closing a closed case: a stale version first, then the refusal, then the
// problems of the input.
func (ch *change) checkState(version int, refusal error, problems []approdo.FieldError) error {
	if version > 0 && version != ch.before.Version {
		return ch.s.stale(ch.ctx, ch.tx, ch.before, version)
	}
	if refusal != nil {
		return refusal
	}
	return ch.check(version, problems)
}

// save writes the case, its audit entry naming the fields changed, and
// returns the changes. A save that changes nothing writes nothing.
func (ch *change) save() ([]cases.Change, error) {
	changes, err := store.UpdateCase(ch.ctx, ch.tx, ch.before, &ch.after, ch.a.User.ID, ch.now)
	if approdo.ErrorCode(err) == approdo.ECONFLICT {
		// Someone saved the case between our read and our write.
		return nil, ch.s.stale(ch.ctx, ch.tx, ch.before, ch.before.Version)
	} else if err != nil || len(changes) == 0 {
		return nil, err
	}
	fields := make([]string, 0, len(changes))
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	return changes, ch.audit("case", ch.before.ID, fields...)
}

// audit appends an update of a record of the case to the audit log.
func (ch *change) audit(recordType string, recordID int64, fields ...string) error {
	return audit.Append(ch.ctx, ch.tx, &audit.Entry{ActorID: ch.a.User.ID, ActorOrgID: ch.a.Organisation.ID,
		Action: audit.Update, RecordType: recordType, RecordID: strconv.FormatInt(recordID, 10), CaseID: ch.before.ID,
		Fields: fields, Client: ch.client})
}

// event appends an event to the case's timeline.
func (ch *change) event(kind cases.EventKind, ref int64, detail map[string]string) error {
	return store.InsertCaseEvent(ch.ctx, ch.tx, &cases.Event{CaseID: ch.before.ID, At: ch.now, ActorID: ch.a.User.ID,
		Kind: kind, RefID: ref, Detail: detail})
}

// stale builds the *StaleError of a change to c made from version since.
func (s *Service) stale(ctx context.Context, tx *store.Tx, c *cases.Case, since int) error {
	current, err := store.FindCase(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	revisions, err := store.ListRevisions(ctx, tx, c.ID, since)
	if err != nil {
		return err
	}
	n, err := loadNames(ctx, tx)
	if err != nil {
		return err
	}
	e := &StaleError{CaseID: c.ID, Version: current.Version}
	for _, nc := range cases.Net(revisions) {
		e.Changes = append(e.Changes, FieldChange{Field: nc.Field, From: termsOf(n, nc.Field, nc.From),
			To: termsOf(n, nc.Field, nc.To), By: n.users[nc.ActorID].DisplayName, At: nc.At})
	}
	return e
}

// termsOf writes the stored value of a field for a person to read.
func termsOf(n *names, field, value string) []Term {
	if value == "" {
		return nil
	}
	id, _ := strconv.ParseInt(value, 10, 64)
	switch field {
	case cases.FieldStage:
		return []Term{{Key: "stage." + value}}
	case cases.FieldRisk:
		return []Term{{Key: "risk." + value}}
	case cases.FieldClosureReason:
		return []Term{{Key: "closure_reason." + value}}
	case cases.FieldConcerns, cases.FieldOutcomes:
		prefix := "concern."
		if field == cases.FieldOutcomes {
			prefix = "outcome."
		}
		var out []Term
		for _, code := range strings.Split(value, ",") {
			out = append(out, Term{Key: prefix + code})
		}
		return out
	case cases.FieldProgramme:
		return []Term{{Text: n.programmes[id].Name}}
	case cases.FieldCaseWorker:
		return []Term{{Text: n.users[id].DisplayName}}
	case cases.FieldOwner:
		return []Term{{Text: n.orgs[id].Name}}
	}
	return []Term{{Text: value}}
}

// EditCase changes the risk level, protection concerns and programme of
// case id as e says. Risk and concerns need the right to update the case;
// the programme, which decides which lead entity sees the case, needs the
// right to manage it, and must be one the owner organisation leads or
// partners. Each change is audited and put on the timeline. It returns the
// case as saved, ENOTFOUND when a may not update it, EINVALID naming each
// field at fault, and a *StaleError when the case changed since e.Version.
func (s *Service) EditCase(ctx context.Context, a *auth.Actor, id int64, e Edit, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		if e.Risk != nil {
			if !e.Risk.Valid() {
				problems = append(problems, approdo.FieldError{Field: "risk", Message: "error.field.unknown_value"})
			}
			ch.after.Risk = *e.Risk
		}
		if e.Concerns != nil {
			concerns, err := cases.Codes(*e.Concerns, cases.Concerns, "concerns")
			problems = append(problems, approdo.ErrorFields(err)...)
			ch.after.Concerns = concerns
		}
		if e.ProgrammeID != nil && *e.ProgrammeID != ch.before.ProgrammeID {
			p, err := s.checkProgramme(ctx, tx, a, ch.before, *e.ProgrammeID)
			if err != nil {
				return err
			}
			if p != nil {
				problems = append(problems, *p)
			}
			ch.after.ProgrammeID = *e.ProgrammeID
		}
		if err := ch.check(e.Version, problems); err != nil {
			return err
		}
		changes, err := ch.save()
		if err != nil {
			return err
		}
		for _, c := range changes {
			switch c.Field {
			case cases.FieldRisk:
				err = ch.event(cases.RiskChanged, 0, map[string]string{"from": c.From, "to": c.To})
			case cases.FieldConcerns:
				err = ch.event(cases.ConcernsChanged, 0, map[string]string{"from": c.From, "to": c.To})
			case cases.FieldProgramme:
				err = ch.event(ProgrammeChanged, 0, map[string]string{"from": c.From, "to": c.To})
			}
			if err != nil {
				return err
			}
		}
		out = &ch.after
		return nil
	})
	return out, err
}

// checkProgramme checks moving case c to programme id (0 for none): a may
// manage the case, and the programme exists and counts the owner
// organisation among its lead and partners. It returns the problem, or nil.
func (s *Service) checkProgramme(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, id int64) (*approdo.FieldError, error) {
	if !auth.Allowed(a, access.Manage, Target(c, access.Cases)) {
		return &approdo.FieldError{Field: "programme_id", Message: "error.case.programme_not_yours"}, nil
	}
	if id == 0 {
		return nil, nil
	}
	if id < 0 {
		return &approdo.FieldError{Field: "programme_id", Message: "error.field.unknown_reference"}, nil
	}
	ps, err := store.ListProgrammes(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.ID != id {
			continue
		}
		if p.LeadOrgID != c.OwnerOrgID && !slices.Contains(p.PartnerIDs, c.OwnerOrgID) {
			return &approdo.FieldError{Field: "programme_id", Message: "error.case.programme_not_owner"}, nil
		}
		return nil, nil
	}
	return &approdo.FieldError{Field: "programme_id", Message: "error.field.unknown_reference"}, nil
}

// ProgrammesFor returns the programmes case c may belong to: those its
// owner organisation leads or partners.
func (s *Service) ProgrammesFor(ctx context.Context, c *cases.Case) ([]network.Programme, error) {
	var out []network.Programme
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		ps, err := store.ListProgrammes(ctx, tx)
		for _, p := range ps {
			if p.LeadOrgID == c.OwnerOrgID || slices.Contains(p.PartnerIDs, c.OwnerOrgID) {
				out = append(out, p)
			}
		}
		return err
	})
	return out, err
}

// MoveStage moves case id forward one stage, or back one stage with a
// reason, as the protocol allows (cases.CheckMove); closing and reopening
// have their own methods. A case taken charge of without a case worker gets
// a as its case worker. The change is audited and put on the timeline with
// the reason sealed. It returns the case as saved, ENOTFOUND when a may not
// manage it, EINVALID when the move is not allowed or the reason is
// missing, and a *StaleError when the case changed since m.Version.
func (s *Service) MoveStage(ctx context.Context, a *auth.Actor, id int64, m StageMove, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		kind, err := cases.CheckMove(ch.before.Stage, m.To)
		var problems []approdo.FieldError
		switch {
		case err != nil:
			problems = append(problems, approdo.ErrorFields(err)...)
		case kind == cases.Close:
			problems = append(problems, approdo.FieldError{Field: "stage", Message: "error.stage.use_close"})
		case kind == cases.Reopen:
			problems = append(problems, approdo.FieldError{Field: "stage", Message: "error.stage.use_reopen"})
		case kind == cases.Back:
			problems = append(problems, approdo.ErrorFields(cases.CheckReason("reason", m.Reason))...)
		}
		if err := ch.check(m.Version, problems); err != nil {
			return err
		}
		ch.after.Stage = m.To
		if m.To == cases.StageTakenCharge && ch.after.CaseWorkerID == 0 && s.mayHoldCases(ctx, tx, a, ch.before) {
			ch.after.CaseWorkerID = a.User.ID
			if err := store.SetTeamRole(ctx, tx, id, &cases.Member{UserID: a.User.ID, Role: cases.Owner, AddedAt: ch.now,
				AddedBy: a.User.ID}); err != nil {
				return err
			}
		}
		reason := ""
		if kind == cases.Back {
			reason = strings.TrimSpace(m.Reason)
		}
		if err := ch.stageChange(kind, reason); err != nil {
			return err
		}
		out = &ch.after
		return nil
	})
	return out, err
}

// mayHoldCases reports whether a is among those of c's owner organisation
// who may be its case worker.
func (s *Service) mayHoldCases(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case) bool {
	if a.Organisation.ID != c.OwnerOrgID {
		return false
	}
	users, err := store.UsersAllowedIn(ctx, tx, c.OwnerOrgID, string(access.Manage), string(access.Cases))
	return err == nil && slices.ContainsFunc(users, func(u network.User) bool { return u.ID == a.User.ID })
}

// stageChange saves a change of stage, records it with its sealed reason
// and puts it on the timeline.
func (ch *change) stageChange(kind cases.MoveKind, reason string) error {
	if _, err := ch.save(); err != nil {
		return err
	}
	sc := &cases.StageChange{CaseID: ch.before.ID, At: ch.now, ActorID: ch.a.User.ID, From: ch.before.Stage,
		To: ch.after.Stage, Kind: kind}
	if reason != "" {
		sealed, err := ch.s.Vault.SealString(reason, stageReasonAAD(ch.before.ID))
		if err != nil {
			return err
		}
		sc.Reason = sealed
	}
	if err := store.InsertStageChange(ch.ctx, ch.tx, sc); err != nil {
		return err
	}
	detail := map[string]string{"from": string(ch.before.Stage), "to": string(ch.after.Stage)}
	switch kind {
	case cases.Close:
		detail["reason"] = ch.after.ClosureReason
		return ch.event(cases.Closed, sc.ID, detail)
	case cases.Reopen:
		return ch.event(cases.Reopened, sc.ID, detail)
	}
	return ch.event(cases.StageChanged, sc.ID, detail)
}

// stageReasonAAD binds a sealed reason of a change of stage to its case.
func stageReasonAAD(caseID int64) []byte {
	return []byte("case_stage_changes.reason:" + strconv.FormatInt(caseID, 10))
}

// CloseCase closes case id, from taking charge onwards, with a closure
// reason among cases.ClosureReasons and at least one outcome among
// cases.ClosureOutcomes; it records when. A case with a transfer pending
// does not close. It returns the case as saved, ENOTFOUND when a may not
// manage it, EINVALID naming each field at fault or saying why the case
// cannot close now, ECONFLICT ("error.transfer.pending") while a transfer
// waits, and a *StaleError when the case changed since cl.Version.
func (s *Service) CloseCase(ctx context.Context, a *auth.Actor, id int64, cl Closure, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		var refusal error
		switch {
		case ch.before.Closed():
			refusal = approdo.Errorf(approdo.EINVALID, "error.stage.already_closed")
		case !ch.before.Stage.MayClose():
			refusal = approdo.Errorf(approdo.EINVALID, "error.stage.close_too_early_case")
		}
		outcomes, err := cases.CheckClosure(cl.Reason, cl.Outcomes)
		if err := ch.checkState(cl.Version, refusal, approdo.ErrorFields(err)); err != nil {
			return err
		}
		if t, err := store.PendingTransfer(ctx, tx, id); err != nil {
			return err
		} else if t != nil {
			return approdo.Errorf(approdo.ECONFLICT, "error.transfer.pending_close")
		}
		ch.after.Stage, ch.after.ClosureReason, ch.after.Outcomes, ch.after.ClosedAt = cases.StageClosure, cl.Reason, outcomes, ch.now
		if err := ch.stageChange(cases.Close, ""); err != nil {
			return err
		}
		if _, err := s.startClocks(ctx, tx, a, &ch.after, deadlines.CaseClosed, ch.now, client); err != nil {
			return err
		}
		out = &ch.after
		return nil
	})
	return out, err
}

// ReopenCase takes a closed case back to monitoring, with a reason that is
// sealed; its closure reason, outcomes and closing date are cleared and
// stay on the timeline. It returns the case as saved, ENOTFOUND when a may
// not manage it, EINVALID when the case is open or the reason is missing,
// and a *StaleError when the case changed since r.Version.
func (s *Service) ReopenCase(ctx context.Context, a *auth.Actor, id int64, r Reopening, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		var refusal error
		if !ch.before.Closed() {
			refusal = approdo.Errorf(approdo.EINVALID, "error.stage.not_closed")
		}
		if err := ch.checkState(r.Version, refusal, approdo.ErrorFields(cases.CheckReason("reason", r.Reason))); err != nil {
			return err
		}
		ch.after.Stage, ch.after.ClosureReason, ch.after.Outcomes, ch.after.ClosedAt = cases.StageMonitoring, "", nil, time.Time{}
		if err := ch.stageChange(cases.Reopen, strings.TrimSpace(r.Reason)); err != nil {
			return err
		}
		out = &ch.after
		return nil
	})
	return out, err
}

// CaseWorkers returns who may be the case worker of case id: the active
// users of its owner organisation whose roles let them manage cases there.
// It returns ENOTFOUND when a may not manage the case.
func (s *Service) CaseWorkers(ctx context.Context, a *auth.Actor, id int64) ([]network.User, error) {
	var out []network.User
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Manage, Target(c, access.Cases)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		out, err = store.UsersAllowedIn(ctx, tx, c.OwnerOrgID, string(access.Manage), string(access.Cases))
		return err
	})
	return out, err
}

// Reassign hands case id to another case worker of its owner organisation,
// one who may hold cases there. The new case worker becomes the team's
// owner and is told; the previous one stays on the team as a contributor.
// It returns the case as saved, ENOTFOUND when a may not manage it,
// EINVALID ("error.case.worker_not_eligible") for anyone else, such as a
// user of another organisation, and a *StaleError when the case changed
// since r.Version.
func (s *Service) Reassign(ctx context.Context, a *auth.Actor, id int64, r Reassignment, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		eligible, err := store.UsersAllowedIn(ctx, tx, ch.before.OwnerOrgID, string(access.Manage), string(access.Cases))
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		var worker network.User
		switch i := slices.IndexFunc(eligible, func(u network.User) bool { return u.ID == r.CaseWorkerID }); {
		case r.CaseWorkerID == 0:
			problems = append(problems, approdo.FieldError{Field: "case_worker_id", Message: "error.field.required"})
		case r.CaseWorkerID == ch.before.CaseWorkerID:
			problems = append(problems, approdo.FieldError{Field: "case_worker_id", Message: "error.case.worker_same"})
		case i < 0:
			problems = append(problems, approdo.FieldError{Field: "case_worker_id", Message: "error.case.worker_not_eligible"})
		default:
			worker = eligible[i]
		}
		if err := ch.check(r.Version, problems); err != nil {
			return err
		}
		previous := ch.before.CaseWorkerID
		ch.after.CaseWorkerID = worker.ID
		if _, err := ch.save(); err != nil {
			return err
		}
		if err := store.SetTeamRole(ctx, tx, id, &cases.Member{UserID: worker.ID, Role: cases.Owner, AddedAt: ch.now,
			AddedBy: a.User.ID}); err != nil {
			return err
		}
		if previous != 0 {
			if err := store.SetTeamRole(ctx, tx, id, &cases.Member{UserID: previous, Role: cases.Contributor,
				AddedAt: ch.now, AddedBy: a.User.ID}); err != nil {
				return err
			}
		}
		if err := ch.audit("case_team", id, "team"); err != nil {
			return err
		}
		if err := ch.event(cases.Reassigned, worker.ID, map[string]string{"to": worker.DisplayName}); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, &ch.after, "case_assigned", a.User.ID, worker.ID); err != nil {
			return err
		}
		out = &ch.after
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// notifyUsers tells each user once, except the actor, that kind happened
// on case c; the notification names the case by its code.
func notifyUsers(ctx context.Context, tx *store.Tx, c *cases.Case, kind string, actorID int64, userIDs ...int64) error {
	seen := map[int64]bool{actorID: true, 0: true}
	for _, id := range userIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := store.InsertNotification(ctx, tx, &store.Notification{UserID: id, Kind: kind, CaseID: c.ID,
			CaseCode: c.Code, ActorID: actorID}); err != nil {
			return err
		}
	}
	return nil
}

// Workflow is what a case page offers an actor to do on the case, and the
// state of the workflow it shows: the pending transfer, the last change of
// stage with its reason, the case worker.
type Workflow struct {
	CanUpdate bool // risk and concerns
	CanManage bool // stages, closure, reassignment, transfer, programme
	Next      cases.Stage
	Previous  cases.Stage
	CanClose  bool
	CanReopen bool
	// Pending is the transfer waiting for the receiving organisation.
	Pending *TransferView
	// LastChange is the latest change of stage, with its reason when one
	// was written.
	LastChange *StageChangeView
	CaseWorker string
}

// StageChangeView is a change of stage with who made it and the reason
// opened.
type StageChangeView struct {
	cases.StageChange
	Actor string
}

// WorkflowOf returns what a may do on case c, which a already reads in full
// (the read is recorded by Open). It returns nil for a summary reader.
func (s *Service) WorkflowOf(ctx context.Context, a *auth.Actor, c *cases.Case) (*Workflow, error) {
	if !auth.Allowed(a, access.Read, Target(c, access.Cases)) {
		return nil, nil
	}
	w := &Workflow{CanUpdate: auth.Allowed(a, access.Update, Target(c, access.Cases)),
		CanManage: auth.Allowed(a, access.Manage, Target(c, access.Cases))}
	if w.CanManage {
		if next := c.Stage.Next(); next != "" && next != cases.StageClosure {
			w.Next = next
		}
		if prev := c.Stage.Previous(); prev != "" && !c.Closed() {
			w.Previous = prev
		}
		if c.Stage == cases.StageFollowUp {
			w.Previous = cases.StageClosure
		}
		w.CanClose, w.CanReopen = c.Stage.MayClose(), c.Closed()
	}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		w.CaseWorker = n.users[c.CaseWorkerID].DisplayName
		t, err := store.PendingTransfer(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if t != nil {
			if w.Pending, err = s.transferView(ctx, n, t, c, true); err != nil {
				return err
			}
		}
		sc, err := store.LastStageChange(ctx, tx, c.ID)
		if err != nil || sc == nil {
			return err
		}
		v := &StageChangeView{StageChange: *sc, Actor: n.users[sc.ActorID].DisplayName}
		if v.Reason, err = s.Vault.OpenString(ctx, sc.Reason, stageReasonAAD(c.ID)); err != nil {
			return err
		}
		w.LastChange = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// CaseForChange returns case id for a form that changes it, when a may
// take v on it, and records the read; ENOTFOUND otherwise.
func (s *Service) CaseForChange(ctx context.Context, a *auth.Actor, id int64, v access.Verb, client string) (*cases.Case, error) {
	var c *cases.Case
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = store.FindCase(ctx, tx, id); err != nil {
			return err
		}
		if !auth.Allowed(a, v, Target(c, access.Cases)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, s.recordRead(ctx, a, id, "case", client)
}

// RecordStageChange stores a change of stage of a case with its reason,
// written in clear in sc.Reason and sealed with v, for imports and the
// demo; without a vault the reason is left out. It writes no timeline
// event and no audit entry: the caller records what happened.
func RecordStageChange(ctx context.Context, tx *store.Tx, v *vault.Vault, sc *cases.StageChange) error {
	stored := *sc
	stored.Reason = ""
	if v != nil && sc.Reason != "" {
		sealed, err := v.SealString(sc.Reason, stageReasonAAD(sc.CaseID))
		if err != nil {
			return err
		}
		stored.Reason = sealed
	}
	if err := store.InsertStageChange(ctx, tx, &stored); err != nil {
		return err
	}
	sc.ID = stored.ID
	return nil
}
