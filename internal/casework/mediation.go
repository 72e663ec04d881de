package casework

import (
	"cmp"
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
	"approdo/mediation"
	"approdo/network"
)

// Bookings of a mediator are asked from a case by whoever may update it
// (the case's own policy), assigned to a mediator by the requesting
// organisation or the lead entity of the case's programme (manage on
// mediation bookings), and confirmed, declined and closed with the minutes
// worked by their mediator (update on mediation bookings, their own).
//
// The mediator sees a booking as its logistics only: when, where, how
// long, which language, who asks and how to reach them. The case, its code
// and whatever the case file holds never reach them. Each step is audited
// as a "mediation_booking" record of the case, appears on the case's
// timeline, and the requester is told when the mediator confirms or
// declines.

// The events of bookings on a case's timeline. Their details name the
// booking's language and start, never its place.
const (
	MediationRequested cases.EventKind = "mediation_requested"
	MediationAssigned  cases.EventKind = "mediation_assigned"
	MediationConfirmed cases.EventKind = "mediation_confirmed"
	MediationDeclined  cases.EventKind = "mediation_declined"
	MediationDone      cases.EventKind = "mediation_done"
	MediationCancelled cases.EventKind = "mediation_cancelled"
)

// bookingRecord is the record type of bookings in the audit log.
const bookingRecord = "mediation_booking"

func bookingPlaceAAD(caseID int64) []byte {
	return []byte("mediation_bookings.place:" + strconv.FormatInt(caseID, 10))
}

func bookingNotesAAD(caseID int64) []byte {
	return []byte("mediation_bookings.notes:" + strconv.FormatInt(caseID, 10))
}

func bookingCancelAAD(caseID int64) []byte {
	return []byte("mediation_bookings.cancel_reason:" + strconv.FormatInt(caseID, 10))
}

func bookingDeclineAAD(bookingID int64) []byte {
	return []byte("mediation_declines.reason:" + strconv.FormatInt(bookingID, 10))
}

// sealOptional seals s with v, and leaves an empty s empty.
func sealOptional(v *vault.Vault, s string, aad []byte) (string, error) {
	if s == "" {
		return "", nil
	}
	return v.SealString(s, aad)
}

// BookingView is a booking as its reader sees it: its logistics with the
// place and the notes opened, who asks and how to reach them, and its
// mediator. CaseID and CaseCode are set only for readers of the case or of
// its summary, never for the mediator; Declines only for those who read
// the case or assign the booking.
type BookingView struct {
	mediation.Booking
	CaseCode string
	// caseID is the booking's case, kept for the audit log whatever the
	// reader sees of it.
	caseID int64
	// RequesterName and RequesterEmail are the contact of whoever asked;
	// RequesterOrganisation names their organisation.
	RequesterName         string
	RequesterEmail        string
	RequesterOrganisation string
	MediatorName          string
	MediatorUserID        int64
	CancelledByName       string
	Declines              []DeclineView
	// What the reader may do with it.
	CanCancel  bool
	CanAssign  bool
	CanConfirm bool
	CanDecline bool
	CanRecord  bool
}

// DeclineView is a mediator's decline of a booking with its reason opened.
type DeclineView struct {
	Mediator string
	Reason   string
	At       time.Time
}

// CaseMediation is the bookings of a case as its reader sees them.
type CaseMediation struct {
	Case     *cases.Case
	Bookings []BookingView
	// CanRequest says whether the reader asks for a mediator.
	CanRequest bool
}

// bookingContext is what describing bookings needs: the network's names,
// the mediators by profile, and the cases met so far.
type bookingContext struct {
	n         *names
	mediators map[int64]mediation.Mediator
	cases     map[int64]*cases.Case
}

func (s *Service) bookingContext(ctx context.Context, tx *store.Tx) (*bookingContext, error) {
	n, err := loadNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	list, err := store.ListMediators(ctx, tx, store.MediatorFilter{})
	if err != nil {
		return nil, err
	}
	bc := &bookingContext{n: n, mediators: map[int64]mediation.Mediator{}, cases: map[int64]*cases.Case{}}
	for _, m := range list {
		bc.mediators[m.ID] = m
	}
	return bc, nil
}

// caseOf returns the case of booking b.
func (bc *bookingContext) caseOf(ctx context.Context, tx *store.Tx, b *mediation.Booking) (*cases.Case, error) {
	if c, ok := bc.cases[b.CaseID]; ok {
		return c, nil
	}
	c, err := store.FindCase(ctx, tx, b.CaseID)
	if err != nil {
		return nil, err
	}
	bc.cases[b.CaseID] = c
	return c, nil
}

// bookingTarget is what the policy needs to know about booking b of case c:
// its mediator owns it, the requesting organisation holds it, and it lies
// in the case's area and programme.
func (bc *bookingContext) target(b *mediation.Booking, c *cases.Case) auth.Target {
	return auth.Target{Resource: access.MediationBookings, OwnerID: bc.mediators[b.MediatorID].UserID,
		OrgID: b.RequesterOrgID, AreaID: c.AreaID, ProgrammeID: c.ProgrammeID}
}

// bookingView describes booking b of case c for a, opening its sealed texts.
func (s *Service) bookingView(ctx context.Context, tx *store.Tx, a *auth.Actor, bc *bookingContext, b *mediation.Booking, c *cases.Case) (BookingView, error) {
	n := bc.n
	requester := n.users[b.RequestedBy]
	v := BookingView{Booking: *b, caseID: b.CaseID, RequesterName: requester.DisplayName, RequesterEmail: requester.Email,
		RequesterOrganisation: n.orgs[b.RequesterOrgID].Name}
	if m, ok := bc.mediators[b.MediatorID]; ok {
		v.MediatorUserID = m.UserID
		v.MediatorName = n.users[m.UserID].DisplayName
	}
	v.CancelledByName = n.users[b.CancelledBy].DisplayName
	var err error
	if v.Place, err = s.Vault.OpenString(ctx, b.Place, bookingPlaceAAD(b.CaseID)); err != nil {
		return v, err
	}
	if v.Notes, err = s.Vault.OpenString(ctx, b.Notes, bookingNotesAAD(b.CaseID)); err != nil {
		return v, err
	}
	readsCase := auth.Allowed(a, access.Read, Target(c, access.Cases))
	t := bc.target(b, c)
	manages := auth.Allowed(a, access.Manage, t)
	if readsCase || auth.Allowed(a, access.Read, Target(c, access.CaseSummaries)) {
		v.CaseCode = c.Code
	} else {
		v.CaseID = 0
	}
	if readsCase {
		if v.CancelReason, err = s.Vault.OpenString(ctx, b.CancelReason, bookingCancelAAD(b.CaseID)); err != nil {
			return v, err
		}
	} else {
		v.CancelReason = ""
	}
	if readsCase || manages {
		declines, err := store.ListDeclined(ctx, tx, b.ID)
		if err != nil {
			return v, err
		}
		for _, d := range declines {
			reason, err := s.Vault.OpenString(ctx, d.Reason, bookingDeclineAAD(b.ID))
			if err != nil {
				return v, err
			}
			v.Declines = append(v.Declines, DeclineView{Mediator: n.users[bc.mediators[d.MediatorID].UserID].DisplayName,
				Reason: reason, At: d.At})
		}
	}
	own := auth.Allowed(a, access.Update, t)
	v.CanCancel = b.State.Open() && auth.Allowed(a, access.Update, Target(c, access.Cases))
	v.CanAssign = b.State == mediation.Requested && manages
	v.CanConfirm = b.State == mediation.Assigned && own
	v.CanDecline = b.State.Books() && own
	v.CanRecord = b.State == mediation.Confirmed && own && !s.Now().Before(b.StartsAt)
	return v, nil
}

// CaseBookings returns the bookings of case id, open ones first, to those
// who read the case in full, and records the read. A case a may not read
// is ENOTFOUND.
func (s *Service) CaseBookings(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseMediation, error) {
	out := &CaseMediation{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		out.Case = c
		out.CanRequest = auth.Allowed(a, access.Update, Target(c, access.Cases))
		list, err := store.ListCaseBookings(ctx, tx, id)
		if err != nil {
			return err
		}
		bc, err := s.bookingContext(ctx, tx)
		if err != nil {
			return err
		}
		bc.cases[id] = c
		for i := range list {
			v, err := s.bookingView(ctx, tx, a, bc, &list[i], c)
			if err != nil {
				return err
			}
			out.Bookings = append(out.Bookings, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "mediation", client)
}

// RequestMediation asks for a mediator for an appointment of case id. It
// returns the booking, ENOTFOUND when a may not update the case, and
// EINVALID naming the fields of mediation.NewBooking. The place and the
// notes are sealed; the request is audited and recorded on the case's
// timeline.
func (s *Service) RequestMediation(ctx context.Context, a *auth.Actor, id int64, r mediation.Request, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		b, err := mediation.NewBooking(r, ch.now)
		if err != nil {
			return err
		}
		b.CaseID, b.RequestedBy, b.RequesterOrgID, b.CreatedAt = id, a.User.ID, a.Organisation.ID, ch.now
		stored := *b
		if stored.Place, err = sealOptional(s.Vault, b.Place, bookingPlaceAAD(id)); err != nil {
			return err
		}
		if stored.Notes, err = sealOptional(s.Vault, b.Notes, bookingNotesAAD(id)); err != nil {
			return err
		}
		if err := store.InsertBooking(ctx, tx, &stored); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: bookingRecord, RecordID: strconv.FormatInt(stored.ID, 10), CaseID: id,
			Fields: []string{"language", "purpose", "date", "start_time", "duration_minutes", "remote", "place", "notes",
				"mediator_gender"}, Client: client}); err != nil {
			return err
		}
		if err := ch.event(MediationRequested, stored.ID, bookingDetail(&stored)); err != nil {
			return err
		}
		bc, err := s.bookingContext(ctx, tx)
		if err != nil {
			return err
		}
		bc.cases[id] = ch.before
		v, err = s.bookingView(ctx, tx, a, bc, &stored, ch.before)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// bookingDetail is the detail of a booking's event on the timeline: its
// language and start, never its place.
func bookingDetail(b *mediation.Booking) map[string]string {
	return map[string]string{"language": b.Language, "at": b.StartsAt.UTC().Format(time.RFC3339)}
}

// CancelMediation calls off booking bookingID of case id, with a reason.
// It returns the booking, ENOTFOUND when a may not update the case or the
// booking is not the case's, EINVALID naming "reason" or "version", and
// ECONFLICT when the booking is done or cancelled already
// ("error.mediation.cannot_cancel") or changed since version
// ("error.mediation.changed"). A mediator who was given the booking is
// told, without the case.
func (s *Service) CancelMediation(ctx context.Context, a *auth.Actor, id, bookingID int64, reason string, version int, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		// The case decides who may call its bookings off: the input is
		// judged before the booking is looked for.
		reason = strings.TrimSpace(reason)
		problems := approdo.ErrorFields(cases.CheckReason("reason", reason))
		if version <= 0 {
			problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		b, err := store.FindBooking(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		if b.CaseID != id {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if err := checkStep(b, mediation.Cancel, version, nil); err != nil {
			return err
		}
		mediatorID := b.MediatorID
		if b.CancelReason, err = s.Vault.SealString(reason, bookingCancelAAD(id)); err != nil {
			return err
		}
		b.State, b.CancelledBy, b.CancelledAt = mediation.Cancelled, a.User.ID, ch.now
		if err := saveBooking(ctx, tx, b, version); err != nil {
			return err
		}
		if err := ch.audit(bookingRecord, b.ID, "state", "reason"); err != nil {
			return err
		}
		if err := ch.event(MediationCancelled, b.ID, bookingDetail(b)); err != nil {
			return err
		}
		bc, err := s.bookingContext(ctx, tx)
		if err != nil {
			return err
		}
		if m, ok := bc.mediators[mediatorID]; ok {
			if err := notifyMediator(ctx, tx, "mediation_cancelled", a.User.ID, m.UserID); err != nil {
				return err
			}
		}
		bc.cases[id] = ch.before
		v, err = s.bookingView(ctx, tx, a, bc, b, ch.before)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// checkStep refuses a step on b, in this order: EINVALID with the problems
// of the input and a missing version; ECONFLICT when b was changed since
// version ("error.mediation.changed"); ECONFLICT when b's state does not
// allow the step ("error.mediation.cannot_<step>").
func checkStep(b *mediation.Booking, step mediation.Step, version int, problems []approdo.FieldError) error {
	if version <= 0 {
		problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	if version != b.Version {
		return approdo.Errorf(approdo.ECONFLICT, "error.mediation.changed")
	}
	return b.State.Refusal(step)
}

// saveBooking writes b, changed from version, and reports a booking saved
// meanwhile as "error.mediation.changed".
func saveBooking(ctx context.Context, tx *store.Tx, b *mediation.Booking, version int) error {
	err := store.SaveBooking(ctx, tx, b, version)
	if approdo.ErrorCode(err) == approdo.ECONFLICT {
		return approdo.Errorf(approdo.ECONFLICT, "error.mediation.changed")
	}
	return err
}

// notifyMediator tells mediator user userID that kind happened on one of
// their bookings. The notification names no case: the mediator never sees
// one.
func notifyMediator(ctx context.Context, tx *store.Tx, kind string, actorID, userID int64) error {
	if userID == 0 || userID == actorID {
		return nil
	}
	return store.InsertNotification(ctx, tx, &store.Notification{UserID: userID, Kind: kind, ActorID: actorID})
}

// The lists of bookings across cases.
const (
	BookingsMine     = "mine"   // the bookings given to the reader as their mediator
	BookingsToAssign = "assign" // the requests waiting for a mediator that the reader may assign
	BookingsAll      = "all"    // every booking the reader may list
)

// Bookings returns the bookings of list (BookingsMine, BookingsToAssign or
// BookingsAll) that a may list, soonest first, those that ended more than
// a week ago left out unless past is set. Each booking shown is recorded
// in the audit log.
func (s *Service) Bookings(ctx context.Context, a *auth.Actor, list string, past bool, client string) ([]BookingView, error) {
	var f store.BookingFilter
	now := s.Now()
	if !past {
		f.From = now.AddDate(0, 0, -7)
	}
	var out []BookingView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		if list == BookingsMine || list == BookingsAll {
			if slices.Contains(auth.ScopesOf(a, access.List, access.MediationBookings), access.Own) {
				m, err := store.FindMediatorOfUser(ctx, tx, a.User.ID)
				if err == nil {
					f.MediatorID = m.ID
				} else if approdo.ErrorCode(err) != approdo.ENOTFOUND {
					return err
				}
			}
		}
		verb := access.List
		if list == BookingsToAssign {
			verb = access.Manage
			f.States = []mediation.State{mediation.Requested}
		}
		if list != BookingsMine {
			for _, sc := range auth.ScopesOf(a, verb, access.MediationBookings) {
				switch sc {
				case access.OwnOrg:
					f.OrgID = a.Organisation.ID
				case access.LedProgrammes:
					f.ProgrammeIDs = a.LedProgrammeIDs
				case access.Network:
					f.All = true
				}
			}
		}
		list, err := store.ListBookings(ctx, tx, f)
		if err != nil {
			return err
		}
		return s.describeBookings(ctx, tx, a, verb, list, &out)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.DB.Write(ctx, func(tx *store.Tx) error {
		for _, v := range out {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Read, RecordType: bookingRecord, RecordID: strconv.FormatInt(v.ID, 10), CaseID: v.caseID,
				Fields: []string{"logistics"}, Client: client}); err != nil {
				return err
			}
		}
		return nil
	})
}

// describeBookings appends to out the bookings of list that a may take verb
// on, described for a.
func (s *Service) describeBookings(ctx context.Context, tx *store.Tx, a *auth.Actor, verb access.Verb, list []mediation.Booking, out *[]BookingView) error {
	bc, err := s.bookingContext(ctx, tx)
	if err != nil {
		return err
	}
	for i := range list {
		b := &list[i]
		c, err := bc.caseOf(ctx, tx, b)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, verb, bc.target(b, c)) {
			continue
		}
		v, err := s.bookingView(ctx, tx, a, bc, b, c)
		if err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return nil
}

// Booking returns booking id to whom the policy on bookings lets read it,
// and records the read; ENOTFOUND otherwise. Readers of the case read its
// bookings with CaseBookings.
func (s *Service) Booking(ctx context.Context, a *auth.Actor, id int64, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.loadBooking(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Read, bc.target(b, c)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		v, err = s.bookingView(ctx, tx, a, bc, b, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
		RecordType: bookingRecord, RecordID: strconv.FormatInt(id, 10), CaseID: v.caseID,
		Fields: []string{"logistics"}, Client: client})
}

// loadBooking loads booking id with what describing it needs.
func (s *Service) loadBooking(ctx context.Context, tx *store.Tx, id int64) (*mediation.Booking, *bookingContext, *cases.Case, error) {
	b, err := store.FindBooking(ctx, tx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	bc, err := s.bookingContext(ctx, tx)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := bc.caseOf(ctx, tx, b)
	if err != nil {
		return nil, nil, nil, err
	}
	return b, bc, c, nil
}

// MediatorCandidate is a mediator who fits a booking and is free then, with
// whether the booking falls inside their declared weekly availability and
// whether they declined this booking before.
type MediatorCandidate struct {
	MediatorView
	// WithinSlots is true when the booking falls inside one of the
	// mediator's weekly slots; SlotsDeclared is false when they declared
	// none.
	WithinSlots    bool
	SlotsDeclared  bool
	DeclinedBefore bool
}

// MediatorCandidates returns booking id as a, who must assign it, sees it, and the
// mediators who fit it (mediation.Mediator.Mismatch) and are free then:
// first those whose weekly slots hold it, then those who declared none,
// then the others, those who declined it before last. A booking a may not
// assign is ENOTFOUND. The read of the booking is recorded.
func (s *Service) MediatorCandidates(ctx context.Context, a *auth.Actor, id int64, client string) (*BookingView, []MediatorCandidate, error) {
	var v BookingView
	var out []MediatorCandidate
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.loadBooking(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Manage, bc.target(b, c)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if v, err = s.bookingView(ctx, tx, a, bc, b, c); err != nil {
			return err
		}
		busy, err := store.BusyMediators(ctx, tx, b.StartsAt, b.EndsAt(), b.ID)
		if err != nil {
			return err
		}
		declines, err := store.ListDeclined(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		for _, m := range bc.mediators {
			mv := mediatorView(a, bc.n, &m)
			if busy[m.ID] || !mv.UserActive || m.Mismatch(b, c.AreaID) != "" || m.ID == b.MediatorID {
				continue
			}
			cand := MediatorCandidate{MediatorView: mv}
			cand.WithinSlots, cand.SlotsDeclared = m.AvailableAt(b.StartsAt, b.DurationMinutes)
			cand.DeclinedBefore = slices.ContainsFunc(declines, func(d mediation.Declined) bool { return d.MediatorID == m.ID })
			out = append(out, cand)
		}
		return nil
	})
	rank := func(c MediatorCandidate) int {
		switch {
		case c.DeclinedBefore:
			return 3
		case c.WithinSlots:
			return 0
		case !c.SlotsDeclared:
			return 1
		}
		return 2
	}
	slices.SortFunc(out, func(x, y MediatorCandidate) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), strings.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	if err != nil {
		return nil, nil, err
	}
	return &v, out, s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
		RecordType: bookingRecord, RecordID: strconv.FormatInt(id, 10), CaseID: v.caseID,
		Fields: []string{"logistics"}, Client: client})
}

// AssignMediator gives booking id to mediator profile mediatorID. It
// returns the booking, ENOTFOUND when a may not assign it, EINVALID naming
// "mediator_id" (missing, unknown, or not fitting the booking, see
// mediation.Mediator.Mismatch) or "version", and ECONFLICT when the
// booking is no longer waiting ("error.mediation.cannot_assign"), changed
// since version ("error.mediation.changed"), starts in the past
// ("error.mediation.started"), or when the mediator already holds an
// assigned or confirmed booking that overlaps it
// ("error.mediation.double_booked", naming "mediator_id"); nothing is
// written then. On PostgreSQL the mediator's row is locked while the check
// and the write happen, so that two simultaneous assignments of one
// mediator to overlapping times cannot both pass.
func (s *Service) AssignMediator(ctx context.Context, a *auth.Actor, id, mediatorID int64, version int, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.loadBooking(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Manage, bc.target(b, c)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		var problems []approdo.FieldError
		m, known := bc.mediators[mediatorID]
		switch {
		case mediatorID == 0:
			problems = append(problems, approdo.FieldError{Field: "mediator_id", Message: "error.field.required"})
		case !known:
			problems = append(problems, approdo.FieldError{Field: "mediator_id", Message: "error.field.unknown_reference"})
		}
		if err := checkStep(b, mediation.Assign, version, problems); err != nil {
			return err
		}
		u := bc.n.users[m.UserID]
		mismatch := m.Mismatch(b, c.AreaID)
		if mismatch == "" && (!u.Active || !u.Has(network.Mediator)) {
			mismatch = "error.mediation.inactive"
		}
		if mismatch != "" {
			return approdo.Invalid(approdo.FieldError{Field: "mediator_id", Message: mismatch})
		}
		now := s.Now().UTC()
		if !now.Before(b.StartsAt) {
			return approdo.Errorf(approdo.ECONFLICT, "error.mediation.started")
		}
		if err := store.LockMediator(ctx, tx, m.ID); err != nil {
			return err
		}
		clash, err := store.OverlappingBookings(ctx, tx, m.ID, b.StartsAt, b.EndsAt(), b.ID)
		if err != nil {
			return err
		}
		if len(clash) > 0 {
			o := clash[0]
			start, end := o.StartsAt.In(approdo.Rome), o.EndsAt().In(approdo.Rome)
			return &approdo.Error{Code: approdo.ECONFLICT, Message: "error.mediation.double_booked",
				Args: []any{u.DisplayName, start.Format(mediation.DateLayout), start.Format(mediation.TimeLayout), end.Format(mediation.TimeLayout)},
				Fields: []approdo.FieldError{{Field: "mediator_id", Message: "error.mediation.double_booked_field",
					Args: []any{start.Format(mediation.DateLayout), start.Format(mediation.TimeLayout), end.Format(mediation.TimeLayout)}}}}
		}
		b.State, b.MediatorID, b.AssignedBy, b.AssignedAt, b.ConfirmedAt = mediation.Assigned, m.ID, a.User.ID, now, time.Time{}
		if err := saveBooking(ctx, tx, b, version); err != nil {
			return err
		}
		if err := s.bookingStep(ctx, tx, a, b, c, MediationAssigned, client, "state", "mediator_id"); err != nil {
			return err
		}
		if err := notifyMediator(ctx, tx, "mediation_assigned", a.User.ID, m.UserID); err != nil {
			return err
		}
		v, err = s.bookingView(ctx, tx, a, bc, b, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// bookingStep audits a change of booking b of case c by a, and records its
// event on the case's timeline.
func (s *Service) bookingStep(ctx context.Context, tx *store.Tx, a *auth.Actor, b *mediation.Booking, c *cases.Case,
	kind cases.EventKind, client string, fields ...string) error {
	now := s.Now().UTC()
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
		RecordType: bookingRecord, RecordID: strconv.FormatInt(b.ID, 10), CaseID: c.ID, Fields: fields,
		Client: client}); err != nil {
		return err
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID, Kind: kind, RefID: b.ID,
		Detail: bookingDetail(b)})
}

// mediatorStep loads booking id for its mediator's step: a must take update
// on it (by default, as the mediator it was given to); ENOTFOUND otherwise.
func (s *Service) mediatorStep(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*mediation.Booking, *bookingContext, *cases.Case, error) {
	b, bc, c, err := s.loadBooking(ctx, tx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !auth.Allowed(a, access.Update, bc.target(b, c)) {
		return nil, nil, nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return b, bc, c, nil
}

// ConfirmBooking confirms booking id as its mediator. It returns the
// booking, ENOTFOUND when a may not act on it, EINVALID naming "version",
// and ECONFLICT when it is not waiting for confirmation
// ("error.mediation.cannot_confirm") or changed since version
// ("error.mediation.changed"). The requester is told.
func (s *Service) ConfirmBooking(ctx context.Context, a *auth.Actor, id int64, version int, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.mediatorStep(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := checkStep(b, mediation.Confirm, version, nil); err != nil {
			return err
		}
		b.State, b.ConfirmedAt = mediation.Confirmed, s.Now().UTC()
		if err := saveBooking(ctx, tx, b, version); err != nil {
			return err
		}
		if err := s.bookingStep(ctx, tx, a, b, c, MediationConfirmed, client, "state"); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, c, "mediation_confirmed", a.User.ID, b.RequestedBy); err != nil {
			return err
		}
		v, err = s.bookingView(ctx, tx, a, bc, b, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// DeclineBooking declines booking id as its mediator, with a reason: the
// booking goes back to the requested state, for another mediator, and the
// decline is kept with its reason sealed. It returns the booking as it now
// stands (no longer the mediator's), ENOTFOUND when a may not act on it,
// EINVALID naming "reason" or "version", and ECONFLICT when it is neither
// assigned nor confirmed ("error.mediation.cannot_decline") or changed
// since version ("error.mediation.changed"). The requester is told.
func (s *Service) DeclineBooking(ctx context.Context, a *auth.Actor, id int64, reason string, version int, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.mediatorStep(ctx, tx, a, id)
		if err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if err := checkStep(b, mediation.Decline, version, approdo.ErrorFields(cases.CheckReason("reason", reason))); err != nil {
			return err
		}
		sealed, err := s.Vault.SealString(reason, bookingDeclineAAD(b.ID))
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := store.InsertDeclined(ctx, tx, &mediation.Declined{BookingID: b.ID, MediatorID: b.MediatorID, Reason: sealed, At: now}); err != nil {
			return err
		}
		b.State, b.MediatorID, b.AssignedBy, b.AssignedAt, b.ConfirmedAt = mediation.Requested, 0, 0, time.Time{}, time.Time{}
		if err := saveBooking(ctx, tx, b, version); err != nil {
			return err
		}
		if err := s.bookingStep(ctx, tx, a, b, c, MediationDeclined, client, "state", "mediator_id", "reason"); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, c, "mediation_declined", a.User.ID, b.RequestedBy); err != nil {
			return err
		}
		v, err = s.bookingView(ctx, tx, a, bc, b, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// RecordHours closes booking id as its mediator with the minutes actually
// worked, once the appointment has started. It returns the booking,
// ENOTFOUND when a may not act on it, EINVALID naming "worked_minutes" (see
// mediation.CheckWorked) or "version", and ECONFLICT when it is not
// confirmed ("error.mediation.cannot_finish") or changed since version
// ("error.mediation.changed").
func (s *Service) RecordHours(ctx context.Context, a *auth.Actor, id int64, minutes, version int, client string) (*BookingView, error) {
	var v BookingView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		b, bc, c, err := s.mediatorStep(ctx, tx, a, id)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := checkStep(b, mediation.Finish, version, approdo.ErrorFields(mediation.CheckWorked(b, minutes, now))); err != nil {
			return err
		}
		b.State, b.WorkedMinutes, b.DoneAt = mediation.Done, minutes, now
		if err := saveBooking(ctx, tx, b, version); err != nil {
			return err
		}
		if err := s.bookingStep(ctx, tx, a, b, c, MediationDone, client, "state", "worked_minutes"); err != nil {
			return err
		}
		v, err = s.bookingView(ctx, tx, a, bc, b, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// RecordBooking stores b, whose place and notes are in clear, as a booking
// of its case, with its place and notes sealed, in the state b says, and
// its events on the case's timeline, in tx, with no policy check: it is for
// seeders and importers writing a case's history, not for users. It sets
// b's ID and version.
func RecordBooking(ctx context.Context, tx *store.Tx, v *vault.Vault, b *mediation.Booking) error {
	stored := *b
	var err error
	if stored.Place, err = sealOptional(v, b.Place, bookingPlaceAAD(b.CaseID)); err != nil {
		return err
	}
	if stored.Notes, err = sealOptional(v, b.Notes, bookingNotesAAD(b.CaseID)); err != nil {
		return err
	}
	if stored.CancelReason, err = sealOptional(v, b.CancelReason, bookingCancelAAD(b.CaseID)); err != nil {
		return err
	}
	state := stored.State
	stored.State = mediation.Requested
	if err := store.InsertBooking(ctx, tx, &stored); err != nil {
		return err
	}
	b.ID = stored.ID
	event := func(kind cases.EventKind, at time.Time, actor int64) error {
		return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: b.CaseID, At: at, ActorID: actor, Kind: kind,
			RefID: b.ID, Detail: bookingDetail(b)})
	}
	if err := event(MediationRequested, b.CreatedAt, b.RequestedBy); err != nil {
		return err
	}
	if state == mediation.Requested {
		b.Version = stored.Version
		return nil
	}
	stored.State = state
	if err := store.SaveBooking(ctx, tx, &stored, stored.Version); err != nil {
		return err
	}
	b.Version = stored.Version
	if !b.AssignedAt.IsZero() {
		if err := event(MediationAssigned, b.AssignedAt, b.AssignedBy); err != nil {
			return err
		}
	}
	if !b.CancelledAt.IsZero() {
		return event(MediationCancelled, b.CancelledAt, b.CancelledBy)
	}
	return nil
}
