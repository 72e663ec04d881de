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
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
)

// A case moves to another organisation only when that organisation accepts
// it. The request (with its reason, sealed) waits as a pending transfer;
// meanwhile nothing about the case changes and the receiving organisation
// reads only a summary of it: code, kind, area, stage, risk, programme,
// when it was opened, who asks and why. Concerns, team, persons, notes and
// the timeline stay with the owner until the transfer is accepted.

// TransferRequest asks another organisation to take over a case. Version
// is the version of the case the request was made from.
type TransferRequest struct {
	Version int
	ToOrgID int64
	Reason  string
	// RequesterStays keeps the current case worker on the team as a
	// contributor once the transfer is accepted.
	RequesterStays bool
}

// TransferView is a transfer with what its reader may see of the case, the
// names of the organisations and people involved, and the reasons opened.
type TransferView struct {
	cases.Transfer
	Case        CaseSummary
	From        string
	To          string
	RequestedBy string
	DecidedBy   string
}

// CaseSummary is what the receiving organisation reads of a case while a
// transfer is pending.
type CaseSummary struct {
	ID        int64
	Code      string
	Kind      cases.Kind
	Area      string
	Stage     cases.Stage
	Risk      cases.Risk
	Programme string
	OpenedAt  time.Time
	Version   int
}

// transferTarget is what the policy needs to know about a transfer: the
// receiving organisation holds it until it decides.
func transferTarget(t *cases.Transfer) auth.Target {
	return auth.Target{Resource: access.CaseTransfers, OrgID: t.ToOrgID}
}

// transferReasonAAD and declineReasonAAD bind the sealed reasons of a
// transfer to its case.
func transferReasonAAD(caseID int64) []byte {
	return []byte("case_transfers.reason:" + strconv.FormatInt(caseID, 10))
}

func declineReasonAAD(caseID int64) []byte {
	return []byte("case_transfers.decline_reason:" + strconv.FormatInt(caseID, 10))
}

// transferView describes t for a reader; withReasons opens its reasons.
func (s *Service) transferView(ctx context.Context, n *names, t *cases.Transfer, c *cases.Case, withReasons bool) (*TransferView, error) {
	v := &TransferView{Transfer: *t, From: n.orgs[t.FromOrgID].Name, To: n.orgs[t.ToOrgID].Name,
		RequestedBy: n.users[t.RequestedBy].DisplayName, DecidedBy: n.users[t.DecidedBy].DisplayName}
	v.Reason, v.DeclineReason = "", ""
	if c != nil {
		v.Case = CaseSummary{ID: c.ID, Code: c.Code, Kind: c.Kind, Area: n.areas[c.AreaID].Name, Stage: c.Stage,
			Risk: c.Risk, Programme: n.programmes[c.ProgrammeID].Name, OpenedAt: c.OpenedAt, Version: c.Version}
	}
	if !withReasons {
		return v, nil
	}
	var err error
	if v.Reason, err = s.Vault.OpenString(ctx, t.Reason, transferReasonAAD(t.CaseID)); err != nil {
		return nil, err
	}
	if v.DeclineReason, err = s.Vault.OpenString(ctx, t.DeclineReason, declineReasonAAD(t.CaseID)); err != nil {
		return nil, err
	}
	return v, nil
}

// RequestTransfer asks organisation r.ToOrgID to take over case id. The
// request waits for the receiving organisation, whose social workers are
// told; nothing about the case changes until one of them accepts. It
// returns the pending transfer as the requester sees it, ENOTFOUND when a may not manage the case,
// EINVALID naming the field at fault (no reason, the case's own
// organisation, an organisation that does not exist or where nobody may
// accept, a closed case), ECONFLICT ("error.transfer.pending") when a
// transfer already waits, and a *StaleError when the case changed since
// r.Version.
func (s *Service) RequestTransfer(ctx context.Context, a *auth.Actor, id int64, r TransferRequest, client string) (*TransferView, error) {
	var t *cases.Transfer
	var v *TransferView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Manage, client)
		if err != nil {
			return err
		}
		c := ch.before
		var problems []approdo.FieldError
		switch {
		case r.ToOrgID == 0:
			problems = append(problems, approdo.FieldError{Field: "to_organisation_id", Message: "error.field.required"})
		case r.ToOrgID == c.OwnerOrgID:
			problems = append(problems, approdo.FieldError{Field: "to_organisation_id", Message: "error.transfer.same_organisation"})
		default:
			if _, err := store.FindOrganisation(ctx, tx, r.ToOrgID); approdo.ErrorCode(err) == approdo.ENOTFOUND {
				problems = append(problems, approdo.FieldError{Field: "to_organisation_id", Message: "error.field.unknown_reference"})
			} else if err != nil {
				return err
			} else if deciders, err := store.UsersAllowedIn(ctx, tx, r.ToOrgID, string(access.Approve), string(access.CaseTransfers)); err != nil {
				return err
			} else if len(deciders) == 0 {
				problems = append(problems, approdo.FieldError{Field: "to_organisation_id", Message: "error.transfer.nobody_to_accept"})
			}
		}
		problems = append(problems, approdo.ErrorFields(cases.CheckReason("reason", r.Reason))...)
		if c.Closed() {
			problems = append(problems, approdo.FieldError{Field: "to_organisation_id", Message: "error.transfer.closed_case"})
		}
		if err := ch.check(r.Version, problems); err != nil {
			return err
		}
		sealed, err := s.Vault.SealString(strings.TrimSpace(r.Reason), transferReasonAAD(id))
		if err != nil {
			return err
		}
		t = &cases.Transfer{CaseID: id, FromOrgID: c.OwnerOrgID, ToOrgID: r.ToOrgID, RequestedBy: a.User.ID,
			RequestedAt: ch.now, Reason: sealed, RequesterStays: r.RequesterStays, State: cases.AwaitingDecision}
		if err := store.InsertTransfer(ctx, tx, t); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "case_transfer", RecordID: strconv.FormatInt(t.ID, 10), CaseID: id,
			Fields: []string{"to_organisation_id", "reason", "requester_stays"}, Client: client}); err != nil {
			return err
		}
		to, err := store.FindOrganisation(ctx, tx, r.ToOrgID)
		if err != nil {
			return err
		}
		if err := ch.event(cases.TransferRequested, t.ID, map[string]string{"to": to.Name}); err != nil {
			return err
		}
		deciders, err := store.UsersAllowedIn(ctx, tx, r.ToOrgID, string(access.Approve), string(access.CaseTransfers))
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(deciders))
		for _, u := range deciders {
			ids = append(ids, u.ID)
		}
		if err := notifyUsers(ctx, tx, c, "transfer_requested", a.User.ID, ids...); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.transferView(ctx, n, t, c, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Transfers lists the transfers addressed to a's organisation and those it
// requested, pending first, as a may list them, with the summary of each
// case; the listing is recorded in the audit log. It returns nothing for an
// actor who may list no transfers.
func (s *Service) Transfers(ctx context.Context, a *auth.Actor, client string) (incoming, outgoing []TransferView, err error) {
	if !auth.Allowed(a, access.List, auth.Target{Resource: access.CaseTransfers, OrgID: a.Organisation.ID}) {
		return nil, nil, nil
	}
	err = s.DB.Read(ctx, func(tx *store.Tx) error {
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, side := range []struct {
			filter store.TransferFilter
			out    *[]TransferView
		}{
			{store.TransferFilter{ToOrgID: a.Organisation.ID}, &incoming},
			{store.TransferFilter{FromOrgID: a.Organisation.ID}, &outgoing},
		} {
			ts, err := store.ListTransfers(ctx, tx, side.filter)
			if err != nil {
				return err
			}
			var pending, decided []TransferView
			for i := range ts {
				c, err := store.FindCase(ctx, tx, ts[i].CaseID)
				if err != nil {
					return err
				}
				// The receiving side reads why it is asked; the requesting
				// side reads why it was declined.
				v, err := s.transferView(ctx, n, &ts[i], c, true)
				if err != nil {
					return err
				}
				if ts[i].State == cases.AwaitingDecision {
					pending = append(pending, *v)
				} else {
					decided = append(decided, *v)
				}
			}
			*side.out = append(pending, decided...)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "case_transfer_list", Client: client})
	return incoming, outgoing, err
}

// PendingTransfersFor returns how many transfers wait for a's organisation
// to decide, when a may decide them. A count names no case and is not
// recorded.
func (s *Service) PendingTransfersFor(ctx context.Context, a *auth.Actor) (int, error) {
	if !auth.Allowed(a, access.Approve, auth.Target{Resource: access.CaseTransfers, OrgID: a.Organisation.ID}) {
		return 0, nil
	}
	var n int
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		n, err = store.CountPendingTransfers(ctx, tx, a.Organisation.ID)
		return err
	})
	return n, err
}

// Transfer returns transfer id to a social worker of the receiving
// organisation, with the summary of its case and the reasons, and records
// the read of the summary in the case's audit log. Anyone else gets
// ENOTFOUND.
func (s *Service) Transfer(ctx context.Context, a *auth.Actor, id int64, client string) (*TransferView, error) {
	var v *TransferView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		t, err := store.FindTransfer(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Approve, transferTarget(t)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		c, err := store.FindCase(ctx, tx, t.CaseID)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.transferView(ctx, n, t, c, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(v.CaseID, 10), CaseID: v.CaseID,
		Fields: []string{"summary", "transfer"}, Client: client})
	return v, err
}

// decide loads transfer id for a decision by a, who must be allowed to
// decide for the receiving organisation (ENOTFOUND otherwise), and checks
// that it still waits (ECONFLICT "error.transfer.decided").
func (s *Service) decide(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*cases.Transfer, error) {
	t, err := store.FindTransfer(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, access.Approve, transferTarget(t)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if t.State != cases.AwaitingDecision {
		return nil, approdo.Errorf(approdo.ECONFLICT, "error.transfer.decided")
	}
	return t, nil
}

// AcceptTransfer accepts transfer id for a's organisation: the case moves
// to it, a becomes its case worker and the team's owner, the previous case
// worker stays on the team as a contributor (or leaves it, as the request
// said), and the requester and the previous case worker are told.
// caseVersion is the version of the case a read in the summary. It returns
// the case as saved, ENOTFOUND when a may not decide it, EINVALID when a may
// not hold cases or the version is missing, ECONFLICT
// ("error.transfer.decided") when it was decided already, and a *StaleError
// when the case changed since caseVersion.
func (s *Service) AcceptTransfer(ctx context.Context, a *auth.Actor, id int64, caseVersion int, client string) (*cases.Case, error) {
	var out *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := s.decide(ctx, tx, a, id)
		if err != nil {
			return err
		}
		c, err := store.FindCase(ctx, tx, t.CaseID)
		if err != nil {
			return err
		}
		ch := &change{s: s, ctx: ctx, tx: tx, a: a, before: c, after: *c, now: s.Now().UTC(), client: client}
		var problems []approdo.FieldError
		holders, err := store.UsersAllowedIn(ctx, tx, t.ToOrgID, string(access.Manage), string(access.Cases))
		if err != nil {
			return err
		}
		mayHold := false
		for _, u := range holders {
			mayHold = mayHold || u.ID == a.User.ID
		}
		if !mayHold || a.Organisation.ID != t.ToOrgID {
			return approdo.Errorf(approdo.EINVALID, "error.transfer.accepter_cannot_hold")
		}
		if err := ch.check(caseVersion, problems); err != nil {
			return err
		}
		previous := c.CaseWorkerID
		ch.after.OwnerOrgID, ch.after.CaseWorkerID = t.ToOrgID, a.User.ID
		if _, err := ch.save(); err != nil {
			return err
		}
		// The team: the accepter owns the case; nobody else does any more;
		// the previous case worker stays as a contributor or leaves.
		for _, m := range c.Team {
			if m.Role == cases.Owner && m.UserID != a.User.ID && m.UserID != previous {
				if err := store.SetTeamRole(ctx, tx, c.ID, &cases.Member{UserID: m.UserID, Role: cases.Contributor}); err != nil {
					return err
				}
			}
		}
		if err := store.SetTeamRole(ctx, tx, c.ID, &cases.Member{UserID: a.User.ID, Role: cases.Owner, AddedAt: ch.now,
			AddedBy: a.User.ID}); err != nil {
			return err
		}
		if previous != 0 && previous != a.User.ID {
			if t.RequesterStays {
				err = store.SetTeamRole(ctx, tx, c.ID, &cases.Member{UserID: previous, Role: cases.Contributor,
					AddedAt: ch.now, AddedBy: a.User.ID})
			} else {
				err = store.RemoveTeamMember(ctx, tx, c.ID, previous)
			}
			if err != nil {
				return err
			}
		}
		t.State, t.DecidedBy, t.DecidedAt = cases.AcceptedTransfer, a.User.ID, ch.now
		if err := store.DecideTransfer(ctx, tx, t); err != nil {
			return err
		}
		if err := ch.audit("case_team", c.ID, "team"); err != nil {
			return err
		}
		if err := ch.audit("case_transfer", t.ID, "state"); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		if err := ch.event(cases.TransferAccepted, t.ID, map[string]string{"from": n.orgs[t.FromOrgID].Name,
			"to": n.orgs[t.ToOrgID].Name}); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, &ch.after, "transfer_accepted", a.User.ID, t.RequestedBy, previous); err != nil {
			return err
		}
		out = &ch.after
		return nil
	})
	return out, err
}

// DeclineTransfer declines transfer id for a's organisation, with a reason
// that is sealed; the case stays where it was and the requester is told.
// It returns ENOTFOUND when a may not decide it, EINVALID when the reason
// is missing, and ECONFLICT ("error.transfer.decided") when it was decided
// already.
func (s *Service) DeclineTransfer(ctx context.Context, a *auth.Actor, id int64, reason, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := s.decide(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := cases.CheckReason("reason", reason); err != nil {
			return err
		}
		c, err := store.FindCase(ctx, tx, t.CaseID)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		sealed, err := s.Vault.SealString(strings.TrimSpace(reason), declineReasonAAD(t.CaseID))
		if err != nil {
			return err
		}
		t.State, t.DecidedBy, t.DecidedAt, t.DeclineReason = cases.DeclinedTransfer, a.User.ID, now, sealed
		if err := store.DecideTransfer(ctx, tx, t); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Update, RecordType: "case_transfer", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID,
			Fields: []string{"state", "decline_reason"}, Client: client}); err != nil {
			return err
		}
		to, err := store.FindOrganisation(ctx, tx, t.ToOrgID)
		if err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID,
			Kind: cases.TransferDeclined, RefID: t.ID, Detail: map[string]string{"to": to.Name}}); err != nil {
			return err
		}
		return notifyUsers(ctx, tx, c, "transfer_declined", a.User.ID, t.RequestedBy)
	})
}

// TransferDestinations returns the organisations case c may be transferred
// to: every other organisation where someone may accept it.
func (s *Service) TransferDestinations(ctx context.Context, c *cases.Case) ([]network.Organisation, error) {
	var out []network.Organisation
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		ids, err := store.OrganisationsAllowed(ctx, tx, string(access.Approve), string(access.CaseTransfers))
		if err != nil {
			return err
		}
		orgs, err := store.ListOrganisations(ctx, tx)
		for _, o := range orgs {
			if o.ID != c.OwnerOrgID && slices.Contains(ids, o.ID) {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

// RecordTransfer stores a transfer as it stands, pending or decided, with
// its reasons written in clear in t and sealed with v, for imports and the
// demo; without a vault the reasons are left out. It writes no timeline
// event, notification or audit entry, and changes nothing of the case: the
// caller records what happened.
func RecordTransfer(ctx context.Context, tx *store.Tx, v *vault.Vault, t *cases.Transfer) error {
	stored := *t
	stored.Reason, stored.DeclineReason = "", ""
	if v != nil {
		var err error
		if t.Reason != "" {
			if stored.Reason, err = v.SealString(t.Reason, transferReasonAAD(t.CaseID)); err != nil {
				return err
			}
		}
		if t.DeclineReason != "" {
			if stored.DeclineReason, err = v.SealString(t.DeclineReason, declineReasonAAD(t.CaseID)); err != nil {
				return err
			}
		}
	}
	decided := stored.State
	stored.State = cases.AwaitingDecision
	if err := store.InsertTransfer(ctx, tx, &stored); err != nil {
		return err
	}
	t.ID = stored.ID
	if decided == cases.AwaitingDecision {
		return nil
	}
	stored.State = decided
	return store.DecideTransfer(ctx, tx, &stored)
}
