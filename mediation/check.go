package mediation

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/refdata"
)

// The bounds of what a booking and a profile hold.
const (
	// MinDuration and MaxDuration bound a booking's length, in minutes.
	MinDuration = 15
	MaxDuration = 600
	// MaxWorked bounds the minutes worked recorded for one booking.
	MaxWorked = 900
	MaxPlace  = 300
	MaxNotes  = 1000
	// MaxDialects bounds the dialects a profile names, in characters.
	MaxDialects = 300
	// MaxLanguages bounds the languages of a profile.
	MaxLanguages = 12
	// MaxSlots bounds the weekly slots of a profile: three a day.
	MaxSlots = 21
	// MaxAhead bounds how far ahead a booking is made.
	MaxAhead = 2 * 365 * 24 * time.Hour
)

// Layouts of the date and the time a booking is asked for, as HTML date and
// time inputs and the API send them.
const (
	DateLayout = "2006-01-02"
	TimeLayout = "15:04"
)

// problems collects field problems.
type problems []approdo.FieldError

func (p *problems) add(field, message string, args ...any) {
	*p = append(*p, approdo.FieldError{Field: field, Message: message, Args: args})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return approdo.Invalid(p...)
}

// text checks an optional text against its longest length.
func (p *problems) text(field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		p.add(field, "error.field.too_long", max)
	}
}

// Request is a booking as its requester writes it: the date and the time in
// Europe/Rome as the forms and the API send them.
type Request struct {
	Language        string
	Purpose         Purpose
	Date            string // 2006-01-02
	StartTime       string // 15:04
	DurationMinutes int
	Remote          bool
	Place           string
	Notes           string
	MediatorGender  Gender
}

// NewBooking checks r at now and returns the booking it asks for, with its
// language in canonical form and its start in UTC. It returns EINVALID
// naming each field at fault: "language" missing or not an ISO 639 code
// Approdo knows, "purpose" missing or unknown, "date" and "start_time"
// missing or unreadable, "date" in the past or more than two years ahead,
// "duration_minutes" outside MinDuration..MaxDuration, "place" missing for
// an appointment in person or too long, "notes" too long,
// "mediator_gender" unknown.
func NewBooking(r Request, now time.Time) (*Booking, error) {
	var p problems
	b := &Booking{Purpose: r.Purpose, DurationMinutes: r.DurationMinutes, Remote: r.Remote,
		Place: strings.TrimSpace(r.Place), Notes: strings.TrimSpace(r.Notes), MediatorGender: r.MediatorGender,
		State: Requested}
	switch code := strings.TrimSpace(r.Language); {
	case code == "":
		p.add("language", "error.field.required")
	default:
		if l, ok := refdata.LookupLanguage(code); ok {
			b.Language = l.Code()
		} else {
			p.add("language", "error.field.language_code", code)
		}
	}
	switch {
	case r.Purpose == "":
		p.add("purpose", "error.field.required")
	case !r.Purpose.Valid():
		p.add("purpose", "error.field.unknown_value")
	}
	day, dayErr := time.ParseInLocation(DateLayout, strings.TrimSpace(r.Date), approdo.Rome)
	switch {
	case strings.TrimSpace(r.Date) == "":
		p.add("date", "error.field.required")
	case dayErr != nil:
		p.add("date", "error.field.date")
	}
	clock, clockErr := time.Parse(TimeLayout, strings.TrimSpace(r.StartTime))
	switch {
	case strings.TrimSpace(r.StartTime) == "":
		p.add("start_time", "error.field.required")
	case clockErr != nil:
		p.add("start_time", "error.mediation.time")
	}
	if dayErr == nil && clockErr == nil && r.Date != "" && r.StartTime != "" {
		b.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, approdo.Rome).UTC()
		switch {
		case b.StartsAt.Before(now):
			p.add("date", "error.mediation.past")
		case b.StartsAt.After(now.Add(MaxAhead)):
			p.add("date", "error.mediation.too_far")
		}
	}
	if r.DurationMinutes < MinDuration || r.DurationMinutes > MaxDuration {
		p.add("duration_minutes", "error.mediation.duration", MinDuration, MaxDuration)
	}
	if b.Place == "" && !b.Remote {
		p.add("place", "error.mediation.place_required")
	}
	p.text("place", b.Place, MaxPlace)
	p.text("notes", b.Notes, MaxNotes)
	if b.MediatorGender != "" && !b.MediatorGender.Valid() {
		p.add("mediator_gender", "error.field.unknown_value")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return b, nil
}

// SlotInput is a weekly slot as a form or the API writes it.
type SlotInput struct {
	Weekday  int
	From, To string // 15:04
}

// Profile is what a mediator's profile says, as its editor writes it.
type Profile struct {
	Languages         []string
	Dialects          string
	AreaIDs           []int64
	Gender            Gender
	Slots             []SlotInput
	AvailabilityNotes string
	Active            bool
}

// CheckProfile checks p and returns its languages in canonical form, without
// repeats, and its areas without repeats, into m. It returns EINVALID naming
// "languages" (none, too many, or a code Approdo does not know),
// "dialects" too long, "area_ids" empty, "gender" unknown, and the
// problems of the availability (see CheckAvailability).
func CheckProfile(p Profile, m *Mediator) error {
	var pr problems
	m.Languages = nil
	for _, code := range p.Languages {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		l, ok := refdata.LookupLanguage(code)
		if !ok {
			pr.add("languages", "error.field.language_code", code)
			continue
		}
		if !slices.Contains(m.Languages, l.Code()) {
			m.Languages = append(m.Languages, l.Code())
		}
	}
	switch {
	case len(m.Languages) == 0 && len(pr) == 0:
		pr.add("languages", "error.field.required")
	case len(m.Languages) > MaxLanguages:
		pr.add("languages", "error.field.too_many", MaxLanguages)
	}
	m.Dialects = strings.TrimSpace(p.Dialects)
	pr.text("dialects", m.Dialects, MaxDialects)
	m.AreaIDs = nil
	for _, id := range p.AreaIDs {
		if id > 0 && !slices.Contains(m.AreaIDs, id) {
			m.AreaIDs = append(m.AreaIDs, id)
		}
	}
	if len(m.AreaIDs) == 0 {
		pr.add("area_ids", "error.field.required")
	}
	m.Gender = p.Gender
	if p.Gender != "" && !p.Gender.Valid() {
		pr.add("gender", "error.field.unknown_value")
	}
	m.Active = p.Active
	if err := CheckAvailability(p.Slots, p.AvailabilityNotes, m); err != nil {
		pr = append(pr, approdo.ErrorFields(err)...)
	}
	return pr.err()
}

// CheckAvailability checks weekly slots and notes and puts them, slots
// sorted by weekday and time, into m. A slot left wholly empty, as a form
// sends it, is skipped. It returns EINVALID naming "slots" (too many),
// "slots.N.weekday" unknown, "slots.N.from" and "slots.N.to" missing or
// unreadable, "slots.N.to" not after the start or overlapping another
// slot of the day, and "availability_notes" too long.
func CheckAvailability(in []SlotInput, notes string, m *Mediator) error {
	var p problems
	var slots []Slot
	rows := map[int]int{} // index in slots -> row of the input
	for i, s := range in {
		from, to := strings.TrimSpace(s.From), strings.TrimSpace(s.To)
		if from == "" && to == "" {
			continue
		}
		prefix := "slots." + strconv.Itoa(i) + "."
		ok := true
		if s.Weekday < 1 || s.Weekday > 7 {
			p.add(prefix+"weekday", "error.field.unknown_value")
			ok = false
		}
		f, fok := minutes(from)
		t, tok := minutes(to)
		if to == "24:00" {
			t, tok = 24*60, true
		}
		for _, x := range []struct {
			field, value string
			ok           bool
		}{{"from", from, fok}, {"to", to, tok}} {
			switch {
			case x.value == "":
				p.add(prefix+x.field, "error.field.required")
				ok = false
			case !x.ok:
				p.add(prefix+x.field, "error.mediation.time")
				ok = false
			}
		}
		if ok && t <= f {
			p.add(prefix+"to", "error.mediation.slot_order")
			ok = false
		}
		if ok {
			rows[len(slots)] = i
			slots = append(slots, Slot{Weekday: s.Weekday, From: f, To: t})
		}
	}
	if len(slots) > MaxSlots {
		p.add("slots", "error.field.too_many", MaxSlots)
	}
	for i, a := range slots {
		for _, b := range slots[:i] {
			if a.Weekday == b.Weekday && a.From < b.To && b.From < a.To {
				p.add("slots."+strconv.Itoa(rows[i])+".to", "error.mediation.slot_overlap")
				break
			}
		}
	}
	notes = strings.TrimSpace(notes)
	p.text("availability_notes", notes, MaxNotes)
	if err := p.err(); err != nil {
		return err
	}
	slices.SortFunc(slots, func(a, b Slot) int {
		if a.Weekday != b.Weekday {
			return a.Weekday - b.Weekday
		}
		return a.From - b.From
	})
	m.Slots, m.AvailabilityNotes = slots, notes
	return nil
}

// CheckWorked checks the minutes worked on booking b, recorded at now: from
// 1 to MaxWorked, and only once the appointment has started. It returns
// EINVALID naming "worked_minutes".
func CheckWorked(b *Booking, minutes int, now time.Time) error {
	switch {
	case minutes < 1 || minutes > MaxWorked:
		return approdo.Invalid(approdo.FieldError{Field: "worked_minutes", Message: "error.mediation.worked", Args: []any{MaxWorked}})
	case now.Before(b.StartsAt):
		return approdo.Invalid(approdo.FieldError{Field: "worked_minutes", Message: "error.mediation.too_early"})
	}
	return nil
}

// minutes reads "15:04" as minutes from midnight.
func minutes(s string) (int, bool) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Clock writes minutes from midnight as "15:04", and the end of the day as
// "24:00".
func Clock(m int) string {
	if m >= 24*60 {
		return "24:00"
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute).Format(TimeLayout)
}
