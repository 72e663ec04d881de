package deadlines_test

import (
	"testing"
	"time"

	"approdo"
	"approdo/deadlines"
)

func rome(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, approdo.Rome)
}

func TestEaster(t *testing.T) {
	for _, tc := range []struct {
		year  int
		month time.Month
		day   int
	}{
		{2000, time.April, 23}, {2008, time.March, 23}, {2011, time.April, 24}, {2019, time.April, 21},
		{2024, time.March, 31}, {2025, time.April, 20}, {2026, time.April, 5}, {2027, time.March, 28},
		{2038, time.April, 25},
	} {
		got := deadlines.Easter(tc.year)
		if got.Month() != tc.month || got.Day() != tc.day {
			t.Errorf("Easter %d = %s, want %d %s", tc.year, got.Format("2 Jan"), tc.day, tc.month)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want bool
		why  string
	}{
		{rome(2026, 1, 1, 9, 0), false, "New Year"},
		{rome(2026, 1, 6, 9, 0), false, "Epiphany"},
		{rome(2026, 4, 6, 9, 0), false, "Easter Monday 2026"},
		{rome(2025, 4, 21, 9, 0), false, "Easter Monday 2025"},
		{rome(2025, 4, 22, 9, 0), true, "the Tuesday after Easter"},
		{rome(2026, 4, 25, 9, 0), false, "Liberation Day (a Saturday too)"},
		{rome(2025, 4, 25, 9, 0), false, "Liberation Day"},
		{rome(2026, 5, 1, 9, 0), false, "Labour Day"},
		{rome(2026, 6, 2, 9, 0), false, "Republic Day"},
		{rome(2026, 8, 14, 9, 0), true, "the day before Ferragosto"},
		{rome(2025, 8, 15, 9, 0), false, "Ferragosto"},
		{rome(2025, 10, 3, 9, 0), true, "a Friday in October"},
		{rome(2027, 10, 4, 9, 0), false, "St Francis, a holiday from 2026"},
		{rome(2021, 10, 4, 9, 0), true, "St Francis before 2026"},
		{rome(2025, 11, 1, 9, 0), false, "All Saints (a Saturday)"},
		{rome(2027, 11, 1, 9, 0), false, "All Saints"},
		{rome(2025, 12, 8, 9, 0), false, "Immaculate Conception"},
		{rome(2025, 12, 25, 9, 0), false, "Christmas"},
		{rome(2025, 12, 26, 9, 0), false, "St Stephen"},
		{rome(2025, 12, 29, 9, 0), true, "a Monday"},
		{rome(2026, 3, 28, 9, 0), false, "a Saturday"},
		{rome(2026, 3, 29, 9, 0), false, "a Sunday"},
		{time.Date(2025, 12, 24, 23, 30, 0, 0, time.UTC), false, "Christmas in Rome, still Christmas Eve in UTC"},
	} {
		if got := deadlines.WorkingDay(tc.day); got != tc.want {
			t.Errorf("%s (%s): working day %v, want %v", tc.day.Format(time.DateOnly), tc.why, got, tc.want)
		}
	}
}

func TestOffsets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start time.Time
		off   deadlines.Offset
		want  time.Time
	}{
		{"24 hours across the spring change are 24 real hours", rome(2026, 3, 28, 12, 0), deadlines.Offset{Amount: 24, Unit: deadlines.Hours}, rome(2026, 3, 29, 13, 0)},
		{"one day across the spring change keeps the wall clock", rome(2026, 3, 28, 12, 0), deadlines.Offset{Amount: 1, Unit: deadlines.Days}, rome(2026, 3, 29, 12, 0)},
		{"24 hours across the autumn change", rome(2026, 10, 24, 12, 0), deadlines.Offset{Amount: 24, Unit: deadlines.Hours}, rome(2026, 10, 25, 11, 0)},
		{"one day across the autumn change", rome(2026, 10, 24, 12, 0), deadlines.Offset{Amount: 1, Unit: deadlines.Days}, rome(2026, 10, 25, 12, 0)},
		{"72 hours over the 2025 spring weekend", rome(2025, 3, 29, 8, 0), deadlines.Offset{Amount: 72, Unit: deadlines.Hours}, rome(2025, 4, 1, 9, 0)},
		{"zero hours", rome(2026, 2, 2, 10, 15), deadlines.Offset{Amount: 0, Unit: deadlines.Hours}, rome(2026, 2, 2, 10, 15)},
		{"3 working days over Easter Monday", rome(2026, 4, 3, 10, 0), deadlines.Offset{Amount: 3, Unit: deadlines.WorkingDays}, rome(2026, 4, 9, 10, 0)},
		{"3 working days from a Friday", rome(2026, 1, 16, 18, 30), deadlines.Offset{Amount: 3, Unit: deadlines.WorkingDays}, rome(2026, 1, 21, 18, 30)},
		{"3 working days over Christmas", rome(2025, 12, 23, 9, 0), deadlines.Offset{Amount: 3, Unit: deadlines.WorkingDays}, rome(2025, 12, 30, 9, 0)},
		{"2 working days back over Epiphany", rome(2026, 1, 8, 9, 0), deadlines.Offset{Amount: -2, Unit: deadlines.WorkingDays}, rome(2026, 1, 5, 9, 0)},
		{"working days from a Saturday", rome(2026, 3, 28, 9, 0), deadlines.Offset{Amount: 1, Unit: deadlines.WorkingDays}, rome(2026, 3, 30, 9, 0)},
		{"one month from 31 January", rome(2026, 1, 31, 9, 0), deadlines.Offset{Amount: 1, Unit: deadlines.Months}, rome(2026, 2, 28, 9, 0)},
		{"one month from 31 January of a leap year", rome(2024, 1, 31, 9, 0), deadlines.Offset{Amount: 1, Unit: deadlines.Months}, rome(2024, 2, 29, 9, 0)},
		{"6 months across the DST change", rome(2026, 1, 15, 10, 0), deadlines.Offset{Amount: 6, Unit: deadlines.Months}, rome(2026, 7, 15, 10, 0)},
		{"36 months", rome(2026, 2, 28, 0, 0), deadlines.Offset{Amount: 36, Unit: deadlines.Months}, rome(2029, 2, 28, 0, 0)},
		{"minus 90 days", rome(2026, 6, 1, 0, 0), deadlines.Offset{Amount: -90, Unit: deadlines.Days}, rome(2026, 3, 3, 0, 0)},
		{"30 days", rome(2026, 3, 10, 9, 0), deadlines.Offset{Amount: 30, Unit: deadlines.Days}, rome(2026, 4, 9, 9, 0)},
	} {
		if got := tc.off.From(tc.start); !got.Equal(tc.want) {
			t.Errorf("%s: %s + %d %s = %s, want %s", tc.name, tc.start, tc.off.Amount, tc.off.Unit, got, tc.want)
		}
	}
}

func TestHolidaysAreData(t *testing.T) {
	for _, h := range deadlines.Holidays {
		d := time.Date(2030, h.Month, h.Day, 12, 0, 0, 0, approdo.Rome)
		if _, ok := deadlines.HolidayOn(d); !ok {
			t.Errorf("%s is in the table but not a holiday", h.Name)
		}
	}
}
