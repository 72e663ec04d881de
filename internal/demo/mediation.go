package demo

import (
	"context"
	"time"

	"approdo"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/mediation"
	"approdo/network"
)

// demoMediator is a mediator of the registry: the existing user
// "mediatore", or a user added here, with their profile.
type demoMediator struct {
	username, name, org string // name and org only for the users added here
	languages           []string
	dialects            string
	areas               []string
	gender              mediation.Gender
	slots               []mediation.Slot
	notes               string
}

// slotsOn returns a slot from..to (hours) on each of days.
func slotsOn(from, to int, days ...int) []mediation.Slot {
	var out []mediation.Slot
	for _, d := range days {
		out = append(out, mediation.Slot{Weekday: d, From: from * 60, To: to * 60})
	}
	return out
}

// demoMediators cover the languages the networks ask for most: Arabic,
// Tigrinya, Bengali, Urdu, Albanian, French, English, Pashto and
// Ukrainian, with a woman who speaks Arabic for those who ask for one.
// Every name is invented.
var demoMediators = []demoMediator{
	{username: "mediatore", languages: []string{"ar", "fr", "it"}, dialects: "arabo marocchino, arabo egiziano",
		areas: []string{"FI-PO", "VET"}, gender: mediation.Male,
		slots: append(slotsOn(9, 13, 1, 2, 3, 4, 5), slotsOn(14, 18, 2, 4)...)},
	{username: "mediatrice.araba", name: "Amina Benali", org: "OXFAM-INT", languages: []string{"ar", "fr", "kab"},
		dialects: "arabo marocchino, arabo algerino, cabilo", areas: []string{"FI-PO", "VER", "BS-E"}, gender: mediation.Female,
		slots: slotsOn(9, 17, 1, 3, 5), notes: "Il martedì solo in videochiamata."},
	{username: "mediatrice.tigrino", name: "Hiwet Tesfay", org: "OXFAM-INT", languages: []string{"ti", "am", "en"},
		dialects: "tigrino dell'Eritrea, amarico", areas: []string{"FI-PO", "VER"}, gender: mediation.Female,
		slots: append(slotsOn(9, 13, 1, 2, 3, 4, 5), slotsOn(14, 17, 1, 3)...)},
	{username: "mediatore.bangla", name: "Rahim Chowdhury", org: "ARCHE", languages: []string{"bn", "syl", "ur", "en"},
		dialects: "sylheti", areas: []string{"RM"}, gender: mediation.Male, slots: slotsOn(10, 18, 1, 2, 3, 4, 5, 6)},
	{username: "mediatore.pashto", name: "Wahid Karimi", org: "ARCHE", languages: []string{"ps", "prs", "ur", "en"},
		dialects: "pashto di Kandahar, dari", areas: []string{"RM", "FI-PO"}, gender: mediation.Male,
		notes: "Disponibile su chiamata, anche la sera: avvisare con due giorni di anticipo."},
	{username: "mediatrice.albanese", name: "Elira Hoxha", org: "COOP-BS", languages: []string{"sq", "it"},
		dialects: "ghego, tosco", areas: []string{"BS-E", "BS-O"}, gender: mediation.Female, slots: slotsOn(8, 14, 1, 2, 3, 4, 5)},
	{username: "mediatrice.ucraina", name: "Olena Kovalenko", org: "COOP-BS", languages: []string{"uk", "ru", "en"},
		areas: []string{"BS-E", "BS-O", "FI-PO"}, gender: mediation.Female, slots: slotsOn(14, 19, 1, 2, 3, 4)},
}

// demoBooking is a booking of a demo case, placed relative to today.
type demoBooking struct {
	owner     string // the organisation holding the case
	nth       int    // which of its open cases, from 0
	requester string
	language  string
	purpose   mediation.Purpose
	days      int // from today; negative in the past
	hour, min int
	duration  int
	remote    bool
	place     string
	notes     string
	gender    mediation.Gender
	state     mediation.State
	mediator  string
	worked    int
	cancelled string // the reason, for a cancelled booking
}

// demoBookings put bookings in every state on the demo cases. The first is
// the Prato social worker's, so that she reads booking 1.
var demoBookings = []demoBooking{
	{owner: "SDS-PRATO", nth: 0, requester: "assistente.sociale", language: "ar", purpose: mediation.Interview, days: 3, hour: 10,
		duration: 90, place: "Servizio sociale, piazza del Comune 2, Prato – stanza colloqui 3",
		notes: "Chiedere in portineria della stanza colloqui.", state: mediation.Confirmed, mediator: "mediatore"},
	{owner: "SDS-PRATO", nth: 0, requester: "operatore", language: "ar", purpose: mediation.Health, days: 8, hour: 15,
		duration: 60, place: "Consultorio familiare di via Giotto, Prato", gender: mediation.Female,
		state: mediation.Assigned, mediator: "mediatrice.araba"},
	{owner: "SDS-PRATO", nth: 1, requester: "assistente.sociale", language: "ti", purpose: mediation.School, days: 5, hour: 9, min: 30,
		duration: 120, place: "Istituto Comprensivo Prato Est, sala docenti", state: mediation.Requested},
	{owner: "SDS-PRATO", nth: 1, requester: "assistente.sociale", language: "ti", purpose: mediation.Interview, days: -10, hour: 11,
		duration: 90, place: "Comunità educativa Il Faro", state: mediation.Done, mediator: "mediatrice.tigrino", worked: 105},
	{owner: "RM-MSNA", nth: 0, requester: "as.roma", language: "bn", purpose: mediation.Interview, days: 4, hour: 11,
		duration: 60, remote: true, notes: "Videochiamata: il collegamento arriva per e-mail il giorno prima.", state: mediation.Requested},
	{owner: "RM-MSNA", nth: 1, requester: "as.roma", language: "ps", purpose: mediation.Court, days: 12, hour: 9,
		duration: 180, place: "Tribunale per i minorenni di Roma, via dei Bresciani 32", state: mediation.Confirmed, mediator: "mediatore.pashto"},
	{owner: "UDP-BS-E", nth: 0, requester: "as.brescia", language: "uk", purpose: mediation.Health, days: 6, hour: 16,
		duration: 60, place: "ASST – Consultorio familiare, Brescia", gender: mediation.Female,
		state: mediation.Confirmed, mediator: "mediatrice.ucraina"},
	{owner: "UDP-BS-E", nth: 1, requester: "as.brescia", language: "sq", purpose: mediation.Interview, days: 2, hour: 10,
		duration: 60, place: "Ufficio di Piano, Brescia", state: mediation.Cancelled,
		cancelled: "La signora ha chiesto di rinviare il colloquio al mese prossimo."},
	{owner: "COM-VIAREGGIO", nth: 0, requester: "antitratta", language: "en", purpose: mediation.Other, days: 7, hour: 14,
		duration: 90, place: "Sportello antitratta, Viareggio", gender: mediation.Female, state: mediation.Requested},
}

// seedMediation adds the mediators of the registry, their profiles, and,
// with a vault to seal places and notes, bookings in every state on the
// demo cases.
func seedMediation(ctx context.Context, tx *store.Tx, ids ids, hash string, opts []Option, now time.Time) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	profiles := map[string]int64{}
	for _, d := range demoMediators {
		userID, ok := ids.users[d.username]
		if !ok {
			u := network.User{Username: d.username, DisplayName: d.name, OrganisationID: ids.orgs[d.org],
				Profession: "Mediatore linguistico-culturale", Languages: d.languages, Locale: "it",
				Roles: []network.Role{network.Mediator}, Active: true}
			if d.gender == mediation.Female {
				u.Profession = "Mediatrice linguistico-culturale"
			}
			for _, a := range d.areas {
				u.AreaIDs = append(u.AreaIDs, ids.areas[a])
			}
			if err := store.InsertUser(ctx, tx, &u, hash); err != nil {
				return err
			}
			userID = u.ID
			ids.users[d.username] = u.ID
		}
		m := &mediation.Mediator{UserID: userID, Languages: d.languages, Dialects: d.dialects, Gender: d.gender,
			Slots: d.slots, AvailabilityNotes: d.notes, Active: true, CreatedAt: demoDay, UpdatedAt: demoDay}
		for _, a := range d.areas {
			m.AreaIDs = append(m.AreaIDs, ids.areas[a])
		}
		if err := casework.RecordMediator(ctx, tx, m); err != nil {
			return err
		}
		profiles[d.username] = m.ID
	}
	if o.vault == nil {
		return nil
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, approdo.Rome)
	open := map[string][]int64{}
	caseIDs, err := caseIDsInOrder(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		for code, org := range ids.orgs {
			if c.OwnerOrgID == org && !c.Closed() {
				open[code] = append(open[code], id)
			}
		}
	}
	for _, d := range demoBookings {
		if d.nth >= len(open[d.owner]) {
			continue
		}
		requester, err := store.FindUser(ctx, tx, ids.users[d.requester])
		if err != nil {
			return err
		}
		day := today.AddDate(0, 0, d.days)
		start := time.Date(day.Year(), day.Month(), day.Day(), d.hour, d.min, 0, 0, approdo.Rome).UTC()
		created := start.AddDate(0, 0, -14)
		if created.After(now) {
			created = now.Add(-72 * time.Hour).UTC()
		}
		b := &mediation.Booking{CaseID: open[d.owner][d.nth], RequestedBy: requester.ID, RequesterOrgID: requester.OrganisationID,
			Language: d.language, Purpose: d.purpose, StartsAt: start, DurationMinutes: d.duration, Remote: d.remote,
			Place: d.place, Notes: d.notes, MediatorGender: d.gender, State: d.state, CreatedAt: created}
		if d.mediator != "" {
			b.MediatorID, b.AssignedBy, b.AssignedAt = profiles[d.mediator], requester.ID, created.Add(24*time.Hour)
		}
		switch d.state {
		case mediation.Confirmed:
			b.ConfirmedAt = b.AssignedAt.Add(3 * time.Hour)
		case mediation.Done:
			b.ConfirmedAt, b.WorkedMinutes, b.DoneAt = b.AssignedAt.Add(3*time.Hour), d.worked, b.EndsAt().Add(2*time.Hour)
		case mediation.Cancelled:
			b.CancelReason, b.CancelledBy, b.CancelledAt = d.cancelled, requester.ID, created.Add(48*time.Hour)
		}
		if err := casework.RecordBooking(ctx, tx, o.vault, b); err != nil {
			return err
		}
	}
	return nil
}
