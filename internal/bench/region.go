package bench

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/projects"
)

// kinds are the kinds of case of the region with their shares, in
// hundredths.
var kinds = []struct {
	kind   cases.Kind
	weight int
}{
	{cases.UnaccompaniedMinor, 62},
	{cases.MinorFamilyViolence, 10},
	{cases.WomanViolence, 15},
	{cases.TraffickingVictim, 5},
	{cases.FamilyInDistress, 8},
}

// noteTexts are the bodies of the synthetic notes: steps of casework that
// name nobody.
var noteTexts = []string{
	"Colloquio di accoglienza con il supporto del mediatore: il ragazzo racconta il viaggio e chiede di andare a scuola.",
	"Contatto con la comunità: inserimento regolare, frequenta il corso di italiano L2 tre volte a settimana.",
	"Visita pediatrica svolta; vaccinazioni da completare, appuntamento fissato al consultorio.",
	"Incontro con il tutore volontario per la richiesta del permesso di soggiorno per minore età.",
	"Aggiornamento dalla scuola: buona partecipazione, difficoltà in matematica, proposto doposcuola.",
	"Colloquio con la donna presso il centro antiviolenza: valutato il rischio, concordato il piano di sicurezza.",
	"Telefonata con la questura per l'appuntamento del fotosegnalamento.",
	"Riunione d'équipe: si propone l'avvio del tirocinio formativo e l'iscrizione al centro per l'impiego.",
	"Il ragazzo riferisce difficoltà a dormire; concordato un colloquio con la psicologa del consultorio.",
	"Verifica del progetto: obiettivi della scuola raggiunti, da rivedere quelli dell'autonomia abitativa.",
	"Accompagnamento all'ufficio anagrafe per l'iscrizione anagrafica.",
	"Contatto con la famiglia nel paese d'origine tramite videochiamata, con il mediatore.",
}

// caseDraw is one case about to be written with its persons and notes.
type caseDraw struct {
	c       cases.Case
	persons []drawnPerson
	notes   int
	area    int
}

// drawCase draws the next case of the region, when done of it is written:
// its kind, area, stage and team, the persons it is about, and how many
// notes it holds.
func (g *generator) drawCase(r *rand.Rand, done float64) caseDraw {
	kind := pick(r, kinds, func(k struct {
		kind   cases.Kind
		weight int
	}) int {
		return k.weight
	}).kind
	ai := r.IntN(len(g.reg.areas))
	area := &g.reg.areas[ai]
	// Cases open over ten years, more of them lately, and are written in
	// the order they opened, as the audit log records them: done is the
	// share of the region written so far.
	age := time.Duration(float64(10*365*24*time.Hour) * (1 - done) * (1 - done))
	opened := g.now.Add(-age - time.Duration(r.Int64N(int64(time.Hour)))).Truncate(time.Second)
	d := caseDraw{area: ai}
	c := &d.c
	c.Kind, c.AreaID, c.OwnerOrgID, c.OpenedAt = kind, area.areaID, area.social, opened
	c.ProgrammeID = g.reg.programmeOf(kind, ai)
	c.Risk = cases.Risks[min(r.IntN(5), 3)]
	c.Stage = stageFor(r, age)
	worker := area.socialWorkers[r.IntN(len(area.socialWorkers))]
	if c.Stage != cases.StageReport && c.Stage != cases.StageScreening {
		c.CaseWorkerID = worker
	}
	if c.Stage == cases.StageClosure || c.Stage == cases.StageFollowUp {
		c.ClosedAt = opened.Add(time.Duration(r.Int64N(int64(max(age/2, time.Hour)))))
		c.ClosureReason = "objectives_met"
	}
	c.Team = []cases.Member{{UserID: worker, Role: cases.Owner, AddedAt: opened, AddedBy: worker}}
	var partner int64
	switch kind {
	case cases.WomanViolence:
		k := r.IntN(len(g.reg.avcStaff))
		partner = g.reg.avcStaff[k][r.IntN(len(g.reg.avcStaff[k]))]
	case cases.TraffickingVictim:
		k := r.IntN(len(g.reg.atStaff))
		partner = g.reg.atStaff[k][r.IntN(len(g.reg.atStaff[k]))]
	default:
		partner = area.partners[r.IntN(len(area.partners))]
	}
	c.Team = append(c.Team, cases.Member{UserID: partner, Role: cases.Contributor, AddedAt: opened, AddedBy: worker})
	if r.IntN(10) < 3 {
		c.Team = append(c.Team, cases.Member{UserID: area.healthStaff[r.IntN(len(area.healthStaff))],
			Role: cases.Consultant, AddedAt: opened, AddedBy: worker})
	}

	switch kind {
	case cases.UnaccompaniedMinor:
		n := pick(r, nationalities, func(n nationality) int { return n.weight })
		d.persons = append(d.persons, g.personOrDuplicate(r, &n, r.Float64() < n.girls, minorAge(r), opened))
		d.persons[0].person.Unaccompanied = true
		d.persons[0].person.ArrivedOn = opened.AddDate(0, 0, -r.IntN(20))
	case cases.TraffickingVictim:
		// Most victims of trafficking met here are Nigerian women, then
		// Ivorian and Albanian.
		n := nationalityOf([]string{"NG", "NG", "NG", "CI", "AL"}[r.IntN(5)])
		d.persons = append(d.persons, g.personOrDuplicate(r, &n, true, 18+r.IntN(12), opened))
	case cases.WomanViolence:
		n := pick(r, residents, func(n nationality) int { return n.weight })
		d.persons = append(d.persons, g.personOrDuplicate(r, &n, true, 22+r.IntN(30), opened))
	default:
		n := pick(r, residents, func(n nationality) int { return n.weight })
		d.persons = append(d.persons, g.personOrDuplicate(r, &n, r.IntN(2) == 0, 3+r.IntN(14), opened))
		if kind == cases.FamilyInDistress && r.IntN(2) == 0 {
			sibling := drawPerson(r, &n, r.IntN(2) == 0, r.IntN(12), opened)
			sibling.surname = d.persons[0].surname
			sibling.person = personOf(r, sibling, r.IntN(12), opened, 0)
			d.persons = append(d.persons, sibling)
		}
	}
	// About ten notes a case, fewer on cases just opened.
	d.notes = 4 + r.IntN(13)
	if age < 30*24*time.Hour {
		d.notes = 1 + r.IntN(4)
	}
	return d
}

// personOrDuplicate draws a new person, or now and then the same person as
// one drawn before, registered again by another office under another
// spelling: the duplicates the intake check is there to find.
func (g *generator) personOrDuplicate(r *rand.Rand, n *nationality, girl bool, age int, seen time.Time) drawnPerson {
	if len(g.recent) == cap(g.recent) && r.IntN(100) < 3 {
		earlier := g.recent[r.IntN(len(g.recent))]
		again := earlier
		again.person = personOf(r, earlier, age, seen, 0.7)
		again.person.Birth = earlier.person.Birth
		return again
	}
	d := drawPerson(r, n, girl, age, seen)
	if len(g.recent) < cap(g.recent) {
		g.recent = append(g.recent, d)
	} else {
		g.recent[r.IntN(len(g.recent))] = d
	}
	return d
}

// stageFor returns the stage of a case opened age ago: old cases are
// mostly closed, new ones anywhere along the way.
func stageFor(r *rand.Rand, age time.Duration) cases.Stage {
	years := age.Hours() / (365 * 24)
	if years > 2 && r.IntN(10) < 9 {
		if r.IntN(8) == 0 {
			return cases.StageFollowUp
		}
		return cases.StageClosure
	}
	if age < 7*24*time.Hour {
		return cases.Stages[r.IntN(3)]
	}
	return cases.Stages[2+r.IntN(len(cases.Stages)-2)]
}

// batch is what the cases of one transaction are written with.
type batch struct {
	tx    *store.Tx
	cases *store.CaseLoader
	notes *store.NoteLoader
	// audit gathers the entries of the batch's history, appended to the
	// log at its end.
	audit []*audit.Entry
}

// sealedCase is a case drawn and sealed, ready to be written: one goroutine
// prepares cases while another writes them.
type sealedCase struct {
	c       cases.Case
	persons []sealedPerson
	notes   []cases.Note // sealed
	// reads are the times and readers of the case's first reads.
	reads []caseRead
	// task is the step due on an open case, or nil.
	task *cases.Task
	// project is the approved individual project of a minor, or nil, and
	// start the day it starts.
	project *projects.Project
	start   time.Time
}

// sealedPerson is a person of a sealedCase with its sealed groups and
// blind indexes.
type sealedPerson struct {
	p       cases.Person
	seals   store.PersonSeals
	keys    [][]byte
	version int
}

// caseRead is one read of a case in its audit history.
type caseRead struct {
	at     time.Time
	reader int64
}

// sealCase draws what d still leaves open and seals it: the notes' times and
// authors, the ids, the persons sealed and indexed for search and the
// duplicate check, the notes sealed, the first reads, a task and a project.
// It holds no transaction: it runs while earlier cases are written.
func (g *generator) sealCase(v *vault.Vault, r *rand.Rand, d *caseDraw) (*sealedCase, error) {
	sc := &sealedCase{c: d.c}
	c := &sc.c
	// The notes' times, drawn first: the case was last changed by the last
	// of them.
	end := g.now
	if !c.ClosedAt.IsZero() {
		end = c.ClosedAt
	}
	span := max(int64(end.Sub(c.OpenedAt)), int64(time.Hour))
	times := make([]time.Time, d.notes)
	c.UpdatedAt = c.OpenedAt
	for i := range times {
		times[i] = c.OpenedAt.Add(time.Duration(r.Int64N(span))).Truncate(time.Second)
		if times[i].After(c.UpdatedAt) {
			c.UpdatedAt = times[i]
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	g.lastCase++
	c.ID = g.lastCase
	c.Code = cases.CodeFor(g.reg.areas[d.area].code, c.OpenedAt, c.ID)
	for i := range d.persons {
		p := d.persons[i].person
		g.lastPerson++
		p.ID = g.lastPerson
		seals, keys, version, err := casework.PersonRecord(v, &p)
		if err != nil {
			return nil, err
		}
		sc.persons = append(sc.persons, sealedPerson{p: p, seals: seals, keys: keys, version: version})
	}
	for _, at := range times {
		author := c.Team[r.IntN(len(c.Team))].UserID
		g.lastNote++
		n := cases.Note{ID: g.lastNote, CaseID: c.ID, Kind: cases.PlainNote, OccurredAt: at, AuthorID: author,
			AuthorOrgID: g.orgOf[author], Language: "it", Confidentiality: cases.TeamNote,
			Body: noteTexts[r.IntN(len(noteTexts))], CreatedAt: at}
		if r.IntN(4) == 0 {
			n.Kind = cases.Interview
		}
		sealed, err := casework.SealNote(v, &n)
		if err != nil {
			return nil, err
		}
		sc.notes = append(sc.notes, sealed)
	}
	// A few reads of the case by its team in the days after it opened, as
	// the audit history holds.
	for i := range 1 + r.IntN(3) {
		sc.reads = append(sc.reads, caseRead{at: c.OpenedAt.Add(time.Duration(i+1) * time.Minute),
			reader: c.Team[r.IntN(len(c.Team))].UserID})
	}
	closed := !c.ClosedAt.IsZero()
	// An open case has a step due: a third of them overdue.
	if !closed && c.CaseWorkerID != 0 && r.IntN(2) == 0 {
		due := g.now.AddDate(0, 0, r.IntN(45)-15)
		sc.task = &cases.Task{CaseID: c.ID, Title: taskTitles[r.IntN(len(taskTitles))], DueAt: due,
			ResponsibleID: c.CaseWorkerID, CreatedBy: c.CaseWorkerID, CreatedAt: c.UpdatedAt}
	}
	// One minor in ten past the assessment has an approved individual
	// project.
	if c.Kind == cases.UnaccompaniedMinor && c.Stage.Index() >= cases.StageProject.Index() && c.CaseWorkerID != 0 &&
		r.IntN(10) == 0 {
		sc.start = c.OpenedAt.AddDate(0, 1, 0).Truncate(24 * time.Hour)
		community := g.orgOf[c.Team[1].UserID]
		sc.project = &projects.Project{CaseID: c.ID, Status: projects.Approved, Number: 1,
			Content: minorProject(sc.start, community, c.OwnerOrgID), DraftedBy: c.Team[1].UserID,
			CoSignedBy: c.CaseWorkerID, SubmittedBy: c.CaseWorkerID, DecidedBy: g.reg.coordinators[c.ProgrammeID],
			UpdatedAt: sc.start}
	}
	return sc, nil
}

// writeCase writes sc: the case with its team and timeline, its persons,
// its notes, the audit entries of their creation and of the first reads,
// its task and its project.
func (g *generator) writeCase(ctx context.Context, b *batch, v *vault.Vault, sc *sealedCase) error {
	c := &sc.c
	if err := b.cases.AddCase(ctx, c); err != nil {
		return err
	}
	record := func(at time.Time, actor int64, action audit.Action, what string) {
		b.audit = append(b.audit, &audit.Entry{At: at, ActorID: actor, ActorOrgID: g.orgOf[actor], Action: action,
			RecordType: "case", RecordID: strconv.FormatInt(c.ID, 10), CaseID: c.ID, Fields: []string{what},
			Client: "bench"})
	}
	by := c.Team[0].UserID
	record(c.OpenedAt, by, audit.Create, "case")
	for i := range sc.persons {
		role := cases.MainPerson
		if i > 0 {
			role = cases.ChildOf
		}
		sp := &sc.persons[i]
		if err := b.cases.AddPerson(ctx, c.ID, role, &sp.p, sp.seals, sp.keys, sp.version, c.OpenedAt); err != nil {
			return err
		}
		record(c.OpenedAt, by, audit.Create, "persons")
	}
	for i := range sc.notes {
		if err := b.notes.Add(ctx, &sc.notes[i]); err != nil {
			return err
		}
	}
	for _, rd := range sc.reads {
		record(rd.at, rd.reader, audit.Read, "summary")
	}
	if sc.task != nil {
		if err := casework.RecordTask(ctx, b.tx, v, sc.task); err != nil {
			return err
		}
	}
	if sc.project != nil {
		if err := casework.RecordProject(ctx, b.tx, v, sc.project, sc.start); err != nil {
			return err
		}
	}
	return nil
}

// taskTitles are the titles of the synthetic tasks.
var taskTitles = []string{
	"Richiedere il permesso di soggiorno per minore età",
	"Fissare il colloquio con il tutore volontario",
	"Aggiornare la relazione per il tribunale per i minorenni",
	"Verificare l'iscrizione scolastica",
	"Programmare la visita al consultorio",
}

// minorProject is the individual project of an unaccompanied minor starting
// on start: Italian, school, and the documents for the 18th birthday.
func minorProject(start time.Time, community, social int64) projects.Content {
	return projects.Content{StartOn: start, ReviewEveryMonths: 3, PersonAgrees: true,
		PersonWords: "Voglio imparare l'italiano e finire la scuola.",
		Goals: []projects.Goal{
			{Domain: projects.Language, Objective: "Raggiungere il livello A2 di italiano", Indicator: "Certificazione A2",
				Actions: []projects.Action{{Description: "Corso di italiano al CPIA", ResponsibleOrgID: community,
					Intervention: "italian_course", Months: 6, DueOn: start.AddDate(0, 6, 0)}}},
			{Domain: projects.Legal, Objective: "Documenti in regola al compimento dei 18 anni", Indicator: "Richiesta presentata",
				Actions: []projects.Action{{Description: "Richiesta di parere e di conversione del permesso", ResponsibleOrgID: social,
					Intervention: "legal_aid", DueOn: start.AddDate(0, 8, 0)}}},
		}}
}

// nationalityOf returns the nationality of code among nationalities.
func nationalityOf(code string) nationality {
	for _, n := range nationalities {
		if n.code == code {
			return n
		}
	}
	panic("bench: no nationality " + code)
}
