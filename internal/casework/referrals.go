package casework

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/deadlines"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
	"approdo/referrals"
	"approdo/services"
)

// A referral is sent by someone who may update the case and send
// referrals; it is answered (accepted, declined, completed) by whoever the
// policy lets update referrals of the receiving organisation, and cancelled,
// or its consent revoked, by whoever may update the case. Both sides read
// it; the recipient reads the case's shared sections only while it is
// accepted and the consent stands (auth.SharedSection).

// ReferralView is a referral as its reader sees it: with its texts opened,
// the names it refers to and what the reader may do with it.
type ReferralView struct {
	referrals.Referral
	CaseCode               string
	From, FromUser, To     string
	Service                string
	AnsweredByName         string
	CanAnswer, CanComplete bool // the recipient's steps
	CanCancel, CanRevoke   bool // the sender's
	// Overdue says that a sent referral waits past its time to answer.
	Overdue bool
	// CanOpenCase says whether the reader may open the case: as one of
	// its readers, or as the recipient while the referral grants access.
	CanOpenCase bool
}

// ReferralInput is what a sender fills in: the recipient (a service of the
// directory, or an organisation with the need it is asked to meet), why,
// how urgently, the sections shared, and the consent.
type ReferralInput struct {
	ServiceID int64
	ToOrgID   int64
	// Need is the type of service asked of an organisation when no service
	// is named.
	Need     string
	Reason   string
	Urgency  referrals.Urgency
	Sections []referrals.Section
	Consent  referrals.Consent
	// Problems are those the caller met reading the input.
	Problems []approdo.FieldError
}

func referralReasonAAD(id int64) []byte {
	return []byte("referrals.reason:" + strconv.FormatInt(id, 10))
}

func referralAnswerAAD(id int64) []byte {
	return []byte("referrals.answer:" + strconv.FormatInt(id, 10))
}

// referralTarget is what the policy needs to know about referral r from
// the side of organisation orgID.
func referralTarget(orgID int64) auth.Target {
	return auth.Target{Resource: access.Referrals, OrgID: orgID}
}

// recipient reports whether a answers referral r for its organisation.
func recipient(a *auth.Actor, r *referrals.Referral) bool {
	return auth.Allowed(a, access.Update, referralTarget(r.ToOrgID))
}

// readsReferral reports whether a may read referral r of case c: on the
// case's side, as a reader of the case; on the recipient's, as a reader of
// the organisation's referrals.
func readsReferral(a *auth.Actor, r *referrals.Referral, c *cases.Case) bool {
	return auth.Allowed(a, access.Read, Target(c, access.Cases)) ||
		auth.Allowed(a, access.Read, referralTarget(r.ToOrgID)) ||
		auth.Allowed(a, access.Read, referralTarget(r.FromOrgID))
}

// referralNames are the names referral views refer to: the network's, and
// the services' names, looked up once each.
type referralNames struct {
	*names
	services map[int64]string
}

// loadReferralNames loads the names referral views need.
func loadReferralNames(ctx context.Context, tx *store.Tx) (*referralNames, error) {
	n, err := loadNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	return &referralNames{names: n, services: map[int64]string{}}, nil
}

// service returns the name of service id.
func (n *referralNames) service(ctx context.Context, tx *store.Tx, id int64) (string, error) {
	if name, ok := n.services[id]; ok {
		return name, nil
	}
	svc, err := store.FindService(ctx, tx, id)
	if err != nil {
		return "", err
	}
	n.services[id] = svc.Name
	return svc.Name, nil
}

// referralView opens r for a, with the names it needs from n.
func (s *Service) referralView(ctx context.Context, tx *store.Tx, a *auth.Actor, r referrals.Referral, c *cases.Case, n *referralNames, now time.Time) (ReferralView, error) {
	var err error
	if r.Reason, err = s.Vault.OpenString(ctx, r.Reason, referralReasonAAD(r.CaseID)); err != nil {
		return ReferralView{}, err
	}
	if r.Answer, err = s.Vault.OpenString(ctx, r.Answer, referralAnswerAAD(r.CaseID)); err != nil {
		return ReferralView{}, err
	}
	v := ReferralView{Referral: r, CaseCode: c.Code, From: n.orgs[r.FromOrgID].Name, FromUser: n.users[r.FromUserID].DisplayName,
		To: n.orgs[r.ToOrgID].Name, AnsweredByName: n.users[r.AnsweredBy].DisplayName,
		Overdue: r.State == referrals.Sent && now.After(r.AnswerBy)}
	if r.ServiceID != 0 {
		if v.Service, err = n.service(ctx, tx, r.ServiceID); err != nil {
			return ReferralView{}, err
		}
	}
	answers := recipient(a, &r)
	v.CanAnswer = answers && r.State == referrals.Sent && r.Consent.Standing()
	v.CanComplete = answers && r.State == referrals.Accepted
	v.CanOpenCase = auth.Allowed(a, access.Read, Target(c, access.Cases)) ||
		r.Grants() && auth.Allowed(a, access.Read, referralTarget(r.ToOrgID)) && r.ToOrgID == a.Organisation.ID
	sender := auth.Allowed(a, access.Update, Target(c, access.Cases))
	v.CanCancel = sender && r.State.Open()
	v.CanRevoke = sender && r.Consent.Standing() && r.State.Open()
	return v, nil
}

// CaseReferrals is the referrals section of a case: its referrals, newest
// first, and, for whoever may send one, the services and organisations it
// may go to.
type CaseReferrals struct {
	Case      *cases.Case
	Referrals []ReferralView
	CanSend   bool
	// Services are the active services of other organisations that serve
	// the case's kind, by name; Organisations the other organisations.
	Services      []ServiceChoice
	Organisations []network.Organisation
}

// ServiceChoice is a service a referral may go to.
type ServiceChoice struct {
	ID           int64
	Name         string
	Organisation string
	Types        []string
	ResponseDays int
}

// CaseReferrals returns the referrals of case id and what a needs to send
// one, and records the read. Only those who read the case in full see them.
func (s *Service) CaseReferrals(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseReferrals, error) {
	out := &CaseReferrals{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		out.Case = c
		list, err := store.ListCaseReferrals(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadReferralNames(ctx, tx)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		for _, r := range list {
			v, err := s.referralView(ctx, tx, a, r, c, n, now)
			if err != nil {
				return err
			}
			out.Referrals = append(out.Referrals, v)
		}
		out.CanSend = auth.Allowed(a, access.Update, Target(c, access.Cases)) &&
			auth.Allowed(a, access.Create, referralTarget(a.Organisation.ID))
		if !out.CanSend {
			return nil
		}
		svcs, err := store.ListServices(ctx, tx, services.Filter{CaseKind: c.Kind, Age: -1}, ReferralLimit, 0)
		if err != nil {
			return err
		}
		for _, svc := range svcs {
			if svc.OrganisationID != a.Organisation.ID {
				out.Services = append(out.Services, ServiceChoice{ID: svc.ID, Name: svc.Name, Organisation: n.orgs[svc.OrganisationID].Name,
					Types: svc.Types, ResponseDays: svc.ResponseDays})
			}
		}
		for _, o := range n.orgs {
			if o.ID != a.Organisation.ID {
				out.Organisations = append(out.Organisations, o)
			}
		}
		slices.SortFunc(out.Organisations, func(x, y network.Organisation) int { return strings.Compare(x.Name, y.Name) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "referrals", client)
}

// SendReferral sends a referral of case id. It returns ENOTFOUND when a may
// not update the case or send referrals, and EINVALID naming the fields at
// fault: see referrals.Check, plus a recipient that is a's own
// organisation ("error.referral.to_self"), a service that is inactive or
// does not exist, and an organisation that offers no service of the need
// ("error.referral.not_offered").
func (s *Service) SendReferral(ctx context.Context, a *auth.Actor, id int64, in ReferralInput, client string) (*ReferralView, error) {
	var v ReferralView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Create, referralTarget(a.Organisation.ID)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		c := ch.before
		r := &referrals.Referral{CaseID: id, FromOrgID: a.Organisation.ID, FromUserID: a.User.ID, ToOrgID: in.ToOrgID,
			ServiceID: in.ServiceID, Reason: strings.TrimSpace(in.Reason), Urgency: in.Urgency, Sections: in.Sections,
			Consent: in.Consent, State: referrals.Sent, SentAt: ch.now}
		problems := append(slices.Clone(in.Problems), referrals.Check(r, ch.now)...)
		responseDays := 0
		switch {
		case r.ServiceID != 0:
			svc, err := store.FindService(ctx, tx, r.ServiceID)
			switch {
			case approdo.ErrorCode(err) == approdo.ENOTFOUND || err == nil && !svc.Active:
				problems = append(problems, approdo.FieldError{Field: "service_id", Message: "error.field.unknown_value"})
			case err != nil:
				return err
			default:
				r.ToOrgID, responseDays = svc.OrganisationID, svc.ResponseDays
			}
		case r.ToOrgID == 0:
			problems = append(problems, approdo.FieldError{Field: "service_id", Message: "error.referral.no_recipient"})
		default:
			if _, err := store.FindOrganisation(ctx, tx, r.ToOrgID); approdo.ErrorCode(err) == approdo.ENOTFOUND {
				problems = append(problems, approdo.FieldError{Field: "to_org_id", Message: "error.field.unknown_value"})
			} else if err != nil {
				return err
			} else if in.Need == "" {
				problems = append(problems, approdo.FieldError{Field: "need", Message: "error.field.required"})
			} else if ok, err := store.OrganisationOffers(ctx, tx, r.ToOrgID, in.Need); err != nil {
				return err
			} else if !ok {
				problems = append(problems, approdo.FieldError{Field: "need", Message: "error.referral.not_offered"})
			}
		}
		if r.ToOrgID != 0 && r.ToOrgID == a.Organisation.ID {
			problems = append(problems, approdo.FieldError{Field: "service_id", Message: "error.referral.to_self"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		r.AnswerBy = ch.now.AddDate(0, 0, referrals.ResponseDays(r.Urgency, responseDays))
		reason := r.Reason
		if r.Reason, err = s.Vault.SealString(reason, referralReasonAAD(id)); err != nil {
			return err
		}
		if err := store.InsertReferral(ctx, tx, r); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "referral", RecordID: strconv.FormatInt(r.ID, 10), CaseID: id,
			Fields: []string{"to", "reason", "urgency", "sections", "consent"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(cases.ReferralSent, r.ID, map[string]string{"org": strconv.FormatInt(r.ToOrgID, 10)}); err != nil {
			return err
		}
		if _, err := s.startClocks(ctx, tx, a, c, deadlines.ReferralSent, ch.now, client); err != nil {
			return err
		}
		if err := s.notifyOrganisation(ctx, tx, c, r.ToOrgID, "referral_received", a.User.ID); err != nil {
			return err
		}
		n, err := loadReferralNames(ctx, tx)
		if err != nil {
			return err
		}
		r.Reason = ""
		if v, err = s.referralView(ctx, tx, a, *r, c, n, ch.now); err != nil {
			return err
		}
		v.Reason = reason
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// notifyOrganisation tells the users of organisation orgID who answer
// referrals about case c.
func (s *Service) notifyOrganisation(ctx context.Context, tx *store.Tx, c *cases.Case, orgID int64, kind string, actorID int64) error {
	users, err := store.UsersAllowedIn(ctx, tx, orgID, string(access.Update), string(access.Referrals))
	if err != nil {
		return err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return notifyUsers(ctx, tx, c, kind, actorID, ids...)
}

// ReferralStep is a step taken on a referral: the version it was taken
// from, and the reason of a refusal or cancellation, or the outcome.
type ReferralStep struct {
	Step    string
	Version int
	Answer  string
	// Unreadable is the error the caller met reading the request, such as
	// a malformed body, returned once the policy has let the actor through.
	Unreadable error
}

// StepRevoke is the sender's step that revokes the person's consent.
const StepRevoke = "revoke"

// StepReferral takes a step on referral id: the recipient accepts, declines
// (with a reason) or completes it (with an outcome), with caseID 0; the
// sender cancels it (with a reason) or revokes the person's consent
// (StepRevoke), naming its case caseID, which ends the recipient's access
// at once and cancels a referral not yet accepted.
// It returns ENOTFOUND when a may not take the step; EINVALID naming
// "version" when it is missing; ECONFLICT ("error.referral.changed") when
// the referral changed since the version a saw, or
// ("error.referral.wrong_state") when its state does not allow the step;
// and EINVALID naming "answer" when a refusal, cancellation or completion
// comes without one.
func (s *Service) StepReferral(ctx context.Context, a *auth.Actor, caseID, id int64, st ReferralStep, client string) (*ReferralView, error) {
	// The actors of the organisations concerned hold their grants.
	defer auth.AccessChanged()
	var v ReferralView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, err := store.FindReferral(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := store.FindCase(ctx, tx, r.CaseID)
		if err != nil {
			return err
		}
		revoke := st.Step == StepRevoke
		if !revoke && !slices.Contains(referrals.Steps, st.Step) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		// The sender's steps are taken on the case, the recipient's on the
		// referral alone.
		sender := revoke || referrals.BySender(st.Step)
		if sender != (caseID != 0) || sender && (r.CaseID != caseID || !auth.Allowed(a, access.Update, Target(c, access.Cases))) ||
			!sender && !recipient(a, r) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if st.Unreadable != nil {
			return st.Unreadable
		}
		now := s.Now().UTC()
		if st.Version <= 0 {
			return approdo.Invalid(approdo.FieldError{Field: "version", Message: "error.field.required"})
		}
		if st.Version != r.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.referral.changed")
		}
		// The state decides first: a referral that cannot take the step
		// is refused whatever was typed.
		if revoke && (!r.Consent.Standing() || !r.State.Open()) {
			return approdo.Errorf(approdo.ECONFLICT, "error.referral.wrong_state")
		}
		next := referrals.Next(r.State, st.Step)
		if !revoke && (next == "" || next == referrals.Accepted && !r.Consent.Standing()) {
			return approdo.Errorf(approdo.ECONFLICT, "error.referral.wrong_state")
		}
		answer := strings.TrimSpace(st.Answer)
		if !revoke && referrals.NeedsAnswer(st.Step) {
			if err := cases.CheckReason("answer", answer); err != nil {
				return err
			}
		}
		version := r.Version
		kind, notify := cases.EventKind(""), "referral_"+st.Step
		switch {
		case revoke:
			r.Consent.RevokedAt = now
			kind, notify = cases.ConsentRevoked, "referral_consent_revoked"
			if r.State == referrals.Sent {
				r.State, r.ClosedAt = referrals.Cancelled, now
			}
		default:
			r.State = next
			switch next {
			case referrals.Accepted, referrals.Declined:
				r.AnsweredAt, r.AnsweredBy = now, a.User.ID
			}
			if next != referrals.Accepted {
				r.ClosedAt = now
			}
			if answer != "" {
				if r.Answer, err = s.Vault.SealString(answer, referralAnswerAAD(r.CaseID)); err != nil {
					return err
				}
			}
			kind = map[referrals.State]cases.EventKind{referrals.Accepted: cases.ReferralAccepted, referrals.Declined: cases.ReferralDeclined,
				referrals.Completed: cases.ReferralCompleted, referrals.Cancelled: cases.ReferralCancelled}[next]
		}
		if err := store.UpdateReferral(ctx, tx, r, version); err != nil {
			return err
		}
		fields := []string{"state"}
		if answer != "" {
			fields = append(fields, "answer")
		}
		if revoke {
			fields = []string{"consent"}
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "referral", RecordID: strconv.FormatInt(r.ID, 10), CaseID: r.CaseID, Fields: fields, Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: r.CaseID, At: now, ActorID: a.User.ID, Kind: kind, RefID: r.ID,
			Detail: map[string]string{"org": strconv.FormatInt(r.ToOrgID, 10)}}); err != nil {
			return err
		}
		// The sender is told of every answer; the recipient of a
		// cancellation or a revoked consent.
		if sender {
			err = s.notifyOrganisation(ctx, tx, c, r.ToOrgID, notify, a.User.ID)
		} else {
			err = notifyUsers(ctx, tx, c, notify, a.User.ID, r.FromUserID)
		}
		if err != nil {
			return err
		}
		n, err := loadReferralNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.referralView(ctx, tx, a, *r, c, n, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Referral returns referral id as a sees it, and records the read. Those
// who read the case, and the sending and receiving organisations' readers
// of referrals, see it; anyone else gets ENOTFOUND.
func (s *Service) Referral(ctx context.Context, a *auth.Actor, id int64, client string) (*ReferralView, error) {
	var v ReferralView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := store.FindReferral(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := store.FindCase(ctx, tx, r.CaseID)
		if err != nil {
			return err
		}
		if !readsReferral(a, r, c) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		n, err := loadReferralNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.referralView(ctx, tx, a, *r, c, n, s.Now().UTC())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, s.recordReferralReads(ctx, a, []ReferralView{v}, client)
}

// recordReferralReads writes the audit entries of reading referrals, one
// per referral, tied to its case.
func (s *Service) recordReferralReads(ctx context.Context, a *auth.Actor, list []ReferralView, client string) error {
	if len(list) == 0 {
		return nil
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		for _, v := range list {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
				RecordType: "referral", RecordID: strconv.FormatInt(v.ID, 10), CaseID: v.CaseID, Fields: []string{"referral"},
				Client: client}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReferralLimit is the most referrals a list shows.
const ReferralLimit = 200

// OrganisationReferrals returns the referrals a's organisation received
// (incoming) or sent, newest first, in state when it is set, and records
// the read of each. It returns ENOTFOUND when a may not read referrals.
func (s *Service) OrganisationReferrals(ctx context.Context, a *auth.Actor, incoming bool, state referrals.State, client string) ([]ReferralView, error) {
	if !auth.Allowed(a, access.Read, referralTarget(a.Organisation.ID)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if state != "" && !slices.Contains(referrals.States, state) {
		return nil, approdo.Invalid(approdo.FieldError{Field: "state", Message: "error.field.unknown_value"})
	}
	var out []ReferralView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		list, err := store.ListOrganisationReferrals(ctx, tx, a.Organisation.ID, incoming, state, ReferralLimit)
		if err != nil {
			return err
		}
		n, err := loadReferralNames(ctx, tx)
		if err != nil {
			return err
		}
		ids := make([]int64, len(list))
		for i, r := range list {
			ids[i] = r.CaseID
		}
		found, err := store.FindCases(ctx, tx, ids)
		if err != nil {
			return err
		}
		byID := make(map[int64]*cases.Case, len(found))
		for i := range found {
			byID[found[i].ID] = &found[i]
		}
		now := s.Now().UTC()
		for _, r := range list {
			v, err := s.referralView(ctx, tx, a, r, byID[r.CaseID], n, now)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordReferralReads(ctx, a, out, client)
}

// ExpireReferrals marks as expired the referrals still unanswered past
// their time to answer at now, tells their senders, and returns how many
// it expired. Each referral moves once even when several servers sweep at
// the same time: the update names the version it read.
func (s *Service) ExpireReferrals(ctx context.Context, now time.Time) (int, error) {
	// The actors of the organisations concerned hold their grants.
	defer auth.AccessChanged()
	expired := 0
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		due, err := store.DueReferrals(ctx, tx, now)
		if err != nil {
			return err
		}
		for i := range due {
			r := &due[i]
			version := r.Version
			r.State, r.ClosedAt = referrals.Expired, now.UTC()
			if err := store.UpdateReferral(ctx, tx, r, version); approdo.ErrorCode(err) == approdo.ECONFLICT {
				continue
			} else if err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, &audit.Entry{Action: audit.Update, RecordType: "referral",
				RecordID: strconv.FormatInt(r.ID, 10), CaseID: r.CaseID, Fields: []string{"state"}}); err != nil {
				return err
			}
			if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: r.CaseID, At: now.UTC(), Kind: cases.ReferralExpired,
				RefID: r.ID, Detail: map[string]string{"org": strconv.FormatInt(r.ToOrgID, 10)}}); err != nil {
				return err
			}
			c, err := store.FindCase(ctx, tx, r.CaseID)
			if err != nil {
				return err
			}
			if err := notifyUsers(ctx, tx, c, "referral_expired", 0, r.FromUserID); err != nil {
				return err
			}
			expired++
		}
		return nil
	})
	return expired, err
}

// RecordReferral writes referral r as it stands, sealing its reason and
// answer with v, with the events of its life on the case's timeline. It is
// for seeders and imports, which write outside the policy.
func RecordReferral(ctx context.Context, tx *store.Tx, v *vault.Vault, r *referrals.Referral) error {
	sealed := *r
	var err error
	if sealed.Reason, err = v.SealString(strings.TrimSpace(r.Reason), referralReasonAAD(r.CaseID)); err != nil {
		return err
	}
	if r.Answer != "" {
		if sealed.Answer, err = v.SealString(strings.TrimSpace(r.Answer), referralAnswerAAD(r.CaseID)); err != nil {
			return err
		}
	}
	state := sealed.State
	sealed.State = referrals.Sent
	if err := store.InsertReferral(ctx, tx, &sealed); err != nil {
		return err
	}
	r.ID = sealed.ID
	event := func(kind cases.EventKind, at time.Time, actor int64) error {
		return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: r.CaseID, At: at, ActorID: actor, Kind: kind, RefID: r.ID,
			Detail: map[string]string{"org": strconv.FormatInt(r.ToOrgID, 10)}})
	}
	if err := event(cases.ReferralSent, r.SentAt, r.FromUserID); err != nil {
		return err
	}
	if state == referrals.Sent {
		r.Version = sealed.Version
		return nil
	}
	sealed.State = state
	if err := store.UpdateReferral(ctx, tx, &sealed, sealed.Version); err != nil {
		return err
	}
	r.Version = sealed.Version
	if !r.AnsweredAt.IsZero() {
		kind := cases.ReferralAccepted
		if state == referrals.Declined {
			kind = cases.ReferralDeclined
		}
		if err := event(kind, r.AnsweredAt, r.AnsweredBy); err != nil {
			return err
		}
	}
	closing := map[referrals.State]cases.EventKind{referrals.Completed: cases.ReferralCompleted,
		referrals.Cancelled: cases.ReferralCancelled, referrals.Expired: cases.ReferralExpired}
	if kind, ok := closing[state]; ok {
		actor := r.AnsweredBy
		if state != referrals.Completed {
			actor = r.FromUserID
		}
		if state == referrals.Expired {
			actor = 0
		}
		return event(kind, r.ClosedAt, actor)
	}
	return nil
}
