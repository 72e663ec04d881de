package auth

import (
	"slices"

	"approdo/access"
	"approdo/network"
	"approdo/referrals"
)

// Grants are what an actor may do: the union of their roles, resolved at
// sign-in.
type Grants struct {
	scopes       map[string][]access.Scope // verb + ":" + resource
	fields       map[access.FieldGroup]bool
	SecondFactor bool
}

func grantKey(v access.Verb, r access.Resource) string { return string(v) + ":" + string(r) }

// NewGrants resolves the grants of a member of an organisation of the given
// kind who holds roles.
func NewGrants(kind network.Kind, roles []*access.Role) Grants {
	g := Grants{scopes: map[string][]access.Scope{}, fields: map[access.FieldGroup]bool{}}
	for _, r := range roles {
		if r == nil {
			continue
		}
		g.SecondFactor = g.SecondFactor || r.SecondFactor
		for _, p := range r.Permissions {
			k := grantKey(p.Verb, p.Resource)
			if !slices.Contains(g.scopes[k], p.Scope) {
				g.scopes[k] = append(g.scopes[k], p.Scope)
			}
		}
		for _, f := range r.FieldGrants {
			if len(f.OrgKinds) == 0 || slices.Contains(f.OrgKinds, kind) {
				g.fields[f.Group] = true
			}
		}
	}
	return g
}

// Target is what the policy needs to know about one record. Callers load it
// with the record, in the same transaction.
type Target struct {
	Resource    access.Resource
	OwnerID     int64   // the user who owns the record, for the own scope
	OrgID       int64   // the organisation that holds the record
	AreaID      int64   // the record's territorial area
	ProgrammeID int64   // the record's programme
	CaseID      int64   // the case the record belongs to, for team grants
	TeamUserIDs []int64 // the users on the case's team
}

// Allowed is the one authorisation function for records: it reports
// whether actor a may take verb v on the record t. A fact of t left unset
// never matches, so a record loaded without its facts is refused. Nobody
// signed in may do anything.
func Allowed(a *Actor, v access.Verb, t Target) bool {
	for _, s := range ScopesOf(a, v, t.Resource) {
		if a.within(s, t) {
			return true
		}
	}
	return false
}

// OnlyByGrant reports whether a may take v on t only thanks to a
// break-glass access (Actor.TeamCaseIDs), not through the scopes of their
// roles.
func OnlyByGrant(a *Actor, v access.Verb, t Target) bool {
	if !Allowed(a, v, t) {
		return false
	}
	without := *a
	without.TeamCaseIDs = nil
	return !Allowed(&without, v, t)
}

// SharedSection reports whether a may read section s of case caseID
// because an accepted referral to a's organisation shares it and the
// person's consent stands. It grants nothing else: the fields a sees in it
// still follow a's field groups.
func SharedSection(a *Actor, caseID int64, s referrals.Section) bool {
	return Can(a, access.Read, access.Referrals) && slices.Contains(a.Referred[caseID], s)
}

// Can reports whether a may take v on at least some records of r. Routes
// are gated with it before any record is loaded; the record itself is then
// checked with Allowed.
func Can(a *Actor, v access.Verb, r access.Resource) bool {
	return len(ScopesOf(a, v, r)) > 0
}

// within reports whether record t falls inside scope s for the actor.
func (a *Actor) within(s access.Scope, t Target) bool {
	switch s {
	case access.Network:
		return true
	case access.Own:
		return t.OwnerID != 0 && t.OwnerID == a.User.ID
	case access.OwnOrg:
		return t.OrgID != 0 && t.OrgID == a.Organisation.ID
	case access.OwnArea:
		return t.AreaID != 0 && slices.Contains(a.User.AreaIDs, t.AreaID)
	case access.LedProgrammes:
		return t.ProgrammeID != 0 && slices.Contains(a.LedProgrammeIDs, t.ProgrammeID)
	case access.Team:
		return slices.Contains(t.TeamUserIDs, a.User.ID) || (t.CaseID != 0 && slices.Contains(a.TeamCaseIDs, t.CaseID))
	}
	return false
}

// ScopesOf returns the scopes within which a may take v on r, for building
// the filter of a list. Nil means none, as for an actor who must set up a
// second factor first.
func ScopesOf(a *Actor, v access.Verb, r access.Resource) []access.Scope {
	if a == nil || !a.User.Active || a.MustEnrol {
		return nil
	}
	return a.Grants.scopes[grantKey(v, r)]
}

// SeesField reports whether a may see the sensitive field group g of a
// record held by the organisation orgID. A shelter's location is visible only
// inside the organisation that runs it, whatever the roles say.
func SeesField(a *Actor, g access.FieldGroup, orgID int64) bool {
	if a == nil || !a.Grants.fields[g] {
		return false
	}
	if g == access.ShelterLocation {
		return orgID != 0 && orgID == a.Organisation.ID
	}
	return true
}

// ManagesAccount reports whether a may act on the account of user u as its
// administrator (edit it, deactivate it, send a new invitation, reset its
// second factor): the policy's update on users, within scope of the user's
// organisation or one of their areas, and never on one's own account, so
// that a hijacked session can neither lock others out nor let itself in for
// good.
func ManagesAccount(a *Actor, u *network.User) bool {
	if a == nil || u.ID == a.User.ID {
		return false
	}
	t := Target{Resource: access.Users, OrgID: u.OrganisationID}
	if Allowed(a, access.Update, t) {
		return true
	}
	for _, area := range u.AreaIDs {
		t.AreaID = area
		if Allowed(a, access.Update, t) {
			return true
		}
	}
	return false
}
