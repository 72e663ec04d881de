package demo

import (
	"context"
	"math/rand/v2"
	"net/url"
	"slices"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// ids are the database ids of the demo network, by code or username.
type ids struct {
	areas, orgs, users, programmes map[string]int64
}

// caseSet describes a group of demo cases held by one organisation.
type caseSet struct {
	owner, area, programme, worker string
	kind                           cases.Kind
	count                          int
	// team lists usernames added to every case of the set beside the case
	// worker, with their role; alternate members go to every other case.
	team      map[string]cases.TeamRole
	alternate map[string]cases.TeamRole
}

// caseSets spread demo cases over the networks so that every role has
// cases inside and outside its scope: the Prato social worker's team
// includes the reception community's educator and, for some cases, the
// health authority's psychologist; the lead entity of INCONTRO sees its
// programme's cases in summary; Rome, Versilia and Brescia hold cases the
// Tuscan users cannot reach without break-glass. The tests count on these
// sets as they are: change them only with the tests.
var caseSets = []caseSet{
	{owner: "SDS-PRATO", area: "FI-PO", programme: "INCONTRO", worker: "assistente.sociale", kind: cases.MinorFamilyViolence, count: 8,
		team: map[string]cases.TeamRole{"operatore": cases.Contributor}, alternate: map[string]cases.TeamRole{"sanitario": cases.Consultant}},
	{owner: "SDS-PRATO", area: "FI-PO", programme: "INCONTRO", worker: "assistente.sociale", kind: cases.UnaccompaniedMinor, count: 6,
		team: map[string]cases.TeamRole{"operatore": cases.Contributor}},
	{owner: "COM-CECINA", area: "VET", programme: "INCONTRO", worker: "as.cecina", kind: cases.FamilyInDistress, count: 5,
		alternate: map[string]cases.TeamRole{"sanitario": cases.Consultant}},
	{owner: "RM-MSNA", area: "RM", programme: "RM-UO-MSNA", worker: "as.roma", kind: cases.UnaccompaniedMinor, count: 8},
	{owner: "COM-VIAREGGIO", area: "VER", programme: "SATIS", worker: "as.viareggio", kind: cases.TraffickingVictim, count: 5,
		team: map[string]cases.TeamRole{"antitratta": cases.CoOwner}},
	{owner: "UDP-BS-E", area: "BS-E", programme: "BS-INTERCULTURA", worker: "as.brescia", kind: cases.WomanViolence, count: 5},
}

// demoDay is the demonstration's today: nothing in the demo happens after
// it.
var demoDay = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// WithCaseload makes Seed add the network's caseload to the demo cases:
// about 260 more cases, with their history, transfers and closures, so that
// the demo holds about 300, as "approdo demo" shows it. Tests leave it out
// to stay fast: the sets they count on are there either way.
func WithCaseload() Option {
	return func(o *options) { o.caseload = true }
}

// seedCases adds the demo cases: first the sets above, in every stage and
// at every risk level, then, WithCaseload, the network's caseload; then the
// transfers between organisations and the users' working lists.
func seedCases(ctx context.Context, tx *store.Tx, ids ids, opts []Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var made []*cases.Case
	base := demoDay
	n := 0
	for _, set := range caseSets {
		for i := 0; i < set.count; i++ {
			n++
			opened := base.AddDate(0, 0, -(n*17)%700)
			c := &cases.Case{
				Kind: set.kind, ProgrammeID: ids.programmes[set.programme], AreaID: ids.areas[set.area],
				OwnerOrgID: ids.orgs[set.owner], CaseWorkerID: ids.users[set.worker],
				Stage: cases.Stages[(n*3)%len(cases.Stages)], Risk: cases.Risks[(n*5)%len(cases.Risks)],
				OpenedAt: opened,
				Team:     []cases.Member{{UserID: ids.users[set.worker], Role: cases.Owner, AddedAt: opened}},
			}
			for username, role := range set.team {
				c.Team = append(c.Team, cases.Member{UserID: ids.users[username], Role: role, AddedAt: opened, AddedBy: ids.users[set.worker]})
			}
			if i%2 == 0 {
				for username, role := range set.alternate {
					c.Team = append(c.Team, cases.Member{UserID: ids.users[username], Role: role, AddedAt: opened, AddedBy: ids.users[set.worker]})
				}
			}
			// Concerns and closures drawn as for the caseload, from a source
			// of their own, so that the sets stay as they are.
			r := rand.New(rand.NewPCG(uint64(n), 7))
			c.Concerns = drawConcerns(r, set.kind)
			if c.Closed() {
				options := closureOdds[set.kind]
				closure := options[r.IntN(len(options))]
				c.ClosureReason, c.Outcomes = closure.reason, slices.Clone(closure.outcomes)
				c.ClosedAt = opened.Add(demoDay.Sub(opened) / 2).Truncate(time.Minute)
			}
			if err := store.InsertCase(ctx, tx, c); err != nil {
				return err
			}
			made = append(made, c)
		}
	}
	if o.caseload {
		more, err := seedCaseload(ctx, tx, ids, &o)
		if err != nil {
			return err
		}
		made = append(made, more...)
	}
	if err := seedTransfers(ctx, tx, ids, &o, made); err != nil {
		return err
	}
	return seedSavedLists(ctx, tx, ids)
}

// load describes a part of the network's caseload: how many cases of a
// kind an organisation holds, in which area and programme, with which
// colleagues of other organisations on the team of some of them.
type load struct {
	owner, area, programme, worker string
	kind                           cases.Kind
	count                          int
	// team joins every case; guests join one case in every guestEvery.
	team       map[string]cases.TeamRole
	guests     map[string]cases.TeamRole
	guestEvery int
}

// caseload is the bulk of the demo: about 260 cases beside the sets above,
// in organisations and programmes the Prato social worker, the educator and
// the INCONTRO lead entity do not reach, so that their lists stay as the
// tests know them. Most are unaccompanied minors in Rome and the Valli
// Etrusche, women with children in the Brescia area, victims of
// trafficking in Versilia; the persons of each case (nationalities, ages,
// households) are added by seedPersons after the kind of case.
var caseload = []load{
	{owner: "RM-MSNA", area: "RM", programme: "RM-UO-MSNA", worker: "as.roma", kind: cases.UnaccompaniedMinor, count: 95,
		guests: map[string]cases.TeamRole{"as.cecina": cases.Contributor}, guestEvery: 6},
	{owner: "RM-MSNA", area: "RM", programme: "RM-UO-MSNA", worker: "as.roma", kind: cases.MinorFamilyViolence, count: 12},
	{owner: "RM-MSNA", area: "RM", worker: "as.roma", kind: cases.FamilyInDistress, count: 8},
	{owner: "COM-CECINA", area: "VET", worker: "as.cecina", kind: cases.UnaccompaniedMinor, count: 32,
		guests: map[string]cases.TeamRole{"as.roma": cases.Consultant}, guestEvery: 8},
	{owner: "COM-CECINA", area: "VET", worker: "as.cecina", kind: cases.FamilyInDistress, count: 10},
	{owner: "COM-CECINA", area: "VET", worker: "as.cecina", kind: cases.MinorFamilyViolence, count: 6},
	{owner: "COM-VIAREGGIO", area: "VER", programme: "SATIS", worker: "as.viareggio", kind: cases.TraffickingVictim, count: 34,
		team: map[string]cases.TeamRole{"antitratta": cases.CoOwner}},
	{owner: "COM-VIAREGGIO", area: "VER", worker: "as.viareggio", kind: cases.WomanViolence, count: 8,
		guests: map[string]cases.TeamRole{"antitratta": cases.Consultant}, guestEvery: 3},
	{owner: "UDP-BS-E", area: "BS-E", programme: "BS-INTERCULTURA", worker: "as.brescia", kind: cases.WomanViolence, count: 36,
		guests: map[string]cases.TeamRole{"as.viareggio": cases.Consultant}, guestEvery: 9},
	{owner: "UDP-BS-E", area: "BS-E", programme: "BS-INTERCULTURA", worker: "as.brescia", kind: cases.MinorFamilyViolence, count: 12},
	{owner: "UDP-BS-E", area: "BS-O", programme: "BS-INTERCULTURA", worker: "as.brescia", kind: cases.FamilyInDistress, count: 10},
}

// stageWeights says how a caseload spreads over the stages, in percent, in
// the order of cases.Stages: most cases are being assessed, followed in a
// project or monitored; fewer are new or closed.
var stageWeights = []int{4, 6, 10, 15, 20, 25, 12, 8}

// stageAge is how many days ago, at least and at most, a case at each stage
// was opened.
var stageAge = [][2]int{{1, 20}, {5, 40}, {20, 120}, {40, 240}, {90, 500}, {150, 800}, {300, 900}, {400, 1000}}

// concernOdds gives, for each kind of case, the chance in percent of each
// protection concern.
var concernOdds = map[cases.Kind]map[string]int{
	cases.UnaccompaniedMinor: {"unaccompanied": 100, "documents": 60, "age_dispute": 20, "mental_health": 15,
		"missing_risk": 15, "exploitation": 10, "health": 10},
	cases.TraffickingVictim: {"trafficking": 100, "exploitation": 60, "documents": 50, "gbv": 40, "mental_health": 30,
		"health": 20, "pregnancy": 10},
	cases.WomanViolence:       {"gbv": 100, "witnessed_violence": 70, "documents": 30, "mental_health": 20, "pregnancy": 10},
	cases.MinorFamilyViolence: {"child_abuse": 70, "witnessed_violence": 50, "mental_health": 20, "missing_risk": 10},
	cases.FamilyInDistress:    {"documents": 30, "health": 20, "disability": 15, "witnessed_violence": 15},
}

// riskOdds gives, for each kind of case, the chance in percent of each risk
// level, lowest first: trafficking and violence weigh higher.
var riskOdds = map[cases.Kind][]int{
	cases.UnaccompaniedMinor:  {25, 45, 22, 8},
	cases.TraffickingVictim:   {5, 30, 40, 25},
	cases.WomanViolence:       {10, 30, 40, 20},
	cases.MinorFamilyViolence: {15, 35, 35, 15},
	cases.FamilyInDistress:    {40, 40, 15, 5},
}

// closureOdds are the closure reasons of closed demo cases, by kind, with
// the outcomes that go with them.
var closureOdds = map[cases.Kind][]closing{
	cases.UnaccompaniedMinor: {{"age_18", []string{"documents", "education"}}, {"age_21_extension", []string{"housing", "work", "documents"}},
		{"autonomy", []string{"housing", "work"}}, {"lost_contact", []string{"none"}}, {"transfer", []string{"documents"}},
		{"return", []string{"family_reunification"}}},
	cases.TraffickingVictim: {{"autonomy", []string{"housing", "work", "documents"}}, {"return", []string{"family_reunification"}},
		{"lost_contact", []string{"none"}}, {"other", []string{"documents"}}},
	cases.WomanViolence: {{"autonomy", []string{"housing", "work"}}, {"transfer", []string{"housing"}}, {"other", []string{"none"}}},
	cases.MinorFamilyViolence: {{"autonomy", []string{"education"}}, {"transfer", []string{"education"}},
		{"return", []string{"family_reunification"}}},
	cases.FamilyInDistress: {{"autonomy", []string{"housing", "work"}}, {"other", []string{"none"}}},
}

// closing is a closure reason with its outcomes.
type closing struct {
	reason   string
	outcomes []string
}

// The reasons the demo writes, all invented and naming nobody.
const (
	demoBackReason   = "Il progetto individualizzato va rivisto: la valutazione va completata con il colloquio sanitario."
	demoReopenReason = "Il ragazzo è tornato al servizio dopo la chiusura: serve riprendere il monitoraggio per alcuni mesi."
)

// seedCaseload adds the caseload and returns its cases: each case with the
// history of its stages on its timeline, closed cases with their reasons
// and outcomes, a few cases reopened or sent back a stage. It is
// deterministic: the same seed gives the same demo.
func seedCaseload(ctx context.Context, tx *store.Tx, ids ids, o *options) ([]*cases.Case, error) {
	r := rand.New(rand.NewPCG(2026, 10))
	var made []*cases.Case
	for _, l := range caseload {
		for i := 0; i < l.count; i++ {
			c, err := seedLoadCase(ctx, tx, ids, o, r, l, i)
			if err != nil {
				return nil, err
			}
			made = append(made, c)
		}
	}
	return made, nil
}

// drawConcerns draws the protection concerns of a case of kind k.
func drawConcerns(r *rand.Rand, k cases.Kind) []string {
	var out []string
	for _, code := range cases.Concerns {
		if odds := concernOdds[k][code]; odds > 0 && r.IntN(100) < odds {
			out = append(out, code)
		}
	}
	return out
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// seedLoadCase adds case i of the load l with its history.
func seedLoadCase(ctx context.Context, tx *store.Tx, ids ids, o *options, r *rand.Rand, l load, i int) (*cases.Case, error) {
	stage := cases.Stages[pick(r, stageWeights)]
	age := stageAge[stage.Index()]
	opened := demoDay.AddDate(0, 0, -(age[0] + r.IntN(age[1]-age[0]+1))).Add(-time.Duration(r.IntN(8*60)) * time.Minute)
	worker := ids.users[l.worker]
	c := &cases.Case{Kind: l.kind, ProgrammeID: ids.programmes[l.programme], AreaID: ids.areas[l.area],
		OwnerOrgID: ids.orgs[l.owner], CaseWorkerID: worker, Stage: stage, Risk: cases.Risks[pick(r, riskOdds[l.kind])],
		OpenedAt: opened, Team: []cases.Member{{UserID: worker, Role: cases.Owner, AddedAt: opened}}}
	c.Concerns = drawConcerns(r, l.kind)
	joined := opened.Add(72 * time.Hour)
	for username, role := range l.team {
		c.Team = append(c.Team, cases.Member{UserID: ids.users[username], Role: role, AddedAt: joined, AddedBy: worker})
	}
	if l.guestEvery > 0 && i%l.guestEvery == l.guestEvery-1 {
		for username, role := range l.guests {
			c.Team = append(c.Team, cases.Member{UserID: ids.users[username], Role: role, AddedAt: joined, AddedBy: worker})
		}
	}
	// A few cases were reopened after closure, and a few sent back a stage
	// from the project to complete the assessment.
	reopened := stage == cases.StageMonitoring && i%9 == 4
	sentBack := stage == cases.StageAssessment && i%7 == 3
	var closure closing
	if c.Closed() {
		options := closureOdds[l.kind]
		closure = options[r.IntN(len(options))]
		c.ClosureReason, c.Outcomes = closure.reason, slices.Clone(closure.outcomes)
	}
	// The stages the case went through, spread between its opening and
	// the demo's day.
	path := cases.Stages[:stage.Index()+1]
	if reopened {
		path = append(slices.Clone(cases.Stages[:cases.StageClosure.Index()+1]), cases.StageMonitoring)
	}
	if sentBack {
		path = append(slices.Clone(cases.Stages[:cases.StageProject.Index()+1]), cases.StageAssessment)
	}
	span := demoDay.Sub(opened)
	at := func(step int) time.Time {
		return opened.Add(span * time.Duration(step) / time.Duration(len(path)+1)).Truncate(time.Minute)
	}
	if stage.Index() >= cases.StageClosure.Index() {
		for step, s := range path {
			if s == cases.StageClosure {
				c.ClosedAt = at(step)
			}
		}
	}
	if err := store.InsertCase(ctx, tx, c); err != nil {
		return nil, err
	}
	for step := 1; step < len(path); step++ {
		from, to, when := path[step-1], path[step], at(step)
		sc := &cases.StageChange{CaseID: c.ID, At: when, ActorID: worker, From: from, To: to, Kind: cases.Forward}
		kind, detail := cases.StageChanged, map[string]string{"from": string(from), "to": string(to)}
		switch {
		case to == cases.StageClosure:
			sc.Kind, kind = cases.Close, cases.Closed
			detail["reason"] = closure.reason
			if reopened {
				detail["reason"] = "lost_contact"
			}
		case from == cases.StageClosure && to == cases.StageMonitoring:
			sc.Kind, sc.Reason, kind = cases.Reopen, demoReopenReason, cases.Reopened
		case to.Index() < from.Index():
			sc.Kind, sc.Reason = cases.Back, demoBackReason
		}
		if err := casework.RecordStageChange(ctx, tx, o.vault, sc); err != nil {
			return nil, err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: when, ActorID: worker, Kind: kind,
			RefID: sc.ID, Detail: detail}); err != nil {
			return nil, err
		}
		c.UpdatedAt = when
	}
	return c, nil
}

// transferPlan is a demo transfer: the case, by its place among the cases
// of a load, the organisation asked, and what it decided.
type transferPlan struct {
	owner string
	kind  cases.Kind
	nth   int // among the open cases of the load, from 1, so never the first
	to    string
	state cases.TransferState
	why   string
}

// transferPlans are the demo's transfers, each on a case chosen among the
// open cases of an organisation and kind (never the first): minors who
// moved between Rome and the Valli Etrusche, women moving to a shelter in another area; some
// pending, so that the receiving social workers find them waiting, some
// accepted (the case changed hands), some declined. One waits for the
// Prato social services, so that the demo's social worker can accept it.
var transferPlans = []transferPlan{
	// Among the sets, so that the demo without its caseload has transfers
	// too.
	{"RM-MSNA", cases.UnaccompaniedMinor, 1, "COM-CECINA", cases.AwaitingDecision,
		"Il ragazzo è stato collocato in una comunità delle Valli Etrusche: chiediamo la presa in carico al servizio del territorio."},
	{"UDP-BS-E", cases.WomanViolence, 1, "COM-VIAREGGIO", cases.AcceptedTransfer,
		"La donna e i figli si sono trasferiti in Versilia presso una sorella."},
	{"COM-VIAREGGIO", cases.TraffickingVictim, 1, "UDP-BS-E", cases.DeclinedTransfer,
		"La ragazza ha trovato lavoro nel bresciano e chiede di essere seguita lì."},
	// Among the caseload.
	{"COM-CECINA", cases.UnaccompaniedMinor, 3, "RM-MSNA", cases.AwaitingDecision,
		"Il ragazzo si è trasferito a Roma da uno zio: chiediamo la presa in carico all'Ufficio MSNA di Roma Capitale."},
	{"COM-CECINA", cases.UnaccompaniedMinor, 5, "SDS-PRATO", cases.AwaitingDecision,
		"Il ragazzo è stato inserito in una comunità educativa di Prato: chiediamo che lo segua il servizio sociale del territorio."},
	{"RM-MSNA", cases.UnaccompaniedMinor, 7, "COM-CECINA", cases.AwaitingDecision,
		"Il minore è stato collocato in seconda accoglienza a Cecina: il servizio sociale del luogo di collocamento segua il progetto."},
	{"COM-VIAREGGIO", cases.WomanViolence, 2, "UDP-BS-E", cases.AwaitingDecision,
		"La donna e i figli sono ospiti di una casa rifugio nel bresciano per ragioni di sicurezza."},
	{"RM-MSNA", cases.UnaccompaniedMinor, 11, "COM-CECINA", cases.AcceptedTransfer,
		"Collocamento in comunità a Cecina disposto dal Tribunale per i minorenni: passaggio al servizio del territorio."},
	{"RM-MSNA", cases.UnaccompaniedMinor, 15, "COM-CECINA", cases.AcceptedTransfer,
		"Il ragazzo vive ora in appartamento per l'autonomia a Cecina."},
	{"COM-CECINA", cases.UnaccompaniedMinor, 9, "RM-MSNA", cases.AcceptedTransfer,
		"Ricongiungimento con il fratello maggiore residente a Roma."},
	{"UDP-BS-E", cases.WomanViolence, 4, "COM-VIAREGGIO", cases.AcceptedTransfer,
		"Trasferimento protetto in Versilia: la donna è seguita dalla rete antiviolenza del territorio."},
	{"COM-CECINA", cases.FamilyInDistress, 2, "RM-MSNA", cases.DeclinedTransfer,
		"Il nucleo si trasferisce a Roma nei prossimi mesi."},
	{"COM-VIAREGGIO", cases.TraffickingVictim, 6, "UDP-BS-E", cases.DeclinedTransfer,
		"La ragazza ha chiesto di allontanarsi dalla Versilia."},
}

// declineReason is why the demo's declined transfers were declined.
const declineReason = "Il trasloco non è ancora avvenuto: la residenza resta nel comune di partenza. Ripresentate la richiesta a trasloco avvenuto."

// seedTransfers records the demo's transfers over the cases made, with
// their events and the notifications of those who must decide; an accepted
// transfer hands the case to the receiving organisation's social worker,
// with the previous case worker left on the team as a contributor.
func seedTransfers(ctx context.Context, tx *store.Tx, ids ids, o *options, made []*cases.Case) error {
	workerOf := map[string]string{}
	for _, l := range caseload {
		workerOf[l.owner] = l.worker
	}
	workerOf["SDS-PRATO"] = "assistente.sociale"
	orgName := map[string]string{}
	for _, org := range organisations {
		orgName[org.code] = org.name
	}
	for _, p := range transferPlans {
		var c *cases.Case
		n := 0
		for _, x := range made {
			if x.OwnerOrgID == ids.orgs[p.owner] && x.Kind == p.kind && !x.Closed() && x.Stage.Index() >= cases.StageTakenCharge.Index() {
				if n++; n == p.nth+1 {
					c = x
					break
				}
			}
		}
		if c == nil {
			continue
		}
		from, to := c.CaseWorkerID, ids.users[workerOf[p.to]]
		asked := demoDay.AddDate(0, 0, -3-p.nth%9).Truncate(time.Minute)
		if asked.Before(c.UpdatedAt) {
			asked = c.UpdatedAt.Add(time.Hour)
		}
		t := &cases.Transfer{CaseID: c.ID, FromOrgID: c.OwnerOrgID, ToOrgID: ids.orgs[p.to], RequestedBy: from,
			RequestedAt: asked, Reason: p.why, RequesterStays: true, State: p.state}
		if p.state != cases.AwaitingDecision {
			t.DecidedBy, t.DecidedAt = to, asked.Add(26*time.Hour)
		}
		if p.state == cases.DeclinedTransfer {
			t.DeclineReason = declineReason
		}
		if err := casework.RecordTransfer(ctx, tx, o.vault, t); err != nil {
			return err
		}
		event := func(at time.Time, actor int64, kind cases.EventKind, detail map[string]string) error {
			return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: at, ActorID: actor, Kind: kind, RefID: t.ID, Detail: detail})
		}
		if err := event(asked, from, cases.TransferRequested, map[string]string{"to": orgName[p.to]}); err != nil {
			return err
		}
		switch p.state {
		case cases.AwaitingDecision:
			if err := store.InsertNotification(ctx, tx, &store.Notification{UserID: to, Kind: "transfer_requested",
				CaseID: c.ID, CaseCode: c.Code, ActorID: from, CreatedAt: asked}); err != nil {
				return err
			}
		case cases.DeclinedTransfer:
			if err := event(t.DecidedAt, to, cases.TransferDeclined, map[string]string{"to": orgName[p.to]}); err != nil {
				return err
			}
		case cases.AcceptedTransfer:
			before := *c
			c.OwnerOrgID, c.CaseWorkerID = t.ToOrgID, to
			if _, err := store.UpdateCase(ctx, tx, &before, c, to, t.DecidedAt); err != nil {
				return err
			}
			if err := store.SetTeamRole(ctx, tx, c.ID, &cases.Member{UserID: to, Role: cases.Owner, AddedAt: t.DecidedAt, AddedBy: to}); err != nil {
				return err
			}
			if err := store.SetTeamRole(ctx, tx, c.ID, &cases.Member{UserID: from, Role: cases.Contributor}); err != nil {
				return err
			}
			if err := event(t.DecidedAt, to, cases.TransferAccepted, map[string]string{"from": orgName[p.owner], "to": orgName[p.to]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// savedLists are the working lists the demo users saved.
var savedLists = []struct{ username, name, query string }{
	{"assistente.sociale", "I miei casi ad alto rischio", "owner=me&risk=high&sort=updated"},
	{"assistente.sociale", "MSNA in presa in carico", "kind=unaccompanied_minor&stage=taken_charge"},
	{"as.roma", "MSNA da valutare", "kind=unaccompanied_minor&stage=assessment&sort=opened&order=asc"},
	{"as.roma", "Rischio molto alto", "risk=critical&sort=risk"},
	{"as.brescia", "Donne con figli in progetto", "kind=woman_violence&stage=project"},
	{"operatore", "Casi in monitoraggio", "stage=monitoring"},
	{"capofila", "Progetti in corso", "stage=project&sort=code"},
}

// seedSavedLists saves the demo users' working lists.
func seedSavedLists(ctx context.Context, tx *store.Tx, ids ids) error {
	for i, l := range savedLists {
		v, err := url.ParseQuery(l.query)
		if err != nil {
			return err
		}
		q, err := casework.ParseListQuery(v)
		if err != nil {
			return err
		}
		if err := store.InsertSavedList(ctx, tx, &cases.SavedList{UserID: ids.users[l.username], Name: l.name, Query: q.Encode(),
			CreatedAt: demoDay.AddDate(0, 0, -30+i)}); err != nil {
			return err
		}
	}
	return nil
}
