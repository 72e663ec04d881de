package meetings_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/meetings"
)

func fields(err error) []string {
	var out []string
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestCheckMeeting(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, approdo.Rome)
	good := meetings.Meeting{Kind: meetings.Multidisciplinary, Title: "Équipe del lunedì", StartsAt: at,
		Place: "Sala riunioni", Participants: []int64{1, 2}}
	if err := meetings.Check(&good); err != nil {
		t.Fatalf("a good meeting: %v", err)
	}
	online := good
	online.Place, online.Link = "", "https://meet.example.org/equipe"
	if err := meetings.Check(&online); err != nil {
		t.Fatalf("a meeting by call: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(m *meetings.Meeting)
		field string
	}{
		{"no kind", func(m *meetings.Meeting) { m.Kind = "" }, "kind"},
		{"unknown kind", func(m *meetings.Meeting) { m.Kind = "party" }, "kind"},
		{"no subject", func(m *meetings.Meeting) { m.Title = "  " }, "meeting_title"},
		{"long subject", func(m *meetings.Meeting) { m.Title = strings.Repeat("a", meetings.MaxTitle+1) }, "meeting_title"},
		{"no date", func(m *meetings.Meeting) { m.StartsAt = time.Time{} }, "starts_at"},
		{"nowhere", func(m *meetings.Meeting) { m.Place = "" }, "place"},
		{"plain link", func(m *meetings.Meeting) { m.Link = "http://meet.example.org" }, "link"},
		{"no participants", func(m *meetings.Meeting) { m.Participants = nil }, "participants"},
	} {
		m := good
		tc.edit(&m)
		err := meetings.Check(&m)
		if approdo.ErrorCode(err) != approdo.EINVALID || !slices.Contains(fields(err), tc.field) {
			t.Errorf("%s: %v, want EINVALID naming %s", tc.name, err, tc.field)
		}
	}
}

func TestCheckDecisionAndMinutes(t *testing.T) {
	d := meetings.Decision{CaseID: 1, Text: "Chiedere la nomina del tutore", ResponsibleID: 3, DueAt: time.Now()}
	if err := meetings.CheckDecision(&d); err != nil {
		t.Fatal(err)
	}
	err := meetings.CheckDecision(&meetings.Decision{Text: strings.Repeat("x", meetings.MaxDecision+1)})
	if got := fields(err); !slices.Equal(got, []string{"case_id", "text", "responsible_id", "due_at"}) {
		t.Errorf("an empty decision names %v", got)
	}
	if got := fields(meetings.CheckMinutes(" ")); !slices.Equal(got, []string{"minutes"}) {
		t.Errorf("empty minutes name %v", got)
	}
	if meetings.CheckMinutes("Discusso il progetto.") != nil {
		t.Error("good minutes refused")
	}
}

func TestCheckConsultation(t *testing.T) {
	now := time.Now()
	if err := meetings.CheckConsultation(&meetings.Consultation{ToOrgID: 4, Question: "Come leggere i sintomi?"}); err != nil {
		t.Fatal(err)
	}
	if got := fields(meetings.CheckConsultation(&meetings.Consultation{})); !slices.Equal(got, []string{"organisation_id", "question"}) {
		t.Errorf("an empty consultation names %v", got)
	}
	if got := fields(meetings.CheckSession(&meetings.Session{HeldAt: now.Add(time.Hour)}, now)); !slices.Equal(got, []string{"held_at", "attendees"}) {
		t.Errorf("a future session without attendees names %v", got)
	}
	if meetings.CheckSession(&meetings.Session{HeldAt: now.Add(-time.Hour), Attendees: "La madre, la mediatrice"}, now) != nil {
		t.Error("a good session refused")
	}
	if got := fields(meetings.CheckAdvice("")); !slices.Equal(got, []string{"advice"}) {
		t.Errorf("empty advice names %v", got)
	}
}
