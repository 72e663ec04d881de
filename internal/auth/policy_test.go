package auth_test

import (
	"testing"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/network"
)

// actor returns an actor of organisation 10 (of the given kind), area 3,
// user 7, holding one role made of perms and grants.
func actor(kind network.Kind, perms []access.Permission, grants []access.FieldGrant) *auth.Actor {
	role := &access.Role{Code: "r", Permissions: perms, FieldGrants: grants}
	a := &auth.Actor{Grants: auth.NewGrants(kind, []*access.Role{role})}
	a.User = network.User{ID: 7, Active: true, AreaIDs: []int64{3}}
	a.Organisation = network.Organisation{ID: 10, Kind: kind}
	a.LedProgrammeIDs = []int64{5}
	return a
}

func TestScopes(t *testing.T) {
	read := func(s access.Scope) []access.Permission {
		return []access.Permission{{Verb: access.Read, Resource: access.Cases, Scope: s}}
	}
	inside := map[access.Scope]auth.Target{
		access.Own:           {OwnerID: 7},
		access.Team:          {TeamUserIDs: []int64{1, 7}},
		access.OwnOrg:        {OrgID: 10},
		access.OwnArea:       {AreaID: 3},
		access.LedProgrammes: {ProgrammeID: 5},
		access.Network:       {OrgID: 99},
	}
	outside := auth.Target{Resource: access.Cases, OwnerID: 8, TeamUserIDs: []int64{1}, OrgID: 11, AreaID: 4, ProgrammeID: 6}
	for scope, t0 := range inside {
		a := actor(network.MunicipalSocialService, read(scope), nil)
		t0.Resource = access.Cases
		if !auth.Allowed(a, access.Read, t0) {
			t.Errorf("%s: a record inside the scope is refused", scope)
		}
		if scope != access.Network && auth.Allowed(a, access.Read, outside) {
			t.Errorf("%s: a record outside the scope is allowed", scope)
		}
		if auth.Allowed(a, access.Update, t0) {
			t.Errorf("%s: read lets the actor update", scope)
		}
		if !auth.Can(a, access.Read, access.Cases) || auth.Can(a, access.Read, access.Users) {
			t.Errorf("%s: Can disagrees with the grants", scope)
		}
	}
	// Facts left unset never match.
	a := actor(network.MunicipalSocialService, read(access.OwnOrg), nil)
	if auth.Allowed(a, access.Read, auth.Target{Resource: access.Cases}) {
		t.Error("a record loaded without its organisation is allowed")
	}
	if auth.Allowed(nil, access.Read, auth.Target{Resource: access.Cases, OrgID: 10}) {
		t.Error("nobody is allowed something")
	}
	a.User.Active = false
	if auth.Allowed(a, access.Read, auth.Target{Resource: access.Cases, OrgID: 10}) {
		t.Error("a deactivated user is allowed something")
	}
}

func TestBreakGlassReachesOnlyItsCase(t *testing.T) {
	a := actor(network.MunicipalSocialService, []access.Permission{{Verb: access.Read, Resource: access.Cases, Scope: access.Team}}, nil)
	a.TeamCaseIDs = []int64{42}
	opened := auth.Target{Resource: access.Cases, CaseID: 42, OrgID: 99}
	other := auth.Target{Resource: access.Cases, CaseID: 43, OrgID: 99}
	if !auth.Allowed(a, access.Read, opened) || !auth.OnlyByGrant(a, access.Read, opened) {
		t.Error("the broken-glass case is not reached, or not through the grant")
	}
	if auth.Allowed(a, access.Read, other) {
		t.Error("break-glass reaches another case")
	}
	mine := auth.Target{Resource: access.Cases, CaseID: 42, TeamUserIDs: []int64{7}}
	if auth.OnlyByGrant(a, access.Read, mine) {
		t.Error("a team case is said to be reached only by the grant")
	}
}

func TestFieldGroups(t *testing.T) {
	grants := []access.FieldGrant{
		{Group: access.Identity},
		{Group: access.Violence, OrgKinds: []network.Kind{network.AntiViolenceCentre, network.AntiTraffickingProject}},
		{Group: access.ShelterLocation},
	}
	cav := actor(network.AntiViolenceCentre, nil, grants)
	coop := actor(network.ReceptionCommunity, nil, grants)
	if !auth.SeesField(cav, access.Identity, 99) || !auth.SeesField(coop, access.Identity, 99) {
		t.Error("identity, granted everywhere, is hidden")
	}
	if !auth.SeesField(cav, access.Violence, 99) {
		t.Error("violence details are hidden inside an anti-violence centre")
	}
	if auth.SeesField(coop, access.Violence, 99) {
		t.Error("violence details granted only to anti-violence organisations show in a reception community")
	}
	if !auth.SeesField(cav, access.ShelterLocation, 10) {
		t.Error("a shelter's location is hidden from the organisation that runs it")
	}
	if auth.SeesField(cav, access.ShelterLocation, 11) {
		t.Error("a shelter's location shows outside the organisation that runs it")
	}
	if auth.SeesField(cav, access.Health, 10) {
		t.Error("a group not granted shows")
	}
}
