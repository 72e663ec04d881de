package meetings

import (
	"time"

	"approdo"
	"approdo/cases"
)

// An ethno-clinical consultation is a question a case's team asks an
// ethno-clinical team (psychological care informed by anthropology): the
// team meets the person or the family, records each session (when, who
// attended) and gives its advice. The question, the attendees and the
// advice belong to the case's health field group.

// ConsultationState is where a consultation stands.
type ConsultationState string

// The states of a consultation.
const (
	Requested ConsultationState = "requested"
	Answered  ConsultationState = "answered"
)

// The limits of a consultation's texts, in characters.
const (
	MaxQuestion  = 4000
	MaxAttendees = 1000
	MaxAdvice    = 20000
)

// The events a consultation leaves on its case's timeline.
const (
	ConsultationRequested cases.EventKind = "consultation_requested"
	ConsultationSession   cases.EventKind = "consultation_session"
	ConsultationAnswered  cases.EventKind = "consultation_answered"
)

// Consultation is a case's request to an ethno-clinical team, with the
// sessions held and the advice given. Its texts are sealed in storage.
type Consultation struct {
	ID          int64
	CaseID      int64
	ToOrgID     int64
	RequestedBy int64
	RequestedAt time.Time
	Question    string
	State       ConsultationState
	Advice      string
	AdviceBy    int64
	AdviceAt    time.Time
	Sessions    []Session
	Version     int
}

// Session is a meeting of the ethno-clinical team on a consultation: when
// it was held and who attended, in the team's words.
type Session struct {
	ID             int64
	ConsultationID int64
	CaseID         int64
	HeldAt         time.Time
	Attendees      string
	RecordedBy     int64
	RecordedAt     time.Time
}

// CheckConsultation checks a new consultation: an organisation to ask and a
// question within MaxQuestion. It returns EINVALID naming
// "organisation_id" and "question".
func CheckConsultation(c *Consultation) error {
	var problems []approdo.FieldError
	if c.ToOrgID == 0 {
		problems = append(problems, approdo.FieldError{Field: "organisation_id", Message: "error.field.required"})
	}
	problems = append(problems, text("question", c.Question, MaxQuestion, true)...)
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// CheckSession checks a session: when it was held, not in the future
// (at now), and who attended. It returns EINVALID naming "held_at" and
// "attendees".
func CheckSession(s *Session, now time.Time) error {
	var problems []approdo.FieldError
	switch {
	case s.HeldAt.IsZero():
		problems = append(problems, approdo.FieldError{Field: "held_at", Message: "error.field.required"})
	case s.HeldAt.After(now):
		problems = append(problems, approdo.FieldError{Field: "held_at", Message: "error.consultation.session_future"})
	}
	problems = append(problems, text("attendees", s.Attendees, MaxAttendees, true)...)
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// CheckAdvice checks the advice of a consultation: some text within
// MaxAdvice. It returns EINVALID naming "advice".
func CheckAdvice(advice string) error {
	if p := text("advice", advice, MaxAdvice, true); len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}
