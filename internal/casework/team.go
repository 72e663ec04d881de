package casework

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// A case's team brings together people of several organisations, each with
// a role in the case: its owner (the case worker, set by taking charge or
// reassignment), co-owners, contributors and consultants. Whoever manages
// the case adds members from any organisation of the network, gives them
// another role or removes them, always with a reason, which is sealed; each
// change is audited and on the timeline.

// TeamView is a case's team as its manager sees it, with the people who
// may join it.
type TeamView struct {
	Case      *cases.Case
	Members   []MemberView
	CanManage bool
	// Candidates are the active users of the network not yet on the team,
	// by organisation then name.
	Candidates []TeamCandidate
}

// TeamCandidate is a user who may join a team.
type TeamCandidate struct {
	ID           int64
	Name         string
	Organisation string
}

// TeamChange is a change to a case's team: the user, their new role (empty
// to remove them) and the reason.
type TeamChange struct {
	UserID int64
	Role   cases.TeamRole
	Reason string
	// Problems are those the caller met reading the input.
	Problems []approdo.FieldError
}

func teamReasonAAD(caseID int64) []byte {
	return []byte("case_team_changes.reason:" + strconv.FormatInt(caseID, 10))
}

// Team returns the team of case id and records the read. Only those who
// read the case in full see it.
func (s *Service) Team(ctx context.Context, a *auth.Actor, id int64, client string) (*TeamView, error) {
	v := &TeamView{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		v.Case = c
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range c.Team {
			u := n.users[m.UserID]
			v.Members = append(v.Members, MemberView{Member: m, Name: u.DisplayName, Organisation: n.orgs[u.OrganisationID].Name})
		}
		v.CanManage = auth.Allowed(a, access.Manage, Target(c, access.Cases))
		if !v.CanManage {
			return nil
		}
		for _, u := range n.users {
			if u.Active && c.Member(u.ID) == nil && canJoin(&u) {
				v.Candidates = append(v.Candidates, TeamCandidate{ID: u.ID, Name: u.DisplayName, Organisation: n.orgs[u.OrganisationID].Name})
			}
		}
		slices.SortFunc(v.Candidates, func(x, y TeamCandidate) int {
			if c := strings.Compare(x.Organisation, y.Organisation); c != 0 {
				return c
			}
			return strings.Compare(x.Name, y.Name)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, s.recordRead(ctx, a, id, "team", client)
}

// canJoin reports whether u's work may put them on a case's team: reporters,
// mediators, data officers, trainers and administrators do not work on case
// files.
func canJoin(u *network.User) bool {
	return u.Has(network.SocialWorker) || u.Has(network.PartnerOperator) || u.Has(network.HealthProfessional) ||
		u.Has(network.LeadCoordinator)
}

// ChangeTeam adds a member to case id's team, gives one another role, or,
// with an empty role, removes one. The owner cannot be added, changed or
// removed this way: taking charge and reassignment set them. It returns
// ENOTFOUND when a may not manage the case, and EINVALID naming "user_id",
// "role" or "reason".
func (s *Service) ChangeTeam(ctx context.Context, a *auth.Actor, id int64, in TeamChange, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		c := ch.before
		problems := slices.Clone(in.Problems)
		reason := strings.TrimSpace(in.Reason)
		problems = append(problems, approdo.ErrorFields(cases.CheckReason("reason", reason))...)
		current := c.Member(in.UserID)
		change := "removed"
		switch {
		case in.Role == "":
			if current == nil {
				problems = append(problems, approdo.FieldError{Field: "user_id", Message: "error.team.not_member"})
			}
		case !in.Role.Valid() || in.Role == cases.Owner:
			problems = append(problems, approdo.FieldError{Field: "role", Message: "error.field.unknown_value"})
		case current == nil:
			change = "added"
			u, err := store.FindUser(ctx, tx, in.UserID)
			if approdo.ErrorCode(err) == approdo.ENOTFOUND || err == nil && (!u.Active || !canJoin(u)) {
				problems = append(problems, approdo.FieldError{Field: "user_id", Message: "error.field.unknown_value"})
			} else if err != nil {
				return err
			}
		default:
			change = "role"
			if current.Role == in.Role {
				problems = append(problems, approdo.FieldError{Field: "role", Message: "error.team.same_role"})
			}
		}
		if current != nil && current.Role == cases.Owner {
			problems = append(problems, approdo.FieldError{Field: "user_id", Message: "error.team.owner"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		kind := cases.MemberRemoved
		switch change {
		case "added":
			kind = cases.MemberAdded
			err = store.InsertTeamMember(ctx, tx, id, &cases.Member{UserID: in.UserID, Role: in.Role, AddedAt: ch.now, AddedBy: a.User.ID})
		case "role":
			kind = cases.MemberRoleChanged
			err = store.SetTeamRole(ctx, tx, id, &cases.Member{UserID: in.UserID, Role: in.Role})
		default:
			err = store.RemoveTeamMember(ctx, tx, id, in.UserID)
		}
		if err != nil {
			return err
		}
		sealed, err := s.Vault.SealString(reason, teamReasonAAD(id))
		if err != nil {
			return err
		}
		if err := store.InsertTeamChange(ctx, tx, id, in.UserID, change, string(in.Role), sealed, a.User.ID, ch.now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "case_team", RecordID: strconv.FormatInt(in.UserID, 10), CaseID: id,
			Fields: []string{"team." + change, "reason"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(kind, in.UserID, map[string]string{"user": strconv.FormatInt(in.UserID, 10), "role": string(in.Role)}); err != nil {
			return err
		}
		return notifyUsers(ctx, tx, c, "team_"+change, a.User.ID, in.UserID)
	})
}
