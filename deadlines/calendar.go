// Package deadlines holds the legal and protocol clocks of a case as data:
// the Italian calendar they are counted on (Europe/Rome, working days and
// national holidays) and the rules that say which event starts a clock,
// how long it runs, who answers for it and which event stops it.
package deadlines

import (
	"time"

	"approdo"
)

// Holiday is an Italian national holiday on a fixed day of the year, from
// the year From (0: always) to the year Until (0: still).
type Holiday struct {
	Month time.Month
	Day   int
	From  int
	Until int
	Name  string
}

// Holidays are the national holidays on a fixed date (L. 260/1949 and its
// changes); Easter Monday moves and is computed by Easter. The list is data
// so that a change of the law is one line: St Francis' day (4 October) is
// a national holiday again from 2026 (L. 151/2025).
var Holidays = []Holiday{
	{Month: time.January, Day: 1, Name: "Capodanno"},
	{Month: time.January, Day: 6, Name: "Epifania"},
	{Month: time.April, Day: 25, Name: "Festa della Liberazione"},
	{Month: time.May, Day: 1, Name: "Festa del lavoro"},
	{Month: time.June, Day: 2, Name: "Festa della Repubblica"},
	{Month: time.August, Day: 15, Name: "Ferragosto"},
	{Month: time.October, Day: 4, From: 2026, Name: "San Francesco d'Assisi"},
	{Month: time.November, Day: 1, Name: "Ognissanti"},
	{Month: time.December, Day: 8, Name: "Immacolata Concezione"},
	{Month: time.December, Day: 25, Name: "Natale"},
	{Month: time.December, Day: 26, Name: "Santo Stefano"},
}

// Easter returns the day of Easter Sunday of the Gregorian year, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher), at midnight in Rome.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, approdo.Rome)
}

// HolidayOn reports whether the day of t, in Rome, is a national holiday, and
// its name.
func HolidayOn(t time.Time) (string, bool) {
	t = t.In(approdo.Rome)
	y, m, d := t.Date()
	for _, h := range Holidays {
		if h.Month == m && h.Day == d && (h.From == 0 || y >= h.From) && (h.Until == 0 || y <= h.Until) {
			return h.Name, true
		}
	}
	if em := Easter(y).AddDate(0, 0, 1); em.Month() == m && em.Day() == d {
		return "Lunedì dell'Angelo", true
	}
	return "", false
}

// WorkingDay reports whether the day of t, in Rome, is a working day: not
// a Saturday, a Sunday or a national holiday.
func WorkingDay(t time.Time) bool {
	t = t.In(approdo.Rome)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := HolidayOn(t)
	return !holiday
}

// wallDate returns the day y-m-d at the wall-clock time of t, in Rome.
func wallDate(t time.Time, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), approdo.Rome)
}

// AddDays returns t moved by n calendar days in Rome, keeping its
// wall-clock time across a change of daylight-saving time.
func AddDays(t time.Time, n int) time.Time {
	t = t.In(approdo.Rome)
	y, m, d := t.Date()
	return wallDate(t, y, m, d+n)
}

// AddWorkingDays returns t moved by n working days in Rome (backwards when
// n is negative), keeping its wall-clock time: the n-th working day after
// the day of t.
func AddWorkingDays(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		t = AddDays(t, step)
		if WorkingDay(t) {
			n--
		}
	}
	return t.In(approdo.Rome)
}

// AddMonths returns t moved by n calendar months in Rome, keeping its
// wall-clock time; a day the target month lacks becomes its last day
// (31 January plus one month is 28 or 29 February).
func AddMonths(t time.Time, n int) time.Time {
	t = t.In(approdo.Rome)
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, approdo.Rome)
	last := first.AddDate(0, 1, -1).Day()
	return wallDate(t, first.Year(), first.Month(), min(d, last))
}

// Unit is the unit an offset is counted in.
type Unit string

// The units of an offset.
const (
	Hours       Unit = "hours"        // real hours: 24 hours across a DST change is 24 hours
	Days        Unit = "days"         // calendar days, keeping the wall-clock time
	WorkingDays Unit = "working_days" // working days, keeping the wall-clock time
	Months      Unit = "months"       // calendar months, clamped to the month's last day
)

// Units lists the units, in the order forms show them.
var Units = []Unit{Hours, Days, WorkingDays, Months}

// Valid reports whether u is one of Units.
func (u Unit) Valid() bool {
	for _, v := range Units {
		if u == v {
			return true
		}
	}
	return false
}

// Offset is how long after (or, negative, before) its start a clock
// falls due.
type Offset struct {
	Amount int
	Unit   Unit
}

// From returns the moment the offset falls due after start, counted in
// Europe/Rome. An unknown unit leaves start as it is.
func (o Offset) From(start time.Time) time.Time {
	switch o.Unit {
	case Hours:
		return start.Add(time.Duration(o.Amount) * time.Hour).In(approdo.Rome)
	case Days:
		return AddDays(start, o.Amount)
	case WorkingDays:
		return AddWorkingDays(start, o.Amount)
	case Months:
		return AddMonths(start, o.Amount)
	}
	return start
}
