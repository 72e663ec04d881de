// Package access describes who may do what in Approdo, as data: roles made
// of permissions (a verb on a resource within a scope) and of sensitive
// field groups. The one function that applies them to a request is
// auth.Allowed.
package access

import (
	"slices"
	"strings"

	"approdo/network"
)

// Verb is an action an actor takes on a record.
type Verb string

// The verbs of the policy.
const (
	Read       Verb = "read"
	List       Verb = "list"
	Create     Verb = "create"
	Update     Verb = "update"
	Delete     Verb = "delete"
	Approve    Verb = "approve"
	Export     Verb = "export"
	Search     Verb = "search"
	Manage     Verb = "manage"
	BreakGlass Verb = "break_glass"
)

// Verbs lists every verb, in the order the role pages show them. A
// permission naming a verb missing here is refused.
var Verbs = []Verb{Read, List, Create, Update, Delete, Approve, Export, Search, Manage, BreakGlass}

// Resource is a kind of record.
type Resource string

// The resources of the policy. "directory" is the network's public face:
// its areas, organisations and programmes as everyone in it sees them.
const (
	Directory     Resource = "directory"
	Organisations Resource = "organisation"
	Areas         Resource = "area"
	Programmes    Resource = "programme"
	Users         Resource = "user"
	Roles         Resource = "role"
	AuditLog      Resource = "audit"
	Sessions      Resource = "session"
	Tokens        Resource = "token"
	Cases         Resource = "case"
	CaseSummaries Resource = "case_summary"
	CaseAccess    Resource = "case_access"
	Reports       Resource = "report"
	Indicators    Resource = "indicator"
	// CaseTransfers are requests to move a case to another organisation,
	// held by the receiving organisation until it decides.
	CaseTransfers Resource = "case_transfer"
	// SavedLists are the working lists a user saved from the case list.
	SavedLists Resource = "saved_list"
	// Projects are the individual projects of cases, which the lead entity
	// of the programme reads and approves.
	Projects Resource = "project"
	// Interventions are the entries of the catalogue of interventions that
	// projects' actions draw on, which administrators add, edit and retire.
	Interventions Resource = "intervention"
	// Referrals are closed-loop referrals between organisations, read and
	// answered by the sending and the receiving organisation.
	Referrals Resource = "referral"
	// Services are the entries of the service directory: what each
	// organisation offers, read network-wide, edited by the organisation.
	Services Resource = "service"
	// Mediators are the profiles of the registry of linguistic and cultural
	// mediators: languages, areas served, gender, availability. Update is
	// the availability alone, which a mediator keeps for themselves; manage
	// is the whole profile.
	Mediators Resource = "mediator"
	// MediationBookings are the requests for a mediator made from cases,
	// seen as their logistics: manage assigns a mediator; update confirms,
	// declines and records the hours worked.
	MediationBookings Resource = "mediation_booking"
	// Meetings are multidisciplinary case meetings and steering groups:
	// their organiser and participants read them and write their minutes
	// and decisions; the cases on their agenda follow the case's policy.
	Meetings Resource = "meeting"
	// DeadlineRules are the rules of the legal and protocol clocks:
	// the network's, managed by administrators, and a programme's
	// overrides, managed by its lead entity; read by whoever reads cases.
	DeadlineRules Resource = "deadline_rule"
)

// Resources lists every resource, in the order the role pages show them. A
// permission naming a resource missing here is refused, so a new resource is
// added to both the constants and this list.
var Resources = []Resource{Directory, Organisations, Areas, Programmes, Users, Roles, AuditLog, Sessions, Tokens,
	Cases, CaseSummaries, CaseAccess, Reports, Indicators, CaseTransfers, SavedLists, Projects, Interventions, Referrals, Services,
	Mediators, MediationBookings, Meetings, DeadlineRules}

// Scope bounds the records a permission reaches.
type Scope string

// The scopes, from the narrowest.
const (
	Own           Scope = "own"          // records the actor owns: their profile, their reports
	Team          Scope = "team"         // records of cases whose team the actor is on
	OwnOrg        Scope = "organisation" // records of the actor's organisation
	OwnArea       Scope = "area"         // records in the actor's territorial areas
	LedProgrammes Scope = "programme"    // records of programmes the actor's organisation leads
	Network       Scope = "network"      // every record of the network
)

// Scopes lists every scope, narrowest first.
var Scopes = []Scope{Own, Team, OwnOrg, OwnArea, LedProgrammes, Network}

// FieldGroup is a group of sensitive fields granted per role.
type FieldGroup string

// The sensitive field groups.
const (
	Identity        FieldGroup = "identity"
	Health          FieldGroup = "health"
	Judicial        FieldGroup = "judicial"
	Violence        FieldGroup = "violence"
	SexualLife      FieldGroup = "sexual_life"
	Religion        FieldGroup = "religion"
	ShelterLocation FieldGroup = "shelter_location"
)

// FieldGroups lists every sensitive field group.
var FieldGroups = []FieldGroup{Identity, Health, Judicial, Violence, SexualLife, Religion, ShelterLocation}

// Permission lets a role take a verb on a resource within a scope.
type Permission struct {
	Verb     Verb
	Resource Resource
	Scope    Scope
}

// String writes the permission as "verb:resource:scope".
func (p Permission) String() string {
	return string(p.Verb) + ":" + string(p.Resource) + ":" + string(p.Scope)
}

// FieldGrant grants a sensitive field group, in organisations of the given
// kinds only when OrgKinds is not empty.
type FieldGrant struct {
	Group    FieldGroup
	OrgKinds []network.Kind
}

// Role is a role as data: its permissions, its sensitive field
// groups and whether it needs a second factor to sign in.
type Role struct {
	Code         network.Role
	Name         string // for roles an administrator added; built-in roles are named by the catalogue
	Description  string
	Builtin      bool
	SecondFactor bool
	Permissions  []Permission
	FieldGrants  []FieldGrant
	Version      int
}

// ParsePermission reads "verb:resource:scope".
func ParsePermission(s string) (Permission, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || !slices.Contains(Scopes, Scope(parts[2])) {
		return Permission{}, false
	}
	return Permission{Verb(parts[0]), Resource(parts[1]), Scope(parts[2])}, true
}
