package demo

import (
	"context"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/projects"
)

// demoMinorProject is the project of an unaccompanied minor in the INCONTRO
// programme: Italian, school, a home after the community, documents at 18.
func demoMinorProject(start time.Time, community, social int64) projects.Content {
	return projects.Content{StartOn: start, ReviewEveryMonths: 3, PersonAgrees: true,
		PersonWords: "Voglio finire la scuola e lavorare come cuoco. Vorrei restare a Prato con i miei amici.",
		Goals: []projects.Goal{
			{Domain: projects.Language, Objective: "Raggiungere il livello A2 di italiano", Indicator: "Certificazione A2 del CPIA",
				Actions: []projects.Action{{Description: "Corso di italiano al CPIA, quattro mattine a settimana", ResponsibleOrgID: community,
					Intervention: "italian_course", Months: 6, DueOn: start.AddDate(0, 6, 0)}}},
			{Domain: projects.Education, Objective: "Iscrizione al corso professionale di ristorazione", Indicator: "Frequenza regolare",
				Actions: []projects.Action{{Description: "Corso HACCP e iscrizione all'istituto alberghiero", ResponsibleOrgID: community,
					Intervention: "haccp_course", PlannedCents: 25000, DueOn: start.AddDate(0, 4, 0), BudgetLine: "C.1"}}},
			{Domain: projects.Legal, Objective: "Conversione del permesso di soggiorno al compimento dei 18 anni", Indicator: "Richiesta presentata in tempo",
				Actions: []projects.Action{{Description: "Parere del Comitato e richiesta di conversione", ResponsibleOrgID: social,
					Intervention: "legal_aid", DueOn: start.AddDate(0, 8, 0)}}},
			{Domain: projects.Housing, Objective: "Una casa in semi-autonomia dopo la comunità", Indicator: "Contratto firmato",
				Actions: []projects.Action{{Description: "Contributo all'affitto per il primo anno", ResponsibleOrgID: social,
					Intervention: "rent_support", Months: 12, PlannedCents: 360000, DueOn: start.AddDate(1, 0, 0), BudgetLine: "B.1"}}},
		}}
}

// demoMinorReviews are the first two reviews of the minor's project.
var demoMinorReviews = []struct {
	goals   []projects.GoalProgress
	summary string
}{
	{[]projects.GoalProgress{
		{Domain: projects.Language, Progress: projects.InProgress, Note: "Frequenta con regolarità, livello A1 raggiunto."},
		{Domain: projects.Education, Progress: projects.InProgress, Note: "Corso HACCP superato."},
		{Domain: projects.Legal, Progress: projects.NotStarted},
		{Domain: projects.Housing, Progress: projects.NotStarted},
	}, "Buon inserimento in comunità; da avviare la richiesta di parere al Comitato."},
	{[]projects.GoalProgress{
		{Domain: projects.Language, Progress: projects.Achieved, Note: "Certificazione A2 ottenuta."},
		{Domain: projects.Education, Progress: projects.InProgress, Note: "Iscritto all'istituto alberghiero."},
		{Domain: projects.Legal, Progress: projects.InProgress, Note: "Richiesta di parere inviata."},
		{Domain: projects.Housing, Progress: projects.NotStarted},
	}, "Obiettivo linguistico raggiunto; si lavora ai documenti per i 18 anni."},
}

// demoTraffickingProject is the project of a woman leaving the protection
// programme in Versilia: a protected home, legal aid, work.
func demoTraffickingProject(start time.Time, antitrafficking, social int64) projects.Content {
	return projects.Content{StartOn: start, ReviewEveryMonths: 2, PersonAgrees: true,
		PersonWords: "Voglio un lavoro vero e una casa mia, lontano da chi mi ha portata qui.",
		Goals: []projects.Goal{
			{Domain: projects.Housing, Objective: "Vivere in un appartamento protetto, poi in autonomia", Indicator: "Ingresso in appartamento",
				Actions: []projects.Action{{Description: "Appartamento protetto del progetto SATIS", ResponsibleOrgID: antitrafficking,
					Intervention: "protected_apartment", Months: 12}}},
			{Domain: projects.Legal, Objective: "Permesso di soggiorno per protezione sociale (art. 18)", Indicator: "Permesso rilasciato",
				Actions: []projects.Action{{Description: "Accompagnamento legale e in Questura", ResponsibleOrgID: antitrafficking,
					Intervention: "legal_aid", DueOn: start.AddDate(0, 3, 0)}}},
			{Domain: projects.Work, Objective: "Un tirocinio nella ristorazione", Indicator: "Tirocinio avviato",
				Actions: []projects.Action{{Description: "Orientamento al lavoro e tirocinio", ResponsibleOrgID: social,
					Intervention: "job_placement", Months: 6, PlannedCents: 270000, DueOn: start.AddDate(0, 9, 0), BudgetLine: "B.1"}}},
		}}
}

// seedProjects gives a few demo cases their individual project: an
// unaccompanied minor's in Prato approved by the INCONTRO lead entity,
// another waiting for its approval, and a trafficking victim's in
// Versilia drafted by the anti-trafficking operator. It writes nothing
// without a vault to seal them with.
func seedProjects(ctx context.Context, tx *store.Tx, ids ids, opts []Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	caseIDs, err := caseIDsInOrder(ctx, tx)
	if err != nil {
		return err
	}
	var minors, trafficking []*cases.Case
	for _, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Closed() || c.Stage.Index() < cases.StageTakenCharge.Index() {
			continue
		}
		switch {
		case c.Kind == cases.UnaccompaniedMinor && c.OwnerOrgID == ids.orgs["SDS-PRATO"] && c.ProgrammeID == ids.programmes["INCONTRO"]:
			minors = append(minors, c)
		case c.Kind == cases.TraffickingVictim && c.OwnerOrgID == ids.orgs["COM-VIAREGGIO"]:
			trafficking = append(trafficking, c)
		}
	}
	users := ids.users
	add := func(c *cases.Case, p *projects.Project) error {
		p.CaseID = c.ID
		p.UpdatedAt = c.OpenedAt.AddDate(0, 1, 0)
		return casework.RecordProject(ctx, tx, o.vault, p, p.UpdatedAt)
	}
	if len(minors) > 0 {
		c := minors[0]
		start := c.OpenedAt.AddDate(0, 1, 0).Truncate(24 * time.Hour)
		p := &projects.Project{Status: projects.Approved, Number: 1,
			Content:   demoMinorProject(start, ids.orgs["COM-EDU-FARO"], ids.orgs["SDS-PRATO"]),
			DraftedBy: users["operatore"], CoSignedBy: users["assistente.sociale"], SubmittedBy: users["assistente.sociale"],
			DecidedBy: users["capofila"]}
		if err := add(c, p); err != nil {
			return err
		}
		// Two reviews, spread between the start and the demonstration's
		// day.
		span := demoDay.Sub(start) / time.Duration(len(demoMinorReviews)+1)
		for n, r := range demoMinorReviews {
			if span < 24*time.Hour {
				break // a project too young to have been reviewed
			}
			on := start.Add(span * time.Duration(n+1)).Truncate(24 * time.Hour)
			review := projects.Review{ReviewedOn: on, Goals: r.goals, Summary: r.summary, NextOn: on.AddDate(0, 3, 0), By: users["assistente.sociale"]}
			if err := casework.RecordReview(ctx, tx, o.vault, c.ID, p.ID, &review, on.Add(15*time.Hour)); err != nil {
				return err
			}
		}
	}
	if len(minors) > 1 {
		c := minors[1]
		start := c.OpenedAt.AddDate(0, 1, 0).Truncate(24 * time.Hour)
		if err := add(c, &projects.Project{Status: projects.Submitted,
			Content:   demoMinorProject(start, ids.orgs["COM-EDU-FARO"], ids.orgs["SDS-PRATO"]),
			DraftedBy: users["operatore"], CoSignedBy: users["assistente.sociale"], SubmittedBy: users["assistente.sociale"]}); err != nil {
			return err
		}
	}
	if len(trafficking) > 0 {
		c := trafficking[0]
		start := c.OpenedAt.AddDate(0, 2, 0).Truncate(24 * time.Hour)
		if err := add(c, &projects.Project{Status: projects.Draft,
			Content:   demoTraffickingProject(start, ids.orgs["SATIS-VER"], ids.orgs["COM-VIAREGGIO"]),
			DraftedBy: users["antitratta"]}); err != nil {
			return err
		}
	}
	return nil
}
