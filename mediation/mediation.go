// Package mediation describes linguistic and cultural mediation
// ("mediazione linguistico-culturale"): the registry of mediators, with
// the languages and dialects they speak, the areas they serve, their
// gender as they declare it and their weekly availability; and the
// bookings asked from a case for an interview or an appointment, which a
// coordinator assigns to a mediator who is free, the mediator confirms or
// declines, and the mediator closes with the minutes actually worked.
//
// A booking is seen by its mediator as logistics only: when, where, how
// long, which language, who asks and how to reach them. Nothing of the
// case file reaches the mediator.
package mediation

import (
	"slices"
	"time"

	"approdo"
)

// Gender is a gender as a mediator declares it, and the gender a booking
// may ask for, since a person may ask for a mediator of a given gender.
type Gender string

// The genders a mediator may declare and a booking may ask for.
const (
	Female    Gender = "female"
	Male      Gender = "male"
	NonBinary Gender = "non_binary"
)

// Genders lists the genders in the order forms show them.
var Genders = []Gender{Female, Male, NonBinary}

// Valid reports whether g is one of Genders.
func (g Gender) Valid() bool { return slices.Contains(Genders, g) }

// Slot is a weekly span in which a mediator is usually available: a
// weekday, 1 for Monday to 7 for Sunday, and minutes from midnight in
// Europe/Rome, From included, To excluded.
type Slot struct {
	Weekday  int
	From, To int
}

// Mediator is the registry's profile of a user with the mediator role.
type Mediator struct {
	ID     int64
	UserID int64
	// Languages are the ISO 639 codes of the languages spoken, in their
	// canonical form (refdata.Language.Code).
	Languages []string
	// Dialects names the varieties spoken, in the mediator's words, such
	// as "arabo egiziano, tigrino dell'altopiano".
	Dialects string
	AreaIDs  []int64
	// Gender is as the mediator declares it; "" when they did not say.
	Gender Gender
	Slots  []Slot
	// AvailabilityNotes says in words what the slots cannot, such as
	// "evenings only by phone".
	AvailabilityNotes string
	// Active mediators take bookings; an inactive one stays in the
	// registry with their history.
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Speaks reports whether m speaks the language of canonical code lang.
func (m *Mediator) Speaks(lang string) bool { return slices.Contains(m.Languages, lang) }

// Serves reports whether m works in area.
func (m *Mediator) Serves(area int64) bool { return slices.Contains(m.AreaIDs, area) }

// AvailableAt reports whether the span of minutes from start falls inside
// one of m's weekly slots, read in Europe/Rome. A mediator who declared no
// slot is not known to be unavailable: declared is false then.
func (m *Mediator) AvailableAt(start time.Time, minutes int) (within, declared bool) {
	if len(m.Slots) == 0 {
		return false, false
	}
	local := start.In(approdo.Rome)
	weekday := int(local.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	from := local.Hour()*60 + local.Minute()
	for _, s := range m.Slots {
		if s.Weekday == weekday && s.From <= from && from+minutes <= s.To {
			return true, true
		}
	}
	return false, true
}

// Mismatch returns why m cannot be given booking b of a case in area, as a
// catalogue key of a problem with the field "mediator_id", or "" when m
// fits: m must take bookings, speak b's language, be of the gender b asks
// for, and serve the case's area unless the booking is a call.
func (m *Mediator) Mismatch(b *Booking, area int64) string {
	switch {
	case !m.Active:
		return "error.mediation.inactive"
	case !m.Speaks(b.Language):
		return "error.mediation.no_language"
	case b.MediatorGender != "" && m.Gender != b.MediatorGender:
		return "error.mediation.gender"
	case !b.Remote && !m.Serves(area):
		return "error.mediation.no_area"
	}
	return ""
}

// Purpose is what a booking is for.
type Purpose string

// The purposes of a booking.
const (
	Interview Purpose = "interview" // an interview of the case's team with the person
	Health    Purpose = "health"    // a health appointment
	School    Purpose = "school"    // a meeting at school
	Court     Purpose = "court"     // a hearing
	Other     Purpose = "other"
)

// Purposes lists the purposes in the order forms show them.
var Purposes = []Purpose{Interview, Health, School, Court, Other}

// Valid reports whether p is one of Purposes.
func (p Purpose) Valid() bool { return slices.Contains(Purposes, p) }

// State is where a booking stands.
type State string

// The states of a booking. A decline by the mediator is not a state: it
// sends the booking back to Requested, and is kept with its reason.
const (
	Requested State = "requested"
	Assigned  State = "assigned"
	Confirmed State = "confirmed"
	Done      State = "done"
	Cancelled State = "cancelled"
)

// States lists the states in their order.
var States = []State{Requested, Assigned, Confirmed, Done, Cancelled}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Books reports whether a booking in state s holds its mediator's time:
// assigned or confirmed.
func (s State) Books() bool { return s == Assigned || s == Confirmed }

// Open reports whether a booking in state s may still take place.
func (s State) Open() bool { return s == Requested || s == Assigned || s == Confirmed }

// Step is a change of a booking's state.
type Step string

// The steps of a booking.
const (
	Assign  Step = "assign"  // a coordinator gives it to a mediator
	Confirm Step = "confirm" // the mediator accepts it
	Decline Step = "decline" // the mediator refuses it, with a reason
	Finish  Step = "finish"  // the mediator records the minutes worked
	Cancel  Step = "cancel"  // the requester calls it off, with a reason
)

// transitions are the states each step starts from, and where it leads.
var transitions = map[Step]struct {
	from    []State
	to      State
	refusal string // the catalogue key of the step taken from another state
}{
	Assign:  {[]State{Requested}, Assigned, "error.mediation.cannot_assign"},
	Confirm: {[]State{Assigned}, Confirmed, "error.mediation.cannot_confirm"},
	Decline: {[]State{Assigned, Confirmed}, Requested, "error.mediation.cannot_decline"},
	Finish:  {[]State{Confirmed}, Done, "error.mediation.cannot_finish"},
	Cancel:  {[]State{Requested, Assigned, Confirmed}, Cancelled, "error.mediation.cannot_cancel"},
}

// Next returns the state step leads a booking in state s to, and whether
// the step may be taken from s.
func (s State) Next(step Step) (State, bool) {
	t, ok := transitions[step]
	if !ok || !slices.Contains(t.from, s) {
		return s, false
	}
	return t.to, true
}

// Refusal returns the ECONFLICT error of step taken on a booking in a
// state it cannot start from ("error.mediation.cannot_<step>"), or nil when
// it may.
func (s State) Refusal(step Step) error {
	if _, ok := s.Next(step); ok {
		return nil
	}
	return approdo.Errorf(approdo.ECONFLICT, transitions[step].refusal)
}

// Booking is a request for a mediator for one appointment of a case.
// Place, Notes and CancelReason are sealed at rest, as a place may be the
// person's home.
type Booking struct {
	ID             int64
	CaseID         int64
	RequestedBy    int64
	RequesterOrgID int64
	// Language is the canonical ISO 639 code of the language needed.
	Language        string
	Purpose         Purpose
	StartsAt        time.Time
	DurationMinutes int
	// Remote is a phone or video call, which any mediator may take
	// whatever the area; Place then says how to join, if anything.
	Remote bool
	Place  string
	Notes  string
	// MediatorGender is the gender the person asked for, or "".
	MediatorGender Gender
	State          State
	MediatorID     int64
	AssignedBy     int64
	AssignedAt     time.Time
	ConfirmedAt    time.Time
	WorkedMinutes  int
	DoneAt         time.Time
	CancelReason   string
	CancelledBy    int64
	CancelledAt    time.Time
	CreatedAt      time.Time
	Version        int
}

// EndsAt returns when the booking's time ends: its start and duration.
func (b *Booking) EndsAt() time.Time {
	return b.StartsAt.Add(time.Duration(b.DurationMinutes) * time.Minute)
}

// Overlaps reports whether the spans [aStart, aEnd) and [bStart, bEnd)
// share a minute: an appointment may start when another ends.
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// Declined is a mediator's decline of a booking, kept when the booking goes
// back to the requested state.
type Declined struct {
	BookingID  int64
	MediatorID int64
	Reason     string // sealed at rest
	At         time.Time
}
