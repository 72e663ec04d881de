// Package casework is where the UI and the API open, list and work on case
// files. Every method asks the one policy (auth.Allowed) about the record it
// loaded and writes its audit entry, so that the two adapters cannot differ
// on who sees what, and no read of a case goes unrecorded.
package casework

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
	"approdo/referrals"
)

// Service opens, lists and works on case files.
type Service struct {
	DB    *store.DB
	Vault *vault.Vault
	// BreakGlassFor is how long a break-glass access lasts.
	BreakGlassFor time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Reads records the reads of case data in the audit log, many reads
	// to a commit under load.
	Reads *audit.Recorder
}

// New returns a service with the default break-glass duration.
func New(db *store.DB, v *vault.Vault) *Service {
	return &Service{DB: db, Vault: v, BreakGlassFor: cases.BreakGlassFor, Now: time.Now, Reads: audit.NewRecorder(db)}
}

// Target returns what the policy needs to know about a case.
func Target(c *cases.Case, r access.Resource) auth.Target {
	return auth.Target{Resource: r, OwnerID: c.CaseWorkerID, OrgID: c.OwnerOrgID, AreaID: c.AreaID,
		ProgrammeID: c.ProgrammeID, CaseID: c.ID, TeamUserIDs: c.TeamUserIDs()}
}

// View is a case as an actor may see it. A summary (Full false) carries only
// what the lead entity reaches: code, kind, area, stage, risk, programme.
type View struct {
	Case      cases.Case
	Full      bool
	Area      network.Area
	Owner     network.Organisation
	Programme *network.Programme
	Team      []MemberView
	// Via says how the actor reaches the case: "scope", "break_glass" or
	// "referral".
	Via string
	// Shared lists the sections that accepted referrals share with the
	// actor's organisation, when the actor does not read the case in full.
	Shared []referrals.Section
}

// SharesSection reports whether the view shows section name: every section
// of a case read in full, and the shared ones otherwise.
func (v *View) SharesSection(name string) bool {
	return v.Full || slices.Contains(v.Shared, referrals.Section(name))
}

// MemberView is a team member with their name and organisation.
type MemberView struct {
	cases.Member
	Name         string
	Organisation string
}

// how tells whether, and how far, the actor may read case c.
func how(a *auth.Actor, c *cases.Case) (full bool, ok bool) {
	if auth.Allowed(a, access.Read, Target(c, access.Cases)) {
		return true, true
	}
	if auth.Allowed(a, access.Read, Target(c, access.CaseSummaries)) {
		return false, true
	}
	return false, false
}

// Open returns case id as a may see it and records the read in the audit
// log. A case outside a's scope is ENOTFOUND, exactly like a case that does
// not exist. The case is shown only once the audit entry is committed.
func (s *Service) Open(ctx context.Context, a *auth.Actor, id int64, client string) (*View, error) {
	var v View
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		full, ok := how(a, c)
		var shared []referrals.Section
		if !full && auth.Can(a, access.Read, access.Referrals) {
			shared = a.Referred[c.ID]
		}
		if !ok && len(shared) == 0 {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		v = View{Case: *c, Full: full, Via: "scope", Shared: shared}
		switch {
		case auth.OnlyByGrant(a, access.Read, Target(c, access.Cases)):
			v.Via = "break_glass"
		case !ok:
			v.Via = "referral"
		}
		return s.describe(ctx, tx, &v)
	})
	if err != nil {
		return nil, err
	}
	fields := []string{"summary"}
	switch {
	case v.Full:
		fields = []string{"case"}
	case v.Via == "referral":
		fields = []string{"referred"}
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(id, 10), CaseID: id,
		Fields: fields, Client: client})
	if err != nil {
		return nil, err
	}
	if !v.Full {
		v.Team = nil
	}
	return &v, nil
}

// describe fills the names a view shows.
func (s *Service) describe(ctx context.Context, tx *store.Tx, v *View) error {
	dir, err := loadNames(ctx, tx)
	if err != nil {
		return err
	}
	if a, ok := dir.areas[v.Case.AreaID]; ok {
		v.Area = a
	}
	if o, ok := dir.orgs[v.Case.OwnerOrgID]; ok {
		v.Owner = o
	}
	if p, ok := dir.programmes[v.Case.ProgrammeID]; ok {
		v.Programme = &p
	}
	for _, m := range v.Case.Team {
		mv := MemberView{Member: m}
		if u, ok := dir.users[m.UserID]; ok {
			mv.Name = u.DisplayName
			mv.Organisation = dir.orgs[u.OrganisationID].Name
		}
		v.Team = append(v.Team, mv)
	}
	return nil
}

// List returns a page of the cases a may list, passing f, with the total,
// and whether they are summaries only. The listing is recorded as one
// audit entry; opening a case records its own.
func (s *Service) List(ctx context.Context, a *auth.Actor, f store.CaseFilter, client string) ([]cases.Case, int, bool, error) {
	resource, summary := access.Cases, false
	scope := CaseScope(a, access.List, access.Cases)
	if scope.Empty() {
		resource, summary = access.CaseSummaries, true
		scope = CaseScope(a, access.List, access.CaseSummaries)
		// A summary says nothing of a case's tasks, nor does its list.
		f.OverdueAt = time.Time{}
	}
	var list []cases.Case
	var total int
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		list, total, err = store.ListCases(ctx, tx, scope, f)
		return err
	})
	if err != nil {
		return nil, 0, false, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: string(resource) + "_list", Client: client})
	return list, total, summary, err
}

// StageCount is how many cases stand at a stage.
type StageCount struct {
	Stage cases.Stage
	Count int
}

// CountByStage returns how many cases a may list stand at each stage, in
// the order of the protocol, and whether they are reached as summaries. A
// count names no case and is not recorded in the audit log.
func (s *Service) CountByStage(ctx context.Context, a *auth.Actor) ([]StageCount, bool, error) {
	summary := false
	scope := CaseScope(a, access.List, access.Cases)
	if scope.Empty() {
		summary = true
		scope = CaseScope(a, access.List, access.CaseSummaries)
	}
	var counts map[cases.Stage]int
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		counts, err = store.CountCasesByStage(ctx, tx, scope)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	out := make([]StageCount, 0, len(cases.Stages))
	for _, st := range cases.Stages {
		out = append(out, StageCount{Stage: st, Count: counts[st]})
	}
	return out, summary, nil
}

// CaseScope turns the actor's scopes for v on r into the bounds of a list.
func CaseScope(a *auth.Actor, v access.Verb, r access.Resource) store.CaseScope {
	var sc store.CaseScope
	for _, s := range auth.ScopesOf(a, v, r) {
		switch s {
		case access.Network:
			sc.All = true
		case access.OwnOrg:
			sc.OrgID = a.Organisation.ID
		case access.Team:
			sc.TeamUserID = a.User.ID
			sc.CaseIDs = a.TeamCaseIDs
		case access.OwnArea:
			sc.AreaIDs = a.User.AreaIDs
		case access.LedProgrammes:
			sc.ProgrammeIDs = a.LedProgrammeIDs
		case access.Own:
			sc.WorkerID = a.User.ID
		}
	}
	return sc
}

// names is the network's names, for views.
type names struct {
	areas      map[int64]network.Area
	orgs       map[int64]network.Organisation
	programmes map[int64]network.Programme
	users      map[int64]network.User
}

// namesCache keeps the names of each database's network for a moment:
// every view of a case shows some, and reading the whole network for each
// costs more than the view itself.
var namesCache sync.Map // *store.DB -> cachedNames

// cachedNames are names read from a database, with the generation of
// access changes they were read at (which counts the additions and edits
// of areas, users, organisations and programmes) and when.
type cachedNames struct {
	names  *names
	gen    uint64
	loaded time.Time
}

// loadNames returns the names of the network, from the cache when nothing
// was added or edited in this process since they were read, less than
// auth.ActorCacheFor ago: like a signed-in actor, a name changed by another
// instance shows here within that time. Callers only read them.
func loadNames(ctx context.Context, tx *store.Tx) (*names, error) {
	gen, now := auth.AccessGeneration(), time.Now()
	if c, ok := namesCache.Load(tx.DB()); ok {
		if c := c.(cachedNames); c.gen == gen && now.Sub(c.loaded) < auth.ActorCacheFor && !now.Before(c.loaded) {
			return c.names, nil
		}
	}
	n, err := readNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	namesCache.Store(tx.DB(), cachedNames{names: n, gen: gen, loaded: now})
	return n, nil
}

// readNames reads the names of the network.
func readNames(ctx context.Context, tx *store.Tx) (*names, error) {
	n := &names{areas: map[int64]network.Area{}, orgs: map[int64]network.Organisation{},
		programmes: map[int64]network.Programme{}, users: map[int64]network.User{}}
	areas, err := store.ListAreas(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, a := range areas {
		n.areas[a.ID] = a
	}
	orgs, err := store.ListOrganisations(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		n.orgs[o.ID] = o
	}
	ps, err := store.ListProgrammes(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		n.programmes[p.ID] = p
	}
	us, err := store.ListUsers(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		n.users[u.ID] = u
	}
	return n, nil
}
