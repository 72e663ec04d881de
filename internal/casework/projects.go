package casework

import (
	"context"
	"encoding/json"
	"fmt"
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
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
	"approdo/projects"
	"approdo/referrals"
)

// The individual project of a case is read by those who read the case and
// by the lead entity of its programme (access.Projects); it is drafted by
// whoever may update the case, co-signed by whoever manages it (the case
// owner's social workers), submitted, then approved or returned by whoever
// the policy lets approve projects of the case's programme, who cannot be
// the one who co-signed or submitted it.

// The steps of a project after drafting.
const (
	StepCoSign  = "cosign"
	StepSubmit  = "submit"
	StepApprove = "approve"
	StepReturn  = "return"
)

// ProjectView is a case's project as its reader sees it, with what the
// reader may do with it.
type ProjectView struct {
	Case *cases.Case
	// Project is nil while the case has none.
	Project  *projects.Project
	Versions []VersionInfo
	// The names of who drafted, co-signed, submitted and decided.
	DraftedBy, CoSignedBy, SubmittedBy, DecidedBy string
	Interventions                                 []projects.Intervention
	// Organisations are those of the case's team, which actions name as
	// responsible; People the members of the team, who may answer for an
	// action.
	Organisations []network.Organisation
	People        []MemberView
	CanEdit       bool
	CanCoSign     bool
	CanSubmit     bool
	CanDecide     bool
	// Reviews are the reviews of the approved project, newest first, and
	// NextReview when the next one falls due.
	Reviews    []ReviewView
	NextReview time.Time
	CanReview  bool
	// Approved is the content of the last approved version, which reviews
	// follow; nil before the first approval.
	Approved *projects.Content
	// BudgetLines are the lines of the programme's budget actions draw on.
	BudgetLines []BudgetLineView
	// Expenses are what the approved project's actions actually cost,
	// the most recent first, and SpentCents their sum.
	Expenses   []ExpenseView
	SpentCents int64
}

// PersonName returns the name of the team member id, or "" when the
// project names nobody or someone no longer on the team.
func (v *ProjectView) PersonName(id int64) string {
	for _, p := range v.People {
		if p.UserID == id {
			return p.Name
		}
	}
	return ""
}

// ReviewView is a review with the name of who recorded it.
type ReviewView struct {
	projects.Review
	ByName string
}

// VersionInfo describes an approved version.
type VersionInfo struct {
	Number     int
	ApprovedAt time.Time
	ApprovedBy string
}

func projectContentAAD(caseID int64) []byte {
	return []byte("projects.content:" + strconv.FormatInt(caseID, 10))
}

func projectCommentsAAD(caseID int64) []byte {
	return []byte("projects.comments:" + strconv.FormatInt(caseID, 10))
}

// projectCase loads case id when a may take verb v on its project: read or
// update through the case, or read and approve as the policy grants on
// projects, or read because a referral shares it. Anything else is ENOTFOUND, as for a case that does not exist.
func (s *Service) projectCase(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64, v access.Verb) (*cases.Case, error) {
	c, err := store.FindCase(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	ok := false
	switch v {
	case access.Read:
		ok = auth.Allowed(a, access.Read, Target(c, access.Cases)) || auth.Allowed(a, access.Read, Target(c, access.Projects)) ||
			auth.SharedSection(a, id, referrals.Project)
	case access.Approve:
		ok = auth.Allowed(a, access.Approve, Target(c, access.Projects))
	default:
		ok = auth.Allowed(a, v, Target(c, access.Cases))
	}
	if !ok {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// openProject opens the sealed parts of p.
func (s *Service) openProject(ctx context.Context, p *store.StoredProject) (*projects.Project, error) {
	out := p.Project
	content, err := s.Vault.OpenString(ctx, p.ContentSealed, projectContentAAD(p.CaseID))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &out.Content); err != nil {
		return nil, fmt.Errorf("casework: the project of case %d is malformed: %w", p.CaseID, err)
	}
	if out.Comments, err = s.Vault.OpenString(ctx, p.CommentsSealed, projectCommentsAAD(p.CaseID)); err != nil {
		return nil, err
	}
	return &out, nil
}

// sealContent seals c for case caseID with v.
func sealContent(v *vault.Vault, c *projects.Content, caseID int64) (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return v.SealString(string(b), projectContentAAD(caseID))
}

// catalogue returns the interventions in order and by code.
func catalogue(ctx context.Context, tx *store.Tx) ([]projects.Intervention, map[string]projects.Intervention, error) {
	list, err := store.ListInterventions(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	byCode := make(map[string]projects.Intervention, len(list))
	for _, i := range list {
		byCode[i.Code] = i
	}
	return list, byCode, nil
}

// Project returns the project of case id as a sees it, and records the
// read. A case whose project a may not read is ENOTFOUND.
func (s *Service) Project(ctx context.Context, a *auth.Actor, id int64, client string) (*ProjectView, error) {
	v := &ProjectView{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.projectCase(ctx, tx, a, id, access.Read)
		if err != nil {
			return err
		}
		v.Case = c
		stored, err := store.FindProject(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		if v.Interventions, _, err = catalogue(ctx, tx); err != nil {
			return err
		}
		for _, uid := range responsibleIDs(c) {
			u := n.users[uid]
			v.People = append(v.People, MemberView{Member: cases.Member{UserID: uid}, Name: u.DisplayName, Organisation: n.orgs[u.OrganisationID].Name})
			org := n.orgs[u.OrganisationID]
			if org.ID != 0 && !slices.ContainsFunc(v.Organisations, func(o network.Organisation) bool { return o.ID == org.ID }) {
				v.Organisations = append(v.Organisations, org)
			}
		}
		status := projects.Status("")
		if stored != nil {
			if v.Project, err = s.openProject(ctx, stored); err != nil {
				return err
			}
			// An organisation the project names stays a choice, even once
			// it has left the team.
			for _, g := range v.Project.Content.Goals {
				for _, x := range g.Actions {
					if org, ok := n.orgs[x.ResponsibleOrgID]; ok && !slices.ContainsFunc(v.Organisations, func(o network.Organisation) bool { return o.ID == org.ID }) {
						v.Organisations = append(v.Organisations, org)
					}
				}
			}
			status = stored.Status
			v.DraftedBy, v.CoSignedBy = n.users[stored.DraftedBy].DisplayName, n.users[stored.CoSignedBy].DisplayName
			v.SubmittedBy, v.DecidedBy = n.users[stored.SubmittedBy].DisplayName, n.users[stored.DecidedBy].DisplayName
			versions, err := store.ListProjectVersions(ctx, tx, stored.ID)
			if err != nil {
				return err
			}
			for _, sv := range versions {
				v.Versions = append(v.Versions, VersionInfo{Number: sv.Number, ApprovedAt: sv.ApprovedAt, ApprovedBy: n.users[sv.ApprovedBy].DisplayName})
			}
			if v.Approved, err = s.lastApproved(ctx, tx, stored); err != nil {
				return err
			}
			expenses, err := store.ListExpenses(ctx, tx, stored.ID)
			if err != nil {
				return err
			}
			for _, e := range expenses {
				if e.Description, err = s.Vault.OpenString(ctx, e.Description, expenseAAD(id)); err != nil {
					return err
				}
				ev := ExpenseView{Expense: e, By: n.users[e.CreatedBy].DisplayName}
				if v.Approved != nil {
					if g := v.Approved.Goal(e.Domain); g != nil && e.Action < len(g.Actions) {
						ev.Action = g.Actions[e.Action].Description
					}
				}
				v.Expenses = append(v.Expenses, ev)
				v.SpentCents += e.AmountCents
			}
			reviews, err := store.ListProjectReviews(ctx, tx, stored.ID)
			if err != nil {
				return err
			}
			for _, sr := range reviews {
				r, err := s.openReview(ctx, id, sr.ContentSealed)
				if err != nil {
					return err
				}
				v.Reviews = append(v.Reviews, ReviewView{Review: *r, ByName: n.users[r.By].DisplayName})
			}
			if len(v.Reviews) > 0 {
				v.NextReview = v.Reviews[0].NextOn
			} else if v.Approved != nil {
				v.NextReview = firstReview(v.Approved)
			}
		}
		if c.ProgrammeID != 0 {
			prog, err := store.FindProgramme(ctx, tx, c.ProgrammeID)
			if err != nil {
				return err
			}
			var planned map[string]int64
			if v.Project != nil {
				planned = v.Project.Content.Commitments()
			}
			for _, line := range prog.BudgetLines {
				committed, err := store.CommittedCents(ctx, tx, c.ProgrammeID, line.Code, 0)
				if err != nil {
					return err
				}
				spent, err := store.SpentCents(ctx, tx, c.ProgrammeID, line.Code)
				if err != nil {
					return err
				}
				v.BudgetLines = append(v.BudgetLines, BudgetLineView{BudgetLine: line, Organisation: n.orgs[line.OrganisationID].Name,
					CommittedCents: committed, SpentCents: spent, PlannedCents: planned[line.Code]})
			}
		}
		update := auth.Allowed(a, access.Update, Target(c, access.Cases))
		v.CanEdit = update && (status == "" || status.Editable())
		v.CanCoSign = auth.Allowed(a, access.Manage, Target(c, access.Cases)) && (status == projects.Draft || status == projects.Returned)
		v.CanSubmit = update && status == projects.CoSigned
		v.CanReview = update && v.Project != nil && v.Project.Number > 0
		v.CanDecide = auth.Allowed(a, access.Approve, Target(c, access.Projects)) && status == projects.Submitted &&
			projects.CheckDecider(v.Project, a.User.ID) == nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, s.recordRead(ctx, a, id, "project", client)
}

// SaveProject saves content as the draft of case id's project, made from
// the project's edit version (0 for a case with no project yet). Saving an
// approved project starts the draft of its next version; a project
// co-signed or submitted cannot change until it is returned. It returns
// ENOTFOUND when a may not update the case, EINVALID naming the fields at
// fault (see projects.Check, and projects.CheckRetired for an intervention
// the catalogue retired), and ECONFLICT with "error.project.changed"
// when someone saved the project since version, or "error.project.locked"
// while it waits for a signature or a decision.
//
// Problems are those the caller met reading the input, such as a date it
// could not read; they are reported with the others, once the policy has
// let a through.
func (s *Service) SaveProject(ctx context.Context, a *auth.Actor, id int64, content projects.Content, version int, problems []approdo.FieldError, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		stored, err := store.FindProject(ctx, tx, id)
		if err != nil {
			return err
		}
		current := 0
		if stored != nil {
			current = stored.Version
		}
		if version != current {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.changed")
		}
		if stored != nil && !stored.Status.Editable() {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.locked")
		}
		_, byCode, err := catalogue(ctx, tx)
		if err != nil {
			return err
		}
		// A retired intervention stays allowed in the goals that already
		// had it, as last saved or as last approved.
		var saved, approved *projects.Content
		if stored != nil {
			p, err := s.openProject(ctx, stored)
			if err != nil {
				return err
			}
			saved = &p.Content
			if approved, err = s.lastApproved(ctx, tx, stored); err != nil {
				return err
			}
		}
		var lines []string
		if ch.before.ProgrammeID != 0 {
			prog, err := store.FindProgramme(ctx, tx, ch.before.ProgrammeID)
			if err != nil {
				return err
			}
			for _, l := range prog.BudgetLines {
				lines = append(lines, l.Code)
			}
		}
		problems = withProblems(problems, projects.Check(&content, ch.before.Kind, byCode))
		problems = withProblems(problems, projects.CheckRetired(&content, byCode, saved, approved))
		problems = withProblems(problems, projects.CheckLines(&content, lines))
		team := responsibleIDs(ch.before)
		for _, g := range content.Goals {
			for i, x := range g.Actions {
				if x.ResponsibleUserID != 0 {
					u, err := store.FindUser(ctx, tx, x.ResponsibleUserID)
					if err != nil && approdo.ErrorCode(err) != approdo.ENOTFOUND {
						return err
					}
					if err != nil || !slices.Contains(team, x.ResponsibleUserID) || x.ResponsibleOrgID != 0 && u.OrganisationID != x.ResponsibleOrgID {
						problems = append(problems, approdo.FieldError{Field: "goals." + string(g.Domain) + ".actions." + strconv.Itoa(i) + ".responsible_user_id",
							Message: "error.project.person_not_on_team"})
					}
				}
				if x.ResponsibleOrgID == 0 {
					continue
				}
				if _, err := store.FindOrganisation(ctx, tx, x.ResponsibleOrgID); approdo.ErrorCode(err) == approdo.ENOTFOUND {
					problems = append(problems, approdo.FieldError{Field: "goals." + string(g.Domain) + ".actions." + strconv.Itoa(i) + ".responsible_org_id",
						Message: "error.field.unknown_reference"})
				} else if err != nil {
					return err
				}
			}
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		normalise(&content)
		sealed, err := sealContent(s.Vault, &content, id)
		if err != nil {
			return err
		}
		action := audit.Update
		if stored == nil {
			action = audit.Create
			stored = &store.StoredProject{Project: projects.Project{CaseID: id}}
		}
		stored.Status, stored.ContentSealed, stored.DraftedBy, stored.UpdatedAt = projects.Draft, sealed, a.User.ID, ch.now
		stored.CoSignedBy, stored.SubmittedBy, stored.DecidedBy = 0, 0, 0
		if action == audit.Create {
			err = store.InsertProject(ctx, tx, stored)
		} else {
			err = store.UpdateProject(ctx, tx, stored, version)
		}
		if approdo.ErrorCode(err) == approdo.ECONFLICT {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.changed")
		} else if err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: action,
			RecordType: "project", RecordID: strconv.FormatInt(stored.ID, 10), CaseID: id,
			Fields: []string{"content"}, Client: client}); err != nil {
			return err
		}
		return ch.event(cases.ProjectSaved, stored.ID, map[string]string{"next": strconv.Itoa(stored.Number + 1)})
	})
}

// normalise drops the goals and actions left empty by a form.
func normalise(c *projects.Content) {
	c.Goals = slices.DeleteFunc(c.Goals, func(g projects.Goal) bool {
		g.Actions = slices.DeleteFunc(g.Actions, func(x projects.Action) bool { return x == projects.Action{} })
		return strings.TrimSpace(g.Objective) == "" && strings.TrimSpace(g.Indicator) == "" && len(g.Actions) == 0
	})
	for i := range c.Goals {
		c.Goals[i].Actions = slices.DeleteFunc(c.Goals[i].Actions, func(x projects.Action) bool { return x == projects.Action{} })
	}
}

// ProjectStep is what a step of a project carries: the project's edit
// version it was taken from, the comments of a return, and the reason of
// an exception when an approval goes beyond a budget line.
type ProjectStep struct {
	Version   int
	Comments  string
	Exception string
}

// StepProject takes case id's project one step on its way: co-sign,
// submit, approve or return (with comments), from the project's edit
// version. An approval that would commit more of a line of the programme's
// budget than is left is refused, naming the line, unless the approver
// writes the reason of an exception, which the audit log keeps; so is one
// whose actions break the catalogue of interventions as it stands now
// (its caps and case kinds may have changed since the draft was saved). It returns ENOTFOUND when a may not take the step, EINVALID
// naming the field at fault (no comments when returning; a submission
// without goals or without the person's agreement; a decision on one's
// own submission, on "decision"), and ECONFLICT when the project changed
// since version ("error.project.changed") or does not stand where the step
// starts ("error.project.wrong_status", "error.project.none").
func (s *Service) StepProject(ctx context.Context, a *auth.Actor, id int64, step string, in ProjectStep, client string) error {
	version, comments := in.Version, in.Comments
	verb := map[string]access.Verb{StepCoSign: access.Manage, StepSubmit: access.Update, StepApprove: access.Approve, StepReturn: access.Approve}[step]
	if verb == "" {
		return approdo.Invalid(approdo.FieldError{Field: "step", Message: "error.field.unknown_value"})
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := s.projectCase(ctx, tx, a, id, verb)
		if err != nil {
			return err
		}
		stored, err := store.FindProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if stored == nil {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.none")
		}
		if version != stored.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.changed")
		}
		p, err := s.openProject(ctx, stored)
		if err != nil {
			return err
		}
		from := map[string][]projects.Status{StepCoSign: {projects.Draft, projects.Returned}, StepSubmit: {projects.CoSigned},
			StepApprove: {projects.Submitted}, StepReturn: {projects.Submitted}}[step]
		if !slices.Contains(from, stored.Status) {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.wrong_status")
		}
		now := s.Now().UTC()
		event, notify := cases.ProjectCoSigned, []int64(nil)
		exceptionReason := ""
		switch step {
		case StepCoSign:
			stored.Status, stored.CoSignedBy = projects.CoSigned, a.User.ID
		case StepSubmit:
			if err := projects.CheckSubmission(&p.Content); err != nil {
				return err
			}
			stored.Status, stored.SubmittedBy, event = projects.Submitted, a.User.ID, cases.ProjectSubmitted
			if notify, err = s.approvers(ctx, tx, c); err != nil {
				return err
			}
		case StepApprove, StepReturn:
			if err := projects.CheckDecider(p, a.User.ID); err != nil {
				return err
			}
			if step == StepApprove {
				// The catalogue may have changed since the draft was saved:
				// its caps and case kinds hold for what is approved now.
				_, byCode, err := catalogue(ctx, tx)
				if err != nil {
					return err
				}
				if err := projects.Check(&p.Content, c.Kind, byCode); err != nil {
					return err
				}
				if exceptionReason, err = s.checkBudget(ctx, tx, c, stored.ID, &p.Content, in.Exception); err != nil {
					return err
				}
			}
			stored.DecidedBy, notify = a.User.ID, []int64{c.CaseWorkerID, stored.DraftedBy}
			if step == StepReturn {
				comments = strings.TrimSpace(comments)
				if err := cases.CheckReason("comments", comments); err != nil {
					return err
				}
				if stored.CommentsSealed, err = s.Vault.SealString(comments, projectCommentsAAD(id)); err != nil {
					return err
				}
				stored.Status, event = projects.Returned, cases.ProjectReturned
				break
			}
			previous, err := s.lastApproved(ctx, tx, stored)
			if err != nil {
				return err
			}
			stored.Status, stored.Number, stored.CommentsSealed, event = projects.Approved, stored.Number+1, "", cases.ProjectApproved
			if err := store.InsertProjectVersion(ctx, tx, stored.ID, stored.Number, now, a.User.ID, stored.ContentSealed); err != nil {
				return err
			}
			if err := s.projectTasks(ctx, tx, a, c, &p.Content, previous, now, client); err != nil {
				return err
			}
			if _, err := s.startClocks(ctx, tx, a, c, deadlines.ProjectApproved, now, client); err != nil {
				return err
			}
			if c.ProgrammeID != 0 {
				if err := store.SetCommitments(ctx, tx, stored.ID, c.ProgrammeID, p.Content.Commitments()); err != nil {
					return err
				}
			}
		}
		stored.UpdatedAt = now
		if err := store.UpdateProject(ctx, tx, stored, version); err != nil {
			if approdo.ErrorCode(err) == approdo.ECONFLICT {
				return approdo.Errorf(approdo.ECONFLICT, "error.project.changed")
			}
			return err
		}
		fields := []string{"status"}
		if step == StepReturn {
			fields = append(fields, "comments")
		}
		if exceptionReason != "" {
			fields = append(fields, "budget_exception")
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "project", RecordID: strconv.FormatInt(stored.ID, 10), CaseID: id, Fields: fields,
			Reason: exceptionReason, Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: id, At: now, ActorID: a.User.ID, Kind: event,
			RefID: stored.ID, Detail: map[string]string{"number": strconv.Itoa(max(stored.Number, 1))}}); err != nil {
			return err
		}
		return notifyUsers(ctx, tx, c, "project_"+step, a.User.ID, notify...)
	})
}

// approvers returns the users who may approve the projects of c: those of
// the organisation leading c's programme that the policy lets approve.
func (s *Service) approvers(ctx context.Context, tx *store.Tx, c *cases.Case) ([]int64, error) {
	if c.ProgrammeID == 0 {
		return nil, nil
	}
	prog, err := store.FindProgramme(ctx, tx, c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	users, err := store.UsersAllowedIn(ctx, tx, prog.LeadOrgID, string(access.Approve), string(access.Projects))
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// CompareVersions returns the fields that differ between two versions of
// case id's project: approved versions by number, 0 for the project as it
// now stands (empty for a case with no project). A version the project
// does not have is EINVALID on "a" or "b".
func (s *Service) CompareVersions(ctx context.Context, a *auth.Actor, id int64, x, y int, client string) ([]projects.Difference, error) {
	var out []projects.Difference
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		if _, err := s.projectCase(ctx, tx, a, id, access.Read); err != nil {
			return err
		}
		stored, err := store.FindProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if stored == nil {
			// Nothing to compare: the project as it stands is empty.
			stored = &store.StoredProject{}
		}
		versions, err := store.ListProjectVersions(ctx, tx, stored.ID)
		if err != nil {
			return err
		}
		content := func(field string, n int) (*projects.Content, error) {
			sealed := stored.ContentSealed
			if n == 0 && sealed == "" {
				return &projects.Content{}, nil
			}
			if n != 0 {
				i := slices.IndexFunc(versions, func(v store.StoredVersion) bool { return v.Number == n })
				if i < 0 {
					return nil, approdo.Invalid(approdo.FieldError{Field: field, Message: "error.field.unknown_value"})
				}
				sealed = versions[i].ContentSealed
			}
			p, err := s.openProject(ctx, &store.StoredProject{Project: projects.Project{CaseID: id}, ContentSealed: sealed})
			if err != nil {
				return nil, err
			}
			return &p.Content, nil
		}
		ca, errA := content("a", x)
		cb, errB := content("b", y)
		if errA != nil || errB != nil {
			return approdo.Invalid(append(approdo.ErrorFields(errA), approdo.ErrorFields(errB)...)...)
		}
		out = projects.Compare(ca, cb)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "project", client)
}

// AwaitingProject is a project waiting for a's decision, with what the
// lead entity knows of its case.
type AwaitingProject struct {
	CaseID      int64
	CaseCode    string
	Kind        cases.Kind
	Programme   string
	SubmittedAt time.Time
}

// ProjectsAwaiting lists the submitted projects a may approve, oldest
// first; the listing is recorded in the audit log, naming the cases.
func (s *Service) ProjectsAwaiting(ctx context.Context, a *auth.Actor, client string) ([]AwaitingProject, error) {
	var out []AwaitingProject
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		submitted, err := store.ListSubmittedProjects(ctx, tx)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range submitted {
			c, err := store.FindCase(ctx, tx, p.CaseID)
			if err != nil {
				return err
			}
			if !auth.Allowed(a, access.Approve, Target(c, access.Projects)) {
				continue
			}
			out = append(out, AwaitingProject{CaseID: c.ID, CaseCode: c.Code, Kind: c.Kind,
				Programme: n.programmes[c.ProgrammeID].Name, SubmittedAt: p.SubmittedAt})
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.DB.Write(ctx, func(tx *store.Tx) error {
		for _, p := range out {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(p.CaseID, 10), CaseID: p.CaseID,
				Fields: []string{"project_status"}, Client: client}); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordProject stores p, whose content is in clear, as the project of its
// case with its content sealed, in tx, with no policy check: it is for
// seeders and importers writing a case's history, not for users. An
// approved project (p.Number > 0) is frozen as versions 1 to p.Number,
// approved by p.DecidedBy at approvedAt, committing the programme's budget
// lines its actions draw on. It sets p's ID and version.
func RecordProject(ctx context.Context, tx *store.Tx, v *vault.Vault, p *projects.Project, approvedAt time.Time) error {
	sealed, err := sealContent(v, &p.Content, p.CaseID)
	if err != nil {
		return err
	}
	stored := &store.StoredProject{Project: *p, ContentSealed: sealed}
	if p.Comments != "" {
		if stored.CommentsSealed, err = v.SealString(p.Comments, projectCommentsAAD(p.CaseID)); err != nil {
			return err
		}
	}
	if err := store.InsertProject(ctx, tx, stored); err != nil {
		return err
	}
	if stored.CoSignedBy != 0 || stored.SubmittedBy != 0 || stored.DecidedBy != 0 {
		if err := store.UpdateProject(ctx, tx, stored, stored.Version); err != nil {
			return err
		}
	}
	for n := 1; n <= p.Number; n++ {
		if err := store.InsertProjectVersion(ctx, tx, stored.ID, n, approvedAt, p.DecidedBy, sealed); err != nil {
			return err
		}
	}
	if p.Number > 0 {
		c, err := store.FindCase(ctx, tx, p.CaseID)
		if err != nil {
			return err
		}
		if c.ProgrammeID != 0 {
			if err := store.SetCommitments(ctx, tx, stored.ID, c.ProgrammeID, p.Content.Commitments()); err != nil {
				return err
			}
		}
	}
	p.ID, p.Version = stored.ID, stored.Version
	return nil
}

func projectReviewAAD(caseID int64) []byte {
	return []byte("project_reviews.content:" + strconv.FormatInt(caseID, 10))
}

// openReview opens a sealed review of case caseID's project.
func (s *Service) openReview(ctx context.Context, caseID int64, sealed string) (*projects.Review, error) {
	text, err := s.Vault.OpenString(ctx, sealed, projectReviewAAD(caseID))
	if err != nil {
		return nil, err
	}
	var r projects.Review
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return nil, fmt.Errorf("casework: a review of the project of case %d is malformed: %w", caseID, err)
	}
	return &r, nil
}

// firstReview is when an approved project with content c is first
// reviewed: one cadence after it starts.
func firstReview(c *projects.Content) time.Time {
	return c.StartOn.AddDate(0, max(c.ReviewEveryMonths, 1), 0)
}

// The titles of the tasks a project gives its case.
const (
	reviewTaskTitle = "Verifica periodica del progetto individualizzato"
	actionTaskTitle = "Progetto individualizzato: %s"
)

// approvedProject returns the project of case id with the content of its
// last approved version, or ECONFLICT ("error.project.not_approved") before
// its first approval.
func (s *Service) approvedProject(ctx context.Context, tx *store.Tx, id int64) (*store.StoredProject, *projects.Content, error) {
	stored, err := store.FindProject(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if stored == nil || stored.Number == 0 {
		return nil, nil, approdo.Errorf(approdo.ECONFLICT, "error.project.not_approved")
	}
	approved, err := s.lastApproved(ctx, tx, stored)
	return stored, approved, err
}

// lastApproved returns the content of the last approved version of the
// project, or nil before its first approval.
func (s *Service) lastApproved(ctx context.Context, tx *store.Tx, stored *store.StoredProject) (*projects.Content, error) {
	versions, err := store.ListProjectVersions(ctx, tx, stored.ID)
	if err != nil || len(versions) == 0 {
		return nil, err
	}
	p, err := s.openProject(ctx, &store.StoredProject{Project: projects.Project{CaseID: stored.CaseID},
		ContentSealed: versions[len(versions)-1].ContentSealed})
	if err != nil {
		return nil, err
	}
	return &p.Content, nil
}

// projectTasks gives case c the tasks of its newly approved project
// content: one for each action with a due date that the previous approved
// version (nil at the first approval) did not already have, for a team
// member of the organisation responsible (or the case worker); and, at the
// first approval, the first review, for the case worker. Each task is
// audited and notified.
func (s *Service) projectTasks(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, content, previous *projects.Content, now time.Time, client string) error {
	n, err := loadNames(ctx, tx)
	if err != nil {
		return err
	}
	had := map[string]bool{}
	if previous != nil {
		for _, g := range previous.Goals {
			for _, x := range g.Actions {
				had[x.Description+"|"+x.DueOn.Format(time.DateOnly)] = true
			}
		}
	}
	team := responsibleIDs(c)
	for _, g := range content.Goals {
		for _, x := range g.Actions {
			if x.DueOn.IsZero() || had[x.Description+"|"+x.DueOn.Format(time.DateOnly)] {
				continue
			}
			responsible := c.CaseWorkerID
			for _, uid := range team {
				if x.ResponsibleOrgID != 0 && n.users[uid].OrganisationID == x.ResponsibleOrgID {
					responsible = uid
					break
				}
			}
			if x.ResponsibleUserID != 0 && slices.Contains(team, x.ResponsibleUserID) {
				responsible = x.ResponsibleUserID
			}
			if err := s.addSystemTask(ctx, tx, a, c, fmt.Sprintf(actionTaskTitle, x.Description), x.DueOn, responsible, now, client); err != nil {
				return err
			}
		}
	}
	if previous != nil {
		return nil
	}
	return s.addSystemTask(ctx, tx, a, c, reviewTaskTitle, firstReview(content), c.CaseWorkerID, now, client)
}

// addSystemTask gives case c a task that a step of its work implies, on
// behalf of a: recorded, audited and notified to whoever is responsible.
func (s *Service) addSystemTask(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, title string, due time.Time, responsible int64, now time.Time, client string) error {
	if responsible == 0 {
		return nil
	}
	t := &cases.Task{CaseID: c.ID, Title: title, DueAt: due, ResponsibleID: responsible, CreatedBy: a.User.ID, CreatedAt: now}
	if err := RecordTask(ctx, tx, s.Vault, t); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
		RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID,
		Fields: []string{"title", "due_at", "responsible_id"}, Client: client}); err != nil {
		return err
	}
	return notifyUsers(ctx, tx, c, "task_assigned", a.User.ID, responsible)
}

// ReviewProject records a review of case id's approved project: the
// progress of its goals and a summary. The review is sealed, audited and
// on the timeline, and the next review becomes a task for the case worker.
// It returns ENOTFOUND when a may not update the case, ECONFLICT
// ("error.project.not_approved") before the first approval, and EINVALID
// naming the fields at fault (see projects.CheckReview).
// Problems met reading the input are reported with the others, once the
// policy has let a through.
func (s *Service) ReviewProject(ctx context.Context, a *auth.Actor, id int64, r projects.Review, problems []approdo.FieldError, client string) (*projects.Review, error) {
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		stored, approved, err := s.approvedProject(ctx, tx, id)
		if err != nil {
			return err
		}
		r.Summary = strings.TrimSpace(r.Summary)
		if problems = withProblems(problems, projects.CheckReview(&r, approved, ch.now)); len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		r.By = a.User.ID
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		sealed, err := s.Vault.SealString(string(b), projectReviewAAD(id))
		if err != nil {
			return err
		}
		sr := &store.StoredReview{ReviewedOn: r.ReviewedOn, ContentSealed: sealed, CreatedBy: a.User.ID, CreatedAt: ch.now}
		if err := store.InsertProjectReview(ctx, tx, stored.ID, sr); err != nil {
			return err
		}
		r.Number = sr.Number
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "project_review", RecordID: strconv.FormatInt(stored.ID, 10) + "/" + strconv.Itoa(sr.Number), CaseID: id,
			Fields: []string{"reviewed_on", "goals", "summary"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(cases.ProjectReviewed, stored.ID, map[string]string{"number": strconv.Itoa(sr.Number)}); err != nil {
			return err
		}
		// The review due is done; the next one is the case worker's.
		tasks, err := store.ListCaseTasks(ctx, tx, id)
		if err != nil {
			return err
		}
		for i := range tasks {
			t := &tasks[i]
			if t.State != cases.TaskOpen {
				continue
			}
			if title, err := s.Vault.OpenString(ctx, t.Title, taskTitleAAD(id)); err != nil {
				return err
			} else if title == reviewTaskTitle {
				if err := store.FinishTask(ctx, tx, t, cases.TaskDone, "", a.User.ID, ch.now); err != nil {
					return err
				}
				if err := ch.audit("case_task", t.ID, "state"); err != nil {
					return err
				}
				if err := ch.event(cases.TaskCompleted, t.ID, nil); err != nil {
					return err
				}
			}
		}
		return s.addSystemTask(ctx, tx, a, ch.before, reviewTaskTitle, r.NextOn, ch.before.CaseWorkerID, ch.now, client)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// checkBudget checks that approving content for case c, whose project is
// projectID, keeps every line of the programme's budget within its amount,
// counting what the other approved projects commit. A line exceeded is
// EINVALID on "exception", naming the line and what is left, unless
// exception holds the reason for going beyond, which it returns for the
// audit log.
func (s *Service) checkBudget(ctx context.Context, tx *store.Tx, c *cases.Case, projectID int64, content *projects.Content, exception string) (string, error) {
	if c.ProgrammeID == 0 {
		return "", nil
	}
	// Two approvals at once must not both spend what is left.
	if err := store.LockProgrammeBudget(ctx, tx, c.ProgrammeID); err != nil {
		return "", err
	}
	prog, err := store.FindProgramme(ctx, tx, c.ProgrammeID)
	if err != nil {
		return "", err
	}
	var problems []approdo.FieldError
	for line, cents := range content.Commitments() {
		i := slices.IndexFunc(prog.BudgetLines, func(b network.BudgetLine) bool { return b.Code == line })
		if i < 0 {
			continue
		}
		others, err := store.CommittedCents(ctx, tx, c.ProgrammeID, line, projectID)
		if err != nil {
			return "", err
		}
		if left := prog.BudgetLines[i].AmountCents - others; cents > left {
			problems = append(problems, approdo.FieldError{Field: "exception", Message: "error.project.budget_exceeded",
				Args: []any{line, i18n.Money(max(left, 0))}})
		}
	}
	if len(problems) == 0 {
		return "", nil
	}
	exception = strings.TrimSpace(exception)
	if exception == "" {
		slices.SortFunc(problems, func(a, b approdo.FieldError) int {
			return strings.Compare(fmt.Sprint(a.Args...), fmt.Sprint(b.Args...))
		})
		return "", approdo.Invalid(problems...)
	}
	if err := cases.CheckReason("exception", exception); err != nil {
		return "", err
	}
	return exception, nil
}

// BudgetLineView is a line of the programme's budget as a project shows
// it: its amount, what the approved projects commit of it and have spent,
// and what this project plans on it.
type BudgetLineView struct {
	network.BudgetLine
	Organisation   string
	CommittedCents int64
	// SpentCents is what the expenses of the programme's projects have
	// spent of the line.
	SpentCents   int64
	PlannedCents int64
}

// LeftCents is what remains of the line once the approved projects are
// paid for.
func (b BudgetLineView) LeftCents() int64 { return b.AmountCents - b.CommittedCents }

// ExpenseInput is an expense as its author records it, with its receipt
// when one is attached.
type ExpenseInput struct {
	Domain      projects.Domain
	Action      int
	AmountCents int64
	SpentOn     time.Time
	Description string
	Receipt     *Upload
	// Problems are those the caller met reading the input, such as an
	// amount it could not read.
	Problems []approdo.FieldError
}

// ExpenseView is an expense as its reader sees it.
type ExpenseView struct {
	projects.Expense
	Action string // the action's description
	By     string
}

// expenseNoteBody is how the note recording an expense reads on the case.
const expenseNoteBody = "Spesa del progetto individualizzato: %s — %d,%02d € (azione: %s)"

func expenseAAD(caseID int64) []byte {
	return []byte("project_expenses.description:" + strconv.FormatInt(caseID, 10))
}

// AddExpense records what an action of case id's approved project cost,
// with its receipt, sealed, as an attachment of a note that records the
// expense on the case. It returns ENOTFOUND when a may not update the
// case, ECONFLICT ("error.project.not_approved") before the first
// approval, and EINVALID naming the fields at fault (see
// projects.CheckExpense; "file" for the receipt).
func (s *Service) AddExpense(ctx context.Context, a *auth.Actor, id int64, in ExpenseInput, client string) (*projects.Expense, error) {
	var e *projects.Expense
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		stored, approved, err := s.approvedProject(ctx, tx, id)
		if err != nil {
			return err
		}
		e = &projects.Expense{ProjectID: stored.ID, CaseID: id, Domain: in.Domain, Action: in.Action, AmountCents: in.AmountCents,
			SpentOn: in.SpentOn, Description: strings.TrimSpace(in.Description), CreatedBy: a.User.ID, CreatedAt: ch.now}
		problems := withProblems(in.Problems, projects.CheckExpense(e, approved, ch.now))
		var receipt *checkedUpload
		if in.Receipt != nil {
			var fileProblems []approdo.FieldError
			if receipt, fileProblems = checkUpload(in.Receipt); len(fileProblems) > 0 {
				problems = append(problems, fileProblems...)
			}
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		action := approved.Goal(e.Domain).Actions[e.Action].Description
		note := &cases.Note{CaseID: id, Kind: cases.PlainNote, OccurredAt: e.SpentOn, AuthorID: a.User.ID, AuthorOrgID: a.Organisation.ID,
			Confidentiality: cases.TeamNote, CreatedAt: ch.now,
			Body: fmt.Sprintf(expenseNoteBody, e.Description, e.AmountCents/100, e.AmountCents%100, action)}
		if err := RecordNote(ctx, tx, s.Vault, note); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "note", RecordID: strconv.FormatInt(note.ID, 10), CaseID: id, Fields: []string{"body"}, Client: client}); err != nil {
			return err
		}
		e.NoteID = note.ID
		if receipt != nil {
			if err := s.attach(ctx, tx, a, note, receipt, ch.now, client); err != nil {
				return err
			}
			e.AttachmentID = note.Attachments[len(note.Attachments)-1].ID
		}
		description := e.Description
		if e.Description, err = s.Vault.SealString(description, expenseAAD(id)); err != nil {
			return err
		}
		if err := store.InsertExpense(ctx, tx, e, ch.before.ProgrammeID); err != nil {
			return err
		}
		e.Description = description
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "project_expense", RecordID: strconv.FormatInt(e.ID, 10), CaseID: id,
			Fields: []string{"action", "amount_cents", "spent_on", "description"}, Client: client}); err != nil {
			return err
		}
		return ch.event(cases.ExpenseRecorded, e.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// RecordReview stores r, a review of the approved project projectID of
// case caseID, sealed, in tx, with no policy check: it is for seeders and
// importers writing a case's history, not for users. It sets r's number.
func RecordReview(ctx context.Context, tx *store.Tx, v *vault.Vault, caseID, projectID int64, r *projects.Review, at time.Time) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	sealed, err := v.SealString(string(b), projectReviewAAD(caseID))
	if err != nil {
		return err
	}
	sr := &store.StoredReview{ReviewedOn: r.ReviewedOn, ContentSealed: sealed, CreatedBy: r.By, CreatedAt: at}
	if err := store.InsertProjectReview(ctx, tx, projectID, sr); err != nil {
		return err
	}
	r.Number = sr.Number
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: caseID, At: at, ActorID: r.By, Kind: cases.ProjectReviewed,
		RefID: projectID, Detail: map[string]string{"number": strconv.Itoa(sr.Number)}})
}
