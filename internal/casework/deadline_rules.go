package casework

import (
	"context"
	"strconv"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/deadlines"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// The rules of the clocks are read by whoever reads cases and edited by
// administrators (the network's and every programme's) and by the lead
// entities of programmes (their programme's overrides), as the policy on
// deadline_rule says. An edit names the version it was made from; a stale
// one is ECONFLICT ("error.stale_version") and writes nothing. Rules are
// disabled, never deleted, so that the clocks they made keep their source.

// deadlineRuleRecord is what audit entries name a rule by.
const deadlineRuleRecord = "deadline_rule"

// ruleTarget is a rule as the policy sees it: the network's, or a
// programme's.
func ruleTarget(programme int64) auth.Target {
	return auth.Target{Resource: access.DeadlineRules, ProgrammeID: programme}
}

// ruleRecordID names rule r in the audit log: its code, and its programme
// after "@" for a programme's rule.
func ruleRecordID(r *deadlines.Rule) string {
	if r.ProgrammeID == 0 {
		return r.Code
	}
	return r.Code + "@" + strconv.FormatInt(r.ProgrammeID, 10)
}

// teamRoles are the roles a rule may make responsible besides the case
// worker.
func teamRoles() []string {
	out := make([]string, len(cases.TeamRoles))
	for i, r := range cases.TeamRoles {
		out[i] = string(r)
	}
	return out
}

// TeamRoleNames lists what a rule may name as responsible: the case worker,
// then the roles of a case's team.
func TeamRoleNames() []string { return append([]string{deadlines.CaseWorker}, teamRoles()...) }

// RuleBook is the rules as an editor sees them: every rule, and whether
// the reader may edit the network's.
type RuleBook struct {
	Rules []deadlines.Rule
	// EditsNetwork says whether the reader edits the network's rules.
	EditsNetwork bool
	// Programmes are those whose rules the reader edits.
	Programmes map[int64]string
}

// DeadlineRules returns every rule, the network's and the programmes', to
// those who may read them; it is ENOTFOUND for anyone else.
func (s *Service) DeadlineRules(ctx context.Context, a *auth.Actor) (*RuleBook, error) {
	if !auth.Can(a, access.Read, access.DeadlineRules) && !auth.Can(a, access.Update, access.DeadlineRules) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	out := &RuleBook{EditsNetwork: auth.Allowed(a, access.Update, ruleTarget(0)), Programmes: map[int64]string{}}
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		if out.Rules, err = store.ListDeadlineRules(ctx, tx); err != nil {
			return err
		}
		ps, err := store.ListProgrammes(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if auth.Allowed(a, access.Update, ruleTarget(p.ID)) {
				out.Programmes[p.ID] = p.Name
			}
		}
		return nil
	})
	return out, err
}

// DeadlineRule returns the rule code of programme (0: the network's) to
// those who may edit it. A programme without its own rule of that code
// gets the network's as the start of an override, at version 0. It is
// ENOTFOUND for others and for an unknown code.
func (s *Service) DeadlineRule(ctx context.Context, a *auth.Actor, code string, programme int64) (*deadlines.Rule, error) {
	if !auth.Allowed(a, access.Update, ruleTarget(programme)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var out *deadlines.Rule
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.FindDeadlineRule(ctx, tx, code, programme)
		if approdo.ErrorCode(err) == approdo.ENOTFOUND && programme != 0 {
			if out, err = store.FindDeadlineRule(ctx, tx, code, 0); err == nil {
				out.ProgrammeID, out.Version = programme, 0
			}
		}
		return err
	})
	return out, err
}

// CreateDeadlineRule adds r: a network rule, or a rule of r.ProgrammeID
// (overriding the network's rule with its code, if any), audited. It
// returns ENOTFOUND to those who may not add rules there, EINVALID naming
// each field at fault (see deadlines.Check: unknown events or unit, a
// negative offset where meaningless, a cycle, no title or source; an
// unknown programme), and ECONFLICT ("error.code_taken", on "code") for a
// code in use. Someone who adds rules to some programmes only gets
// EINVALID on "programme_id" for any other. Nothing is written on error.
func (s *Service) CreateDeadlineRule(ctx context.Context, a *auth.Actor, r *deadlines.Rule, client string) error {
	if !auth.Can(a, access.Create, access.DeadlineRules) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if !auth.Allowed(a, access.Create, ruleTarget(r.ProgrammeID)) {
		// Someone who adds rules to some programmes only is told which.
		return approdo.Invalid(approdo.FieldError{Field: "programme_id", Message: "error.deadline.programme"})
	}
	r.Normalize()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if r.ProgrammeID != 0 {
			if _, err := store.FindProgramme(ctx, tx, r.ProgrammeID); err != nil {
				return approdo.Invalid(approdo.FieldError{Field: "programme_id", Message: "error.field.unknown_value"})
			}
		}
		all, err := store.ListDeadlineRules(ctx, tx)
		if err != nil {
			return err
		}
		if err := deadlines.Check(r, all, teamRoles()); err != nil {
			return err
		}
		r.UpdatedAt = s.Now().UTC()
		if err := store.InsertDeadlineRule(ctx, tx, r); err != nil {
			return codeTakenOn(err, "code")
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: deadlineRuleRecord, RecordID: ruleRecordID(r), Fields: (&deadlines.Rule{}).Changes(r), Client: client})
	})
}

// UpdateDeadlineRule saves rule r.Code of r.ProgrammeID from r, edited
// from r.Version, audited with the names of the fields changed; an edit
// that changes nothing writes nothing. Open clocks keep the due dates they
// were given. It returns ENOTFOUND to those who may not edit the rule and
// for an unknown one (before the input is judged), EINVALID naming each
// field at fault, and ECONFLICT ("error.stale_version") when the rule was
// edited since r.Version.
func (s *Service) UpdateDeadlineRule(ctx context.Context, a *auth.Actor, r *deadlines.Rule, client string) error {
	if !auth.Allowed(a, access.Update, ruleTarget(r.ProgrammeID)) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	r.Normalize()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindDeadlineRule(ctx, tx, r.Code, r.ProgrammeID)
		if err != nil {
			return err
		}
		all, err := store.ListDeadlineRules(ctx, tx)
		if err != nil {
			return err
		}
		if err := deadlines.Check(r, all, teamRoles()); err != nil {
			return err
		}
		if r.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		fields := old.Changes(r)
		if len(fields) == 0 {
			return nil
		}
		r.UpdatedAt = s.Now().UTC()
		if err := store.UpdateDeadlineRule(ctx, tx, r); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: deadlineRuleRecord, RecordID: ruleRecordID(r), Fields: fields, Client: client})
	})
}
