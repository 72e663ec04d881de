package demo

import (
	"context"
	"slices"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/referrals"
	"approdo/services"
)

// demoReferral is a referral of the demo: the need it is sent for, where
// it stands, its reason and its answer, and how many days before now it
// was sent.
type demoReferral struct {
	need    string
	state   referrals.State
	urgency referrals.Urgency
	reason  string
	answer  string
	daysAgo int
}

// demoReferrals are one referral in each state, from the social services
// of Prato to the services of the network.
var demoReferrals = []demoReferral{
	{services.PsychologicalSupport, referrals.Sent, referrals.Routine,
		"Incubi e difficoltà a dormire dopo il viaggio: chiediamo colloqui psicologici con mediazione.", "", 1},
	{services.PsychologicalSupport, referrals.Accepted, referrals.Urgent,
		"La ragazza racconta violenze subite in Libia: chiediamo una presa in carico psicologica.", "", 12},
	{services.FamilySupport, referrals.Declined, referrals.Routine,
		"Sostegno educativo alla madre, che si è trasferita a Cecina con i figli.",
		"La famiglia non risulta residente a Cecina: la domanda va rivolta al Comune di residenza.", 30},
	{services.PsychologicalSupport, referrals.Completed, referrals.Routine,
		"Colloqui di sostegno dopo l'allontanamento dalla famiglia.",
		"Otto colloqui da ottobre a dicembre; il ragazzo dorme meglio e frequenta la scuola. Consigliato un gruppo di pari.", 90},
	{services.FamilySupport, referrals.Cancelled, referrals.Routine,
		"Sostegno educativo alla madre dopo il rientro a casa.",
		"La famiglia si è trasferita in un'altra regione: il caso passa al servizio del nuovo Comune.", 45},
	{services.BasicNeeds, referrals.Expired, referrals.Routine,
		"Contributo per vestiario e materiale scolastico.", "", 40},
}

// seedReferrals gives open cases of the Prato social services one referral
// in each state, to services of other organisations that serve the case's
// kind. It takes the most recent cases first, leaving the oldest to the
// tests and walks that start from a case without referrals. It writes
// nothing without a vault.
func seedReferrals(ctx context.Context, tx *store.Tx, seeded ids, opts []Option, now time.Time) error {
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
	var open []*cases.Case
	slices.Reverse(caseIDs)
	for _, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.OwnerOrgID == seeded.orgs["SDS-PRATO"] && !c.Closed() && c.CaseWorkerID != 0 && c.Stage.Index() >= cases.StageTakenCharge.Index() {
			open = append(open, c)
		}
	}
	for _, d := range demoReferrals {
		for i, c := range open {
			list, err := store.ListServices(ctx, tx, services.Filter{Type: d.need, CaseKind: c.Kind, Age: -1}, 50, 0)
			if err != nil {
				return err
			}
			// A service whose organisation has someone to answer, so that
			// the referral can be answered in the demo as in life.
			var svc *services.Service
			var by int64
			for j := range list {
				if list[j].OrganisationID == c.OwnerOrgID {
					continue
				}
				answerers, err := store.UsersAllowedIn(ctx, tx, list[j].OrganisationID, "update", "referral")
				if err != nil {
					return err
				}
				if len(answerers) > 0 {
					svc, by = &list[j], answerers[0].ID
					break
				}
			}
			if svc == nil {
				continue
			}
			if err := seedReferral(ctx, tx, o, c, svc, by, d, now); err != nil {
				return err
			}
			open = slices.Delete(open, i, i+1)
			break
		}
	}
	return nil
}

// seedReferral writes referral d of case c to service svc, answered by
// user by of its organisation.
func seedReferral(ctx context.Context, tx *store.Tx, o options, c *cases.Case, svc *services.Service, by int64, d demoReferral, now time.Time) error {
	sent := now.AddDate(0, 0, -d.daysAgo).Truncate(time.Hour)
	r := &referrals.Referral{CaseID: c.ID, FromOrgID: c.OwnerOrgID, FromUserID: c.CaseWorkerID, ToOrgID: svc.OrganisationID,
		ServiceID: svc.ID, Reason: d.reason, Urgency: d.urgency, Sections: []referrals.Section{referrals.Persons, referrals.Assessment},
		Consent: referrals.Consent{By: referrals.ByPerson, GivenAt: sent.Add(-time.Hour), NoticeLanguage: "it"},
		State:   d.state, SentAt: sent, Answer: d.answer}
	r.AnswerBy = sent.AddDate(0, 0, referrals.ResponseDays(d.urgency, svc.ResponseDays))
	switch d.state {
	case referrals.Accepted, referrals.Declined, referrals.Completed:
		r.AnsweredAt, r.AnsweredBy = sent.AddDate(0, 0, 2), by
		if d.state != referrals.Accepted {
			r.ClosedAt = r.AnsweredAt
		}
		if d.state == referrals.Completed {
			r.ClosedAt = sent.AddDate(0, 0, d.daysAgo/2)
		}
	case referrals.Cancelled:
		r.ClosedAt = sent.AddDate(0, 0, 3)
	case referrals.Expired:
		r.ClosedAt = r.AnswerBy
	}
	return casework.RecordReferral(ctx, tx, o.vault, r)
}
