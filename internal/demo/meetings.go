package demo

import (
	"context"
	"time"

	"approdo"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/meetings"
	"approdo/network"
)

// The ethno-clinical team's psychologist, who answers the consultations of
// the Brescia network; added here, like the mediators, so that the list of
// default users stays one per role. Every name is invented.
const ethnoClinician = "etnoclinica"

// seedMeetings adds the ethno-clinical team's psychologist, and with a
// vault: a multidisciplinary meeting on two Prato cases with its minutes
// and a decision that became a task, a steering group of the INCONTRO
// network, and an ethno-clinical consultation on a Brescia case with a
// session and the advice. Every text is synthetic.
func seedMeetings(ctx context.Context, tx *store.Tx, ids ids, hash string, opts []Option, now time.Time) error {
	u := network.User{Username: ethnoClinician, DisplayName: "Sara Colombo", OrganisationID: ids.orgs["ETNOCLINICA"],
		Profession: "Psicologa, équipe etnoclinica", Languages: []string{"it", "fr"}, Locale: "it",
		Roles: []network.Role{network.HealthProfessional}, Active: true}
	if err := store.InsertUser(ctx, tx, &u, hash); err != nil {
		return err
	}
	ids.users[ethnoClinician] = u.ID
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	first := func(query string, args ...any) (int64, error) {
		var id int64
		err := tx.QueryRow(ctx, query, args...).Scan(&id)
		return id, err
	}
	sw, op, health := ids.users["assistente.sociale"], ids.users["operatore"], ids.users["sanitario"]
	shared, err := first(`SELECT COALESCE(MIN(c.id), 0) FROM cases c WHERE c.case_worker_id = ? AND c.closed_at IS NULL
		AND EXISTS (SELECT 1 FROM case_team m WHERE m.case_id = c.id AND m.user_id = ?)`, sw, op)
	if err != nil {
		return err
	}
	private, err := first(`SELECT COALESCE(MAX(c.id), 0) FROM cases c WHERE c.case_worker_id = ? AND c.closed_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM case_team m WHERE m.case_id = c.id AND m.user_id = ?)`, sw, health)
	if err != nil {
		return err
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, approdo.Rome)
	held := day.AddDate(0, 0, -7).Add(10 * time.Hour)
	if shared != 0 {
		m := &meetings.Meeting{Kind: meetings.Multidisciplinary, Title: "Équipe multidisciplinare del distretto pratese",
			StartsAt: held, Place: "Società della Salute, sala riunioni del secondo piano", OrganiserID: sw,
			OrganiserOrgID: ids.orgs["SDS-PRATO"], Participants: []int64{op, health}, CreatedAt: held.AddDate(0, 0, -5),
			Minutes:   "Presenti tutti i partecipanti. Aggiornamento sui casi in agenda; prossima équipe tra un mese.",
			MinutesBy: sw, MinutesAt: held.Add(2 * time.Hour)}
		m.Agenda = []meetings.AgendaItem{{CaseID: shared, MinutesBy: sw, MinutesAt: held.Add(2 * time.Hour),
			Minutes: "La comunità riferisce un buon inserimento scolastico. Serve aggiornare il progetto con il corso di italiano L2."}}
		if private != 0 {
			m.Agenda = append(m.Agenda, meetings.AgendaItem{CaseID: private})
		}
		if err := casework.RecordMeeting(ctx, tx, o.vault, m); err != nil {
			return err
		}
		d := &meetings.Decision{MeetingID: m.ID, CaseID: shared, Text: "Iscrivere il ragazzo al corso di italiano L2 del CPIA",
			ResponsibleID: sw, DueAt: day.AddDate(0, 0, 21).Add(12 * time.Hour), CreatedBy: sw, CreatedAt: held.Add(2 * time.Hour)}
		if err := casework.RecordDecision(ctx, tx, o.vault, d); err != nil {
			return err
		}
	}
	steering := &meetings.Meeting{Kind: meetings.Steering, Title: "Cabina di regia del progetto INCONTRO",
		StartsAt: day.AddDate(0, 0, 10).Add(15 * time.Hour), Link: "https://videocall.example.org/incontro-cabina-di-regia",
		OrganiserID: ids.users["capofila"], OrganiserOrgID: ids.orgs["RT"],
		Participants: []int64{sw, health, ids.users["as.cecina"]}, CreatedAt: day.AddDate(0, 0, -2)}
	if err := casework.RecordMeeting(ctx, tx, o.vault, steering); err != nil {
		return err
	}
	brescia, err := first(`SELECT COALESCE(MIN(id), 0) FROM cases WHERE owner_org_id = ? AND closed_at IS NULL`, ids.orgs["UDP-BS-E"])
	if err != nil || brescia == 0 {
		return err
	}
	asked := day.AddDate(0, 0, -30).Add(9 * time.Hour)
	c := &meetings.Consultation{CaseID: brescia, ToOrgID: ids.orgs["ETNOCLINICA"], RequestedBy: ids.users["as.brescia"],
		RequestedAt: asked,
		Question: "La madre descrive i malesseri della figlia come effetto di un malocchio e rifiuta l'invio alla neuropsichiatria: " +
			"come costruire con la famiglia un percorso di cura condiviso?",
		Sessions: []meetings.Session{{HeldAt: asked.AddDate(0, 0, 9).Add(5 * time.Hour), RecordedBy: u.ID,
			RecordedAt: asked.AddDate(0, 0, 9).Add(8 * time.Hour),
			Attendees:  "La madre, la figlia, la mediatrice linguistico-culturale, l'assistente sociale, la psicologa dell'équipe"}},
		Advice: "Riconoscere la lettura della famiglia e affiancare alla cura un percorso condiviso con la mediatrice; " +
			"proporre la neuropsichiatria come ulteriore risorsa, non in alternativa. Nuovo incontro tra due mesi.",
		AdviceBy: u.ID, AdviceAt: asked.AddDate(0, 0, 12).Add(11 * time.Hour)}
	return casework.RecordConsultation(ctx, tx, o.vault, c, []int64{u.ID})
}
