package casework

import (
	"context"
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
	"approdo/meetings"
	"approdo/network"
)

// An ethno-clinical consultation is asked by whoever may update the case,
// of an organisation whose health professionals answer it. Asking puts
// them on the case's team as consultants, with a reason, through the same
// store calls as a change of the team, so that the policy's team scope
// lets them read the case and answer. The question, the sessions'
// attendees and the advice belong to the case's health field group: those
// whose roles do not see it learn only that a consultation exists and
// where it stands.

// ConsultationInput is a new consultation as the case's team writes it.
type ConsultationInput struct {
	OrganisationID int64
	Question       string
}

// SessionInput is a session of a consultation as the consulted team
// records it.
type SessionInput struct {
	HeldAt    time.Time
	Attendees string
	Problems  []approdo.FieldError
}

// ConsultationView is a consultation as its reader sees it. Without the
// health field group, Question, Advice and the sessions' attendees are
// empty and Health is false.
type ConsultationView struct {
	ID           int64
	CaseID       int64
	Organisation string
	RequestedBy  string
	RequestedAt  time.Time
	State        meetings.ConsultationState
	Health       bool
	Question     string
	Advice       string
	AdviceBy     string
	AdviceAt     time.Time
	Sessions     []SessionView
	// CanAnswer says whether the reader records sessions and advice.
	CanAnswer bool
	Version   int
}

// SessionView is a session of a consultation as its reader sees it.
type SessionView struct {
	ID         int64
	HeldAt     time.Time
	Attendees  string
	RecordedBy string
}

// CaseConsultations is the consultations of a case as its reader sees
// them, and whom a new one may ask.
type CaseConsultations struct {
	Case          *cases.Case
	Consultations []ConsultationView
	// CanRequest says whether the reader asks for a consultation; Teams
	// lists the organisations that answer them.
	CanRequest bool
	Teams      []network.Organisation
	// Health says whether the reader sees the health field group.
	Health bool
}

func questionAAD(caseID int64) []byte {
	return []byte("consultations.question:" + strconv.FormatInt(caseID, 10))
}

func adviceAAD(caseID int64) []byte {
	return []byte("consultations.advice:" + strconv.FormatInt(caseID, 10))
}

func attendeesAAD(caseID int64) []byte {
	return []byte("consultation_sessions.attendees:" + strconv.FormatInt(caseID, 10))
}

// consultants returns the active health professionals of organisation
// orgID, who answer its consultations.
func consultants(n *names, orgID int64) []int64 {
	var out []int64
	for _, u := range n.users {
		if u.Active && u.OrganisationID == orgID && u.Has(network.HealthProfessional) {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
}

// consultingTeams returns the organisations with someone to answer a
// consultation, by name.
func consultingTeams(n *names) []network.Organisation {
	var out []network.Organisation
	for _, o := range n.orgs {
		if len(consultants(n, o.ID)) > 0 {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(x, y network.Organisation) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// answers reports whether a answers consultation c of case k: a member of
// the consulted organisation who reads the case.
func answers(a *auth.Actor, c *meetings.Consultation, k *cases.Case) bool {
	return a.Organisation.ID == c.ToOrgID && auth.Allowed(a, access.Read, Target(k, access.Cases))
}

// Consultations returns the consultations of case id to those who read the
// case in full, and records the read. A case a may not read is ENOTFOUND.
func (s *Service) Consultations(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseConsultations, error) {
	out := &CaseConsultations{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		out.Case = c
		out.Health = auth.SeesField(a, access.Health, c.OwnerOrgID)
		out.CanRequest = auth.Allowed(a, access.Update, Target(c, access.Cases))
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		if out.CanRequest {
			out.Teams = consultingTeams(n)
		}
		list, err := store.ListCaseConsultations(ctx, tx, id)
		if err != nil {
			return err
		}
		for i := range list {
			v, err := s.consultationView(ctx, n, a, c, &list[i], out.Health)
			if err != nil {
				return err
			}
			out.Consultations = append(out.Consultations, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	part := "consultations"
	if out.Health {
		part = "consultations.health"
	}
	return out, s.recordRead(ctx, a, id, part, client)
}

// consultationView opens c for a, with its health texts only when health
// is set.
func (s *Service) consultationView(ctx context.Context, n *names, a *auth.Actor, k *cases.Case, c *meetings.Consultation, health bool) (ConsultationView, error) {
	v := ConsultationView{ID: c.ID, CaseID: c.CaseID, Organisation: n.orgs[c.ToOrgID].Name,
		RequestedBy: n.users[c.RequestedBy].DisplayName, RequestedAt: c.RequestedAt, State: c.State, Health: health,
		AdviceBy: n.users[c.AdviceBy].DisplayName, AdviceAt: c.AdviceAt, CanAnswer: health && answers(a, c, k),
		Version: c.Version}
	for _, ss := range c.Sessions {
		sv := SessionView{ID: ss.ID, HeldAt: ss.HeldAt, RecordedBy: n.users[ss.RecordedBy].DisplayName}
		if health {
			var err error
			if sv.Attendees, err = s.Vault.OpenString(ctx, ss.Attendees, attendeesAAD(c.CaseID)); err != nil {
				return v, err
			}
		}
		v.Sessions = append(v.Sessions, sv)
	}
	if !health {
		return v, nil
	}
	var err error
	if v.Question, err = s.Vault.OpenString(ctx, c.Question, questionAAD(c.CaseID)); err != nil {
		return v, err
	}
	v.Advice, err = s.Vault.OpenString(ctx, c.Advice, adviceAAD(c.CaseID))
	return v, err
}

// RequestConsultation asks organisation in.OrganisationID for a
// consultation on case id and puts its health professionals on the case's
// team as consultants. It returns the consultation's id, ENOTFOUND when a
// may not update the case, and EINVALID naming "organisation_id" (missing,
// or an organisation nobody answers for) or "question"; "question" too
// when a does not see the health field group, whose question it is.
func (s *Service) RequestConsultation(ctx context.Context, a *auth.Actor, id int64, in ConsultationInput, client string) (int64, error) {
	var out int64
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		k := ch.before
		c := &meetings.Consultation{CaseID: id, ToOrgID: in.OrganisationID, RequestedBy: a.User.ID, RequestedAt: ch.now,
			Question: strings.TrimSpace(in.Question)}
		problems := approdo.ErrorFields(meetings.CheckConsultation(c))
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		var team []int64
		if c.ToOrgID != 0 {
			if team = consultants(n, c.ToOrgID); len(team) == 0 {
				problems = append(problems, approdo.FieldError{Field: "organisation_id", Message: "error.consultation.no_team"})
			}
		}
		if !auth.SeesField(a, access.Health, k.OwnerOrgID) {
			problems = append(problems, approdo.FieldError{Field: "question", Message: "error.consultation.no_health"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		question := c.Question
		if c.Question, err = s.Vault.SealString(question, questionAAD(id)); err != nil {
			return err
		}
		if err := store.InsertConsultation(ctx, tx, c); err != nil {
			return err
		}
		out = c.ID
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "consultation", RecordID: strconv.FormatInt(c.ID, 10), CaseID: id,
			Fields: []string{"organisation_id", "question"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(meetings.ConsultationRequested, c.ID, map[string]string{"organisation": strconv.FormatInt(c.ToOrgID, 10)}); err != nil {
			return err
		}
		reason, err := s.Vault.SealString("Consulenza etnoclinica n. "+strconv.FormatInt(c.ID, 10), teamReasonAAD(id))
		if err != nil {
			return err
		}
		for _, u := range team {
			if k.Member(u) != nil {
				continue
			}
			if err := store.InsertTeamMember(ctx, tx, id, &cases.Member{UserID: u, Role: cases.Consultant, AddedAt: ch.now, AddedBy: a.User.ID}); err != nil {
				return err
			}
			if err := store.InsertTeamChange(ctx, tx, id, u, "added", string(cases.Consultant), reason, a.User.ID, ch.now); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
				RecordType: "case_team", RecordID: strconv.FormatInt(u, 10), CaseID: id,
				Fields: []string{"team.added", "reason"}, Client: client}); err != nil {
				return err
			}
			if err := ch.event(cases.MemberAdded, u, map[string]string{"user": strconv.FormatInt(u, 10), "role": string(cases.Consultant)}); err != nil {
				return err
			}
			if err := notifyUsers(ctx, tx, k, "team_added", a.User.ID, u); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// answerable loads consultation cid of case id for an answer by a: the
// case must be readable (ENOTFOUND otherwise, as must a consultation not
// of the case), and a must answer it and see the health field group
// (EINVALID naming "consultation" otherwise: a reader of the case knows the
// consultation exists).
func (s *Service) answerable(ctx context.Context, tx *store.Tx, a *auth.Actor, id, cid int64) (*cases.Case, *meetings.Consultation, error) {
	k, err := s.readable(ctx, tx, a, id, "")
	if err != nil {
		return nil, nil, err
	}
	c, err := store.FindConsultation(ctx, tx, id, cid)
	if err != nil {
		return nil, nil, err
	}
	if !answers(a, c, k) || !auth.SeesField(a, access.Health, k.OwnerOrgID) {
		return nil, nil, approdo.Invalid(approdo.FieldError{Field: "consultation", Message: "error.consultation.not_consultant"})
	}
	return k, c, nil
}

// RecordSession records a session of consultation cid of case id. It
// returns ENOTFOUND when a may not read the case or the consultation is
// not the case's, and EINVALID naming "consultation" (a is not of the
// consulted team), "held_at" or "attendees".
func (s *Service) RecordSession(ctx context.Context, a *auth.Actor, id, cid int64, in SessionInput, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		_, c, err := s.answerable(ctx, tx, a, id, cid)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		ss := &meetings.Session{ConsultationID: c.ID, CaseID: id, HeldAt: in.HeldAt, Attendees: strings.TrimSpace(in.Attendees),
			RecordedBy: a.User.ID, RecordedAt: now}
		if problems := withProblems(in.Problems, meetings.CheckSession(ss, now)); len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		if ss.Attendees, err = s.Vault.SealString(ss.Attendees, attendeesAAD(id)); err != nil {
			return err
		}
		if err := store.InsertConsultationSession(ctx, tx, ss); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "consultation_session", RecordID: strconv.FormatInt(ss.ID, 10), CaseID: id,
			Fields: []string{"held_at", "attendees"}, Client: client}); err != nil {
			return err
		}
		return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: id, At: now, ActorID: a.User.ID,
			Kind: meetings.ConsultationSession, RefID: c.ID})
	})
}

// GiveAdvice records the advice of consultation cid of case id, replacing
// any given before, and tells the one who asked. It returns ENOTFOUND when
// a may not read the case or the consultation is not the case's, and
// EINVALID naming "consultation" (a is not of the consulted team) or
// "advice".
func (s *Service) GiveAdvice(ctx context.Context, a *auth.Actor, id, cid int64, advice string, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		k, c, err := s.answerable(ctx, tx, a, id, cid)
		if err != nil {
			return err
		}
		if err := meetings.CheckAdvice(advice); err != nil {
			return err
		}
		sealed, err := s.Vault.SealString(strings.TrimSpace(advice), adviceAAD(id))
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := store.AnswerConsultation(ctx, tx, c, sealed, a.User.ID, now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "consultation", RecordID: strconv.FormatInt(c.ID, 10), CaseID: id, Fields: []string{"advice"},
			Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: id, At: now, ActorID: a.User.ID,
			Kind: meetings.ConsultationAnswered, RefID: c.ID}); err != nil {
			return err
		}
		return notifyUsers(ctx, tx, k, "consultation_answered", a.User.ID, c.RequestedBy)
	})
}

// RecordConsultation stores c, whose texts are in clear, with its sessions
// and the consulted team on the case's team, in tx, with no policy check:
// it is for seeders and importers. It sets c's ID.
func RecordConsultation(ctx context.Context, tx *store.Tx, v *vault.Vault, c *meetings.Consultation, consultantIDs []int64) error {
	stored := *c
	var err error
	if stored.Question, err = v.SealString(c.Question, questionAAD(c.CaseID)); err != nil {
		return err
	}
	if err := store.InsertConsultation(ctx, tx, &stored); err != nil {
		return err
	}
	c.ID = stored.ID
	if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.CaseID, At: c.RequestedAt, ActorID: c.RequestedBy,
		Kind: meetings.ConsultationRequested, RefID: c.ID}); err != nil {
		return err
	}
	reason, err := v.SealString("Consulenza etnoclinica n. "+strconv.FormatInt(c.ID, 10), teamReasonAAD(c.CaseID))
	if err != nil {
		return err
	}
	for _, u := range consultantIDs {
		if err := store.InsertTeamMember(ctx, tx, c.CaseID, &cases.Member{UserID: u, Role: cases.Consultant, AddedAt: c.RequestedAt,
			AddedBy: c.RequestedBy}); err != nil {
			return err
		}
		if err := store.InsertTeamChange(ctx, tx, c.CaseID, u, "added", string(cases.Consultant), reason, c.RequestedBy, c.RequestedAt); err != nil {
			return err
		}
	}
	for i := range c.Sessions {
		ss := c.Sessions[i]
		ss.ConsultationID, ss.CaseID = c.ID, c.CaseID
		if ss.Attendees, err = v.SealString(ss.Attendees, attendeesAAD(c.CaseID)); err != nil {
			return err
		}
		if err := store.InsertConsultationSession(ctx, tx, &ss); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.CaseID, At: ss.RecordedAt, ActorID: ss.RecordedBy,
			Kind: meetings.ConsultationSession, RefID: c.ID}); err != nil {
			return err
		}
	}
	if c.Advice == "" {
		return nil
	}
	sealed, err := v.SealString(c.Advice, adviceAAD(c.CaseID))
	if err != nil {
		return err
	}
	if err := store.AnswerConsultation(ctx, tx, &stored, sealed, c.AdviceBy, c.AdviceAt); err != nil {
		return err
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.CaseID, At: c.AdviceAt, ActorID: c.AdviceBy,
		Kind: meetings.ConsultationAnswered, RefID: c.ID})
}
