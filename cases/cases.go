// Package cases describes the shared case file: one case per child, woman or
// family, held by an owner organisation, worked on by a team drawn from
// several organisations, moving through the stages of the network's
// protocol from the report of concern to follow-up.
package cases

import (
	"fmt"
	"slices"
	"time"
)

// Kind is the type of a case.
type Kind string

// The kinds of case.
const (
	UnaccompaniedMinor  Kind = "unaccompanied_minor"
	MinorFamilyViolence Kind = "minor_family_violence"
	WomanViolence       Kind = "woman_violence"
	TraffickingVictim   Kind = "trafficking_victim"
	FamilyInDistress    Kind = "family_in_distress"
)

// Kinds lists every kind of case.
var Kinds = []Kind{UnaccompaniedMinor, MinorFamilyViolence, WomanViolence, TraffickingVictim, FamilyInDistress}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Stage is where a case stands in the protocol.
type Stage string

// The stages, in the order of the protocol.
const (
	StageReport      Stage = "report"
	StageScreening   Stage = "screening"
	StageTakenCharge Stage = "taken_charge"
	StageAssessment  Stage = "assessment"
	StageProject     Stage = "project"
	StageMonitoring  Stage = "monitoring"
	StageClosure     Stage = "closure"
	StageFollowUp    Stage = "follow_up"
)

// Stages lists the stages in order.
var Stages = []Stage{StageReport, StageScreening, StageTakenCharge, StageAssessment, StageProject, StageMonitoring,
	StageClosure, StageFollowUp}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

// Index returns the position of s in Stages, or -1.
func (s Stage) Index() int { return slices.Index(Stages, s) }

// Risk is the assessed level of risk of a case.
type Risk string

// The risk levels.
const (
	RiskLow      Risk = "low"
	RiskMedium   Risk = "medium"
	RiskHigh     Risk = "high"
	RiskCritical Risk = "critical"
)

// Risks lists the risk levels, lowest first.
var Risks = []Risk{RiskLow, RiskMedium, RiskHigh, RiskCritical}

// Valid reports whether r is one of Risks.
func (r Risk) Valid() bool { return slices.Contains(Risks, r) }

// TeamRole is a member's role in a case.
type TeamRole string

// The roles in a case team.
const (
	Owner       TeamRole = "owner"
	CoOwner     TeamRole = "co_owner"
	Contributor TeamRole = "contributor"
	Consultant  TeamRole = "consultant"
)

// TeamRoles lists the roles in a case team.
var TeamRoles = []TeamRole{Owner, CoOwner, Contributor, Consultant}

// Valid reports whether r is one of TeamRoles.
func (r TeamRole) Valid() bool { return slices.Contains(TeamRoles, r) }

// Case is a shared case file.
type Case struct {
	ID           int64
	Code         string
	Kind         Kind
	ProgrammeID  int64 // 0 when the case belongs to no programme
	AreaID       int64
	OwnerOrgID   int64
	CaseWorkerID int64 // 0 while nobody has taken charge
	Stage        Stage
	Risk         Risk
	// Concerns lists the protection concerns of the case, codes of
	// Concerns, in the order of that list.
	Concerns []string
	// ClosureReason and Outcomes say why the case closed and what the person
	// achieved; both are empty while the case is open.
	ClosureReason string
	Outcomes      []string
	// ReportID is the report of concern the case was opened from, or 0.
	ReportID  int64
	OpenedAt  time.Time
	ClosedAt  time.Time
	UpdatedAt time.Time
	Version   int
	Team      []Member
}

// Member is a user on a case's team.
type Member struct {
	UserID  int64
	Role    TeamRole
	AddedAt time.Time
	AddedBy int64
}

// Member returns the team member with the given user id, or nil.
func (c *Case) Member(userID int64) *Member {
	for i := range c.Team {
		if c.Team[i].UserID == userID {
			return &c.Team[i]
		}
	}
	return nil
}

// Closed reports whether the case stands at closure or follow-up.
func (c *Case) Closed() bool { return c.Stage == StageClosure || c.Stage == StageFollowUp }

// TeamUserIDs returns the ids of the team's members.
func (c *Case) TeamUserIDs() []int64 {
	ids := make([]int64, 0, len(c.Team))
	for _, m := range c.Team {
		ids = append(ids, m.UserID)
	}
	return ids
}

// CodeFor returns the code of a case: the area's code, the year it was
// opened and its number, such as "FI-PO-2026-00042". A code names a case in
// every message and notification instead of the person's name.
func CodeFor(areaCode string, opened time.Time, id int64) string {
	return fmt.Sprintf("%s-%d-%05d", areaCode, opened.Year(), id)
}

// BreakGlassFor is how long a break-glass access lasts unless configured.
const BreakGlassFor = 4 * time.Hour

// BreakGlass is an access to a case outside one's scope, granted for a
// limited time after writing a reason.
type BreakGlass struct {
	ID        int64
	CaseID    int64
	UserID    int64
	Reason    string
	GrantedAt time.Time
	ExpiresAt time.Time
}

// MinReasonLength is the shortest reason accepted for a break-glass access.
const MinReasonLength = 20
