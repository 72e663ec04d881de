package mediation_test

import (
	"slices"
	"testing"
	"time"

	"approdo"
	"approdo/mediation"
)

// fields returns the fields err names.
func fields(err error) []string {
	var out []string
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestNewBookingChecksEveryField(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, approdo.Rome)
	good := mediation.Request{Language: "TIR", Purpose: mediation.Interview, Date: "2026-11-23", StartTime: "09:30",
		DurationMinutes: 90, Place: "Servizio sociale, via Roma 1", MediatorGender: mediation.Female}
	b, err := mediation.NewBooking(good, now)
	if err != nil {
		t.Fatal(err)
	}
	if b.Language != "ti" || b.State != mediation.Requested {
		t.Errorf("language %q, state %q", b.Language, b.State)
	}
	if want := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC); !b.StartsAt.Equal(want) || b.StartsAt.Location() != time.UTC {
		t.Errorf("starts at %v, want %v in UTC", b.StartsAt, want)
	}
	if !b.EndsAt().Equal(b.StartsAt.Add(90 * time.Minute)) {
		t.Errorf("ends at %v", b.EndsAt())
	}

	remote := good
	remote.Remote, remote.Place = true, ""
	if _, err := mediation.NewBooking(remote, now); err != nil {
		t.Errorf("a call needs no place: %v", err)
	}

	for _, tc := range []struct {
		name   string
		change func(r *mediation.Request)
		want   []string
		msg    string
	}{
		{"no language", func(r *mediation.Request) { r.Language = " " }, []string{"language"}, "error.field.required"},
		{"unknown language", func(r *mediation.Request) { r.Language = "xx" }, []string{"language"}, "error.field.language_code"},
		{"no purpose", func(r *mediation.Request) { r.Purpose = "" }, []string{"purpose"}, "error.field.required"},
		{"unknown purpose", func(r *mediation.Request) { r.Purpose = "party" }, []string{"purpose"}, "error.field.unknown_value"},
		{"no date", func(r *mediation.Request) { r.Date = "" }, []string{"date"}, "error.field.required"},
		{"bad date", func(r *mediation.Request) { r.Date = "23/11/2026" }, []string{"date"}, "error.field.date"},
		{"past date", func(r *mediation.Request) { r.Date = "2026-11-19" }, []string{"date"}, "error.mediation.past"},
		{"earlier today", func(r *mediation.Request) { r.Date, r.StartTime = "2026-11-20", "09:59" }, []string{"date"}, "error.mediation.past"},
		{"years ahead", func(r *mediation.Request) { r.Date = "2029-01-01" }, []string{"date"}, "error.mediation.too_far"},
		{"bad time", func(r *mediation.Request) { r.StartTime = "9.30" }, []string{"start_time"}, "error.mediation.time"},
		{"zero duration", func(r *mediation.Request) { r.DurationMinutes = 0 }, []string{"duration_minutes"}, "error.mediation.duration"},
		{"endless", func(r *mediation.Request) { r.DurationMinutes = mediation.MaxDuration + 1 }, []string{"duration_minutes"}, "error.mediation.duration"},
		{"no place", func(r *mediation.Request) { r.Place = "" }, []string{"place"}, "error.mediation.place_required"},
		{"long notes", func(r *mediation.Request) { r.Notes = string(make([]byte, mediation.MaxNotes+1)) }, []string{"notes"}, "error.field.too_long"},
		{"unknown gender", func(r *mediation.Request) { r.MediatorGender = "any" }, []string{"mediator_gender"}, "error.field.unknown_value"},
	} {
		r := good
		tc.change(&r)
		b, err := mediation.NewBooking(r, now)
		if b != nil || approdo.ErrorCode(err) != approdo.EINVALID {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := fields(err); !slices.Equal(got, tc.want) {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.want)
		}
		if got := approdo.ErrorFields(err)[0].Message; got != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, got, tc.msg)
		}
	}
	if _, err := mediation.NewBooking(mediation.Request{}, now); len(fields(err)) != 6 {
		t.Errorf("an empty request names %v", fields(err))
	}
}

func TestStatesFollowTheBookingsLife(t *testing.T) {
	for _, tc := range []struct {
		from mediation.State
		step mediation.Step
		to   mediation.State
		ok   bool
	}{
		{mediation.Requested, mediation.Assign, mediation.Assigned, true},
		{mediation.Assigned, mediation.Assign, mediation.Assigned, false},
		{mediation.Assigned, mediation.Confirm, mediation.Confirmed, true},
		{mediation.Requested, mediation.Confirm, mediation.Requested, false},
		{mediation.Assigned, mediation.Decline, mediation.Requested, true},
		{mediation.Confirmed, mediation.Decline, mediation.Requested, true},
		{mediation.Confirmed, mediation.Finish, mediation.Done, true},
		{mediation.Assigned, mediation.Finish, mediation.Assigned, false},
		{mediation.Requested, mediation.Cancel, mediation.Cancelled, true},
		{mediation.Confirmed, mediation.Cancel, mediation.Cancelled, true},
		{mediation.Done, mediation.Cancel, mediation.Done, false},
		{mediation.Cancelled, mediation.Assign, mediation.Cancelled, false},
	} {
		to, ok := tc.from.Next(tc.step)
		if to != tc.to || ok != tc.ok {
			t.Errorf("%s from %s: %s %v, want %s %v", tc.step, tc.from, to, ok, tc.to, tc.ok)
		}
		err := tc.from.Refusal(tc.step)
		if tc.ok != (err == nil) || !tc.ok && approdo.ErrorCode(err) != approdo.ECONFLICT {
			t.Errorf("%s from %s: refusal %v", tc.step, tc.from, err)
		}
	}
	for _, s := range mediation.States {
		if s.Books() != (s == mediation.Assigned || s == mediation.Confirmed) {
			t.Errorf("%s books its mediator: %v", s, s.Books())
		}
	}
}

func TestOverlapsIsHalfOpen(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		a1, a2, b1, b2 time.Time
		want           bool
	}{
		{at(9, 0), at(10, 0), at(10, 0), at(11, 0), false},
		{at(9, 0), at(10, 0), at(9, 59), at(11, 0), true},
		{at(9, 0), at(12, 0), at(10, 0), at(11, 0), true},
		{at(10, 0), at(11, 0), at(9, 0), at(10, 0), false},
		{at(10, 0), at(11, 0), at(8, 0), at(10, 1), true},
	} {
		if got := mediation.Overlaps(tc.a1, tc.a2, tc.b1, tc.b2); got != tc.want {
			t.Errorf("[%s, %s) and [%s, %s): %v", tc.a1.Format("15:04"), tc.a2.Format("15:04"),
				tc.b1.Format("15:04"), tc.b2.Format("15:04"), got)
		}
	}
}

func TestMismatchNamesWhyAMediatorDoesNotFit(t *testing.T) {
	m := &mediation.Mediator{Languages: []string{"ar", "fr"}, AreaIDs: []int64{1}, Gender: mediation.Male, Active: true}
	b := &mediation.Booking{Language: "ar"}
	if got := m.Mismatch(b, 1); got != "" {
		t.Errorf("a fitting mediator: %s", got)
	}
	for _, tc := range []struct {
		b    mediation.Booking
		area int64
		want string
	}{
		{mediation.Booking{Language: "ti"}, 1, "error.mediation.no_language"},
		{mediation.Booking{Language: "ar", MediatorGender: mediation.Female}, 1, "error.mediation.gender"},
		{mediation.Booking{Language: "ar"}, 2, "error.mediation.no_area"},
		{mediation.Booking{Language: "ar", Remote: true}, 2, ""},
	} {
		if got := m.Mismatch(&tc.b, tc.area); got != tc.want {
			t.Errorf("%+v in area %d: %q, want %q", tc.b, tc.area, got, tc.want)
		}
	}
	m.Active = false
	if got := m.Mismatch(b, 1); got != "error.mediation.inactive" {
		t.Errorf("an inactive mediator: %q", got)
	}
}

func TestProfileAndAvailability(t *testing.T) {
	var m mediation.Mediator
	err := mediation.CheckProfile(mediation.Profile{Languages: []string{"Arabic", "ar", "ara", "fre"}, AreaIDs: []int64{2, 2, 3},
		Gender: mediation.Female, Active: true, Slots: []mediation.SlotInput{
			{Weekday: 3, From: "14:00", To: "18:00"}, {Weekday: 1, From: "09:00", To: "13:00"}, {}}}, &m)
	if approdo.ErrorCode(err) != approdo.EINVALID || !slices.Equal(fields(err), []string{"languages"}) {
		t.Fatalf("a language by its name: %v", err)
	}
	err = mediation.CheckProfile(mediation.Profile{Languages: []string{"ar", "ara", "fre", ""}, AreaIDs: []int64{2, 2, 3},
		Gender: mediation.Female, Active: true, Slots: []mediation.SlotInput{
			{Weekday: 3, From: "14:00", To: "18:00"}, {Weekday: 1, From: "09:00", To: "13:00"}, {}}}, &m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Languages, []string{"ar", "fr"}) || !slices.Equal(m.AreaIDs, []int64{2, 3}) {
		t.Errorf("languages %v, areas %v", m.Languages, m.AreaIDs)
	}
	if len(m.Slots) != 2 || m.Slots[0] != (mediation.Slot{Weekday: 1, From: 540, To: 780}) {
		t.Errorf("slots %+v", m.Slots)
	}
	// Monday 23 November 2026, 10:00 in Rome, for an hour: inside the slot;
	// from 12:30 for an hour: past its end.
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, approdo.Rome).UTC()
	if within, declared := m.AvailableAt(monday, 60); !within || !declared {
		t.Errorf("Monday 10:00: %v %v", within, declared)
	}
	if within, _ := m.AvailableAt(monday.Add(150*time.Minute), 60); within {
		t.Error("Monday 12:30 for an hour is inside a slot that ends at 13:00")
	}
	if _, declared := (&mediation.Mediator{}).AvailableAt(monday, 60); declared {
		t.Error("no slot declared, yet availability is known")
	}

	err = mediation.CheckProfile(mediation.Profile{Gender: "robot", Dialects: string(make([]rune, mediation.MaxDialects+1)),
		Slots: []mediation.SlotInput{{Weekday: 8, From: "9", To: "10:00"}, {Weekday: 2, From: "10:00", To: "09:00"},
			{Weekday: 4, From: "09:00", To: "12:00"}, {Weekday: 4, From: "11:00", To: "13:00"}, {Weekday: 5, From: "09:00"}}}, &m)
	want := []string{"languages", "dialects", "area_ids", "gender", "slots.0.weekday", "slots.0.from", "slots.1.to",
		"slots.4.to", "slots.3.to"}
	if got := fields(err); !slices.Equal(got, want) {
		t.Errorf("a bad profile names %v, want %v", got, want)
	}
}

func TestWorkedMinutes(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := &mediation.Booking{StartsAt: start, DurationMinutes: 60}
	if err := mediation.CheckWorked(b, 75, start.Add(2*time.Hour)); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		minutes int
		now     time.Time
		msg     string
	}{
		{0, start.Add(time.Hour), "error.mediation.worked"},
		{mediation.MaxWorked + 1, start.Add(time.Hour), "error.mediation.worked"},
		{60, start.Add(-time.Minute), "error.mediation.too_early"},
	} {
		err := mediation.CheckWorked(b, tc.minutes, tc.now)
		if f := approdo.ErrorFields(err); len(f) != 1 || f[0].Field != "worked_minutes" || f[0].Message != tc.msg {
			t.Errorf("%d minutes at %v: %v", tc.minutes, tc.now, err)
		}
	}
	if got := mediation.Clock(24 * 60); got != "24:00" {
		t.Errorf("the end of the day: %s", got)
	}
}
