// Package meetings holds the meetings of a protection network and the
// ethno-clinical consultations of its cases. A meeting is a
// multidisciplinary case meeting (équipe multidisciplinare) or a steering
// group of the network (cabina di regia): its logistics, its participants
// from several organisations, the cases on its agenda, its minutes (general
// and per case) and its decisions, each of which becomes a task on a case.
package meetings

import (
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/cases"
)

// Kind is the kind of a meeting.
type Kind string

// The kinds of meeting.
const (
	Multidisciplinary Kind = "multidisciplinary" // équipe multidisciplinare on cases
	Steering          Kind = "steering"          // cabina di regia of the network
)

// Kinds lists the kinds of meeting, in the order forms offer them.
var Kinds = []Kind{Multidisciplinary, Steering}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == Multidisciplinary || k == Steering }

// The limits of a meeting's texts, in characters.
const (
	MaxTitle   = 200
	MaxPlace   = 300
	MaxLink    = 500
	MaxMinutes = 20000
	// MaxDecision is the longest text of a decision: it becomes the title
	// of a task.
	MaxDecision = cases.MaxTaskTitle
)

// The events a meeting leaves on the timelines of the cases on its agenda.
// Their details name no person and no text: the timeline is read by the
// whole team.
const (
	CaseScheduled   cases.EventKind = "meeting_scheduled"
	MinutesRecorded cases.EventKind = "meeting_minutes"
	DecisionTaken   cases.EventKind = "meeting_decision"
)

// Meeting is a meeting with its logistics, participants and agenda. Its
// title is plain text, shown to every participant: it names no person.
type Meeting struct {
	ID             int64
	Kind           Kind
	Title          string
	StartsAt       time.Time
	Place          string
	Link           string
	OrganiserID    int64
	OrganiserOrgID int64
	Participants   []int64
	// Agenda lists the cases to discuss, in order.
	Agenda []AgendaItem
	// Minutes are the general minutes, sealed in storage.
	Minutes   string
	MinutesBy int64
	MinutesAt time.Time
	CreatedAt time.Time
	Version   int
}

// AgendaItem is a case on a meeting's agenda with its minutes, sealed in
// storage.
type AgendaItem struct {
	CaseID    int64
	Minutes   string
	MinutesBy int64
	MinutesAt time.Time
}

// Takes reports whether user id takes part in m.
func (m *Meeting) Takes(id int64) bool {
	for _, p := range m.Participants {
		if p == id {
			return true
		}
	}
	return false
}

// OnAgenda returns the agenda item of case id, or nil.
func (m *Meeting) OnAgenda(id int64) *AgendaItem {
	for i := range m.Agenda {
		if m.Agenda[i].CaseID == id {
			return &m.Agenda[i]
		}
	}
	return nil
}

// Decision is what a meeting decided on a case: what is to be done, by
// whom, by when. It is recorded with the task it became.
type Decision struct {
	ID            int64
	MeetingID     int64
	CaseID        int64
	Text          string
	ResponsibleID int64
	DueAt         time.Time
	TaskID        int64
	CreatedBy     int64
	CreatedAt     time.Time
}

// Check checks a new meeting: a known kind, a subject, a start, a place or
// a call link, at least one participant, and texts within their limits.
// It returns EINVALID naming "kind", "meeting_title", "starts_at", "place", "link"
// and "participants".
func Check(m *Meeting) error {
	var problems []approdo.FieldError
	switch {
	case m.Kind == "":
		problems = append(problems, approdo.FieldError{Field: "kind", Message: "error.field.required"})
	case !m.Kind.Valid():
		problems = append(problems, approdo.FieldError{Field: "kind", Message: "error.field.unknown_value"})
	}
	problems = append(problems, text("meeting_title", m.Title, MaxTitle, true)...)
	if m.StartsAt.IsZero() {
		problems = append(problems, approdo.FieldError{Field: "starts_at", Message: "error.field.required"})
	}
	problems = append(problems, text("place", m.Place, MaxPlace, false)...)
	problems = append(problems, text("link", m.Link, MaxLink, false)...)
	if strings.TrimSpace(m.Place) == "" && strings.TrimSpace(m.Link) == "" {
		problems = append(problems, approdo.FieldError{Field: "place", Message: "error.meeting.place_or_link"})
	}
	if link := strings.TrimSpace(m.Link); link != "" && !strings.HasPrefix(link, "https://") {
		problems = append(problems, approdo.FieldError{Field: "link", Message: "error.meeting.link_https"})
	}
	if len(m.Participants) == 0 {
		problems = append(problems, approdo.FieldError{Field: "participants", Message: "error.meeting.no_participants"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// CheckMinutes checks minutes: some text, within MaxMinutes. It returns
// EINVALID naming "minutes".
func CheckMinutes(minutes string) error {
	if p := text("minutes", minutes, MaxMinutes, true); len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}

// CheckDecision checks a decision: a case, what is to be done within
// MaxDecision, someone responsible and a due date. It returns EINVALID
// naming "case_id", "text", "responsible_id" and "due_at".
func CheckDecision(d *Decision) error {
	var problems []approdo.FieldError
	if d.CaseID == 0 {
		problems = append(problems, approdo.FieldError{Field: "case_id", Message: "error.field.required"})
	}
	problems = append(problems, text("text", d.Text, MaxDecision, true)...)
	if d.ResponsibleID == 0 {
		problems = append(problems, approdo.FieldError{Field: "responsible_id", Message: "error.field.required"})
	}
	if d.DueAt.IsZero() {
		problems = append(problems, approdo.FieldError{Field: "due_at", Message: "error.field.required"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// text checks the text of field: required or not, at most max characters.
func text(field, s string, max int, required bool) []approdo.FieldError {
	switch n := utf8.RuneCountInString(strings.TrimSpace(s)); {
	case n == 0 && required:
		return []approdo.FieldError{{Field: field, Message: "error.field.required"}}
	case n > max:
		return []approdo.FieldError{{Field: field, Message: "error.field.too_long", Args: []any{max}}}
	}
	return nil
}
