package demo

import (
	"context"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// demoDuties are the tasks of a demo case by kind: the first duty after
// taking charge, due within days of it, and an ongoing one.
var demoDuties = map[cases.Kind]struct {
	first     string
	firstDays int
	ongoing   string
}{
	cases.UnaccompaniedMinor: {"Primo colloquio con il minore dopo l'ingresso in prima accoglienza", 3,
		"Chiedere al Tribunale per i minorenni la nomina del tutore volontario"},
	cases.MinorFamilyViolence: {"Inviare la segnalazione alla Procura presso il Tribunale per i minorenni", 2,
		"Convocare l'équipe multidisciplinare per la valutazione della famiglia"},
	cases.WomanViolence: {"Colloquio di valutazione del rischio con il centro antiviolenza", 2,
		"Verificare con la casa rifugio il posto per la donna e i figli"},
	cases.TraffickingVictim: {"Colloquio di identificazione con l'operatrice antitratta", 5,
		"Chiedere il permesso di soggiorno per protezione sociale (art. 18)"},
	cases.FamilyInDistress: {"Visita domiciliare con l'educatrice", 10,
		"Aggiornare con la famiglia gli impegni del progetto"},
}

// seedTasks gives the demo cases taken in charge their tasks: the first
// duty, done in time on most cases and still open, overdue, on every fifth;
// on open cases an ongoing duty due in the weeks after now, on some of them
// given to a team member. It writes nothing without a vault to seal the
// titles with.
func seedTasks(ctx context.Context, tx *store.Tx, opts []Option, now time.Time) error {
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
	today := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, approdo.Rome)
	for i, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		duty, ok := demoDuties[c.Kind]
		if !ok || c.Stage.Index() < cases.StageTakenCharge.Index() || c.CaseWorkerID == 0 {
			continue
		}
		first := &cases.Task{CaseID: id, Title: duty.first, DueAt: c.OpenedAt.AddDate(0, 0, duty.firstDays),
			ResponsibleID: c.CaseWorkerID, CreatedBy: c.CaseWorkerID, CreatedAt: c.OpenedAt.Add(time.Hour)}
		if err := casework.RecordTask(ctx, tx, o.vault, first); err != nil {
			return err
		}
		if c.Closed() || i%5 != 0 {
			if err := store.FinishTask(ctx, tx, first, cases.TaskDone, "", c.CaseWorkerID,
				first.DueAt.Add(-time.Duration(1+i%20)*time.Hour)); err != nil {
				return err
			}
		}
		if c.Closed() {
			continue
		}
		responsible := c.CaseWorkerID
		if len(c.Team) > 1 && i%2 == 1 {
			responsible = c.Team[1].UserID
		}
		ongoing := &cases.Task{CaseID: id, Title: duty.ongoing, DueAt: today.AddDate(0, 0, 7+i%50).UTC(),
			ResponsibleID: responsible, CreatedBy: c.CaseWorkerID, CreatedAt: c.OpenedAt.Add(48 * time.Hour)}
		if err := casework.RecordTask(ctx, tx, o.vault, ongoing); err != nil {
			return err
		}
	}
	return nil
}
