// Package network describes a territorial protection network: its areas, the
// organisations that work in it, the funded programmes that bind them, and the
// people who sign in to Approdo on their behalf.
package network

import "time"

// Area is a territorial area of social services ("ambito", "zona distretto").
type Area struct {
	ID      int64
	Code    string
	Name    string
	Region  string
	Version int
}

// Kind is the kind of an organisation.
type Kind string

// The kinds of organisation a network holds.
const (
	MunicipalSocialService Kind = "municipal_social_service"
	HealthAuthority        Kind = "health_authority"
	School                 Kind = "school"
	Cooperative            Kind = "cooperative"
	ReceptionCommunity     Kind = "reception_community"
	AntiViolenceCentre     Kind = "anti_violence_centre"
	AntiTraffickingProject Kind = "anti_trafficking_project"
	JuvenileJustice        Kind = "juvenile_justice"
	Police                 Kind = "police"
	Association            Kind = "association"
)

// Kinds lists every kind of organisation, in the order forms show them.
var Kinds = []Kind{
	MunicipalSocialService, HealthAuthority, School, Cooperative, ReceptionCommunity,
	AntiViolenceCentre, AntiTraffickingProject, JuvenileJustice, Police, Association,
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Organisation is a member of a network: a municipal service, a health
// authority, a school, a cooperative, a court and so on.
type Organisation struct {
	ID        int64
	Code      string
	Name      string
	Kind      Kind
	AreaID    int64 // 0 when the organisation works across areas
	CreatedAt time.Time
	Version   int
}

// Programme is a funded project that binds a lead entity ("ente capofila")
// and its partners for a period, such as a FAMI project.
type Programme struct {
	ID          int64
	Code        string
	Name        string
	Funder      string
	StartsOn    time.Time
	EndsOn      time.Time
	LeadOrgID   int64
	Description string
	PartnerIDs  []int64
	AreaIDs     []int64
	BudgetLines []BudgetLine
	CreatedAt   time.Time
	Version     int
}

// BudgetLine is one line of a programme's budget: a code such as "A.1", a
// label, the amount granted in euro cents and, when the line is allocated to
// one organisation, that organisation. What is committed and spent against
// it comes from the individual projects.
type BudgetLine struct {
	ID             int64
	Code           string
	Label          string
	AmountCents    int64
	OrganisationID int64 // 0 when the line is not allocated to one organisation
}

// Role is a default role of DOMAIN.md. The policy decides every access from
// the roles a user holds.
type Role string

// The default roles.
const (
	SocialWorker       Role = "social_worker"
	PartnerOperator    Role = "partner_operator"
	LeadCoordinator    Role = "lead_coordinator"
	HealthProfessional Role = "health_professional"
	Reporter           Role = "reporter"
	Mediator           Role = "mediator"
	DataOfficer        Role = "data_officer"
	TrainingManager    Role = "training_manager"
	Administrator      Role = "administrator"
)

// Roles lists the default roles in the order of DOMAIN.md.
var Roles = []Role{
	SocialWorker, PartnerOperator, LeadCoordinator, HealthProfessional, Reporter,
	Mediator, DataOfficer, TrainingManager, Administrator,
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// User is a person who signs in on behalf of an organisation.
type User struct {
	ID             int64
	Username       string
	DisplayName    string
	Email          string
	OrganisationID int64
	Profession     string
	Languages      []string // ISO 639 codes
	Locale         string   // "it" or "en"
	Roles          []Role
	AreaIDs        []int64
	Active         bool
	CreatedAt      time.Time
	Version        int
}

// Has reports whether the user holds role r.
func (u *User) Has(r Role) bool {
	for _, v := range u.Roles {
		if v == r {
			return true
		}
	}
	return false
}
