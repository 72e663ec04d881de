// Package referrals holds closed-loop referrals: a case team asks a
// service of the directory, or another organisation, to take part in the
// care of a person, sharing only the sections of the case the person
// consented to share with that recipient for that purpose. The recipient
// accepts or declines; an accepted referral ends completed, with an
// outcome, or cancelled; one left unanswered past the service's response
// time expires. The sender is told at every step, and the recipient reads
// the shared sections only while the referral is accepted and the consent
// stands.
package referrals

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/refdata"
)

// State is where a referral stands.
type State string

// The states of a referral.
const (
	Sent      State = "sent"      // waiting for the recipient
	Accepted  State = "accepted"  // the recipient is working with the person
	Declined  State = "declined"  // the recipient said no, with a reason
	Completed State = "completed" // the recipient finished, with an outcome
	Cancelled State = "cancelled" // the sender withdrew it
	Expired   State = "expired"   // nobody answered within the response time
)

// States lists the states in the order lists show them.
var States = []State{Sent, Accepted, Declined, Completed, Cancelled, Expired}

// Open reports whether a referral in state s still waits or runs.
func (s State) Open() bool { return s == Sent || s == Accepted }

// Urgency is how soon the sender needs an answer.
type Urgency string

// The urgencies of a referral.
const (
	Routine   Urgency = "routine"
	Urgent    Urgency = "urgent"
	Emergency Urgency = "emergency"
)

// Urgencies lists the urgencies, least urgent first.
var Urgencies = []Urgency{Routine, Urgent, Emergency}

// Section is a part of the case file a referral may share.
type Section string

// The sections a referral may share. The case's code, kind and stage are
// always shown to the recipient; nothing else is unless shared.
const (
	Persons    Section = "persons"    // the persons of the case, as the recipient's roles let them see
	Assessment Section = "assessment" // the assessment sections
	Project    Section = "project"    // the individual project
	Notes      Section = "notes"      // the notes the recipient's roles may read
)

// Sections lists the sections a referral may share.
var Sections = []Section{Persons, Assessment, Project, Notes}

// Consenter is who gave consent to a referral.
type Consenter string

// Who may consent.
const (
	ByPerson   Consenter = "person"   // the person themselves
	ByGuardian Consenter = "guardian" // the guardian of a minor (tutore)
	ByParent   Consenter = "parent"   // a parent exercising parental responsibility
)

// Consenters lists who may consent.
var Consenters = []Consenter{ByPerson, ByGuardian, ByParent}

// Consent is the person's consent to share the referral's sections with
// its recipient for its purpose: who gave it, when, in which language they
// were told what it means, and whether it was revoked.
type Consent struct {
	By             Consenter `json:"by"`
	GivenAt        time.Time `json:"given_at"`
	NoticeLanguage string    `json:"notice_language"` // ISO 639 code
	RevokedAt      time.Time `json:"revoked_at"`
}

// Standing reports whether the consent was given and not revoked.
func (c *Consent) Standing() bool { return !c.GivenAt.IsZero() && c.RevokedAt.IsZero() }

// Referral is a request from a case's team to a service or organisation.
type Referral struct {
	ID     int64
	CaseID int64
	// FromOrgID and FromUserID sent it; ToOrgID receives it, through its
	// service ServiceID, or directly when ServiceID is 0.
	FromOrgID  int64
	FromUserID int64
	ToOrgID    int64
	ServiceID  int64
	// Reason says why and what for: it is the purpose the consent covers.
	Reason   string
	Urgency  Urgency
	Sections []Section
	Consent  Consent
	State    State
	SentAt   time.Time
	// AnswerBy is when an unanswered referral expires.
	AnswerBy time.Time
	// AnsweredAt and AnsweredBy record the acceptance or the refusal;
	// ClosedAt the completion, cancellation or expiry.
	AnsweredAt time.Time
	AnsweredBy int64
	ClosedAt   time.Time
	// Answer is the reason of a refusal or cancellation, or the outcome of
	// a completed referral.
	Answer  string
	Version int
}

// Shares reports whether the referral shares section s.
func (r *Referral) Shares(s Section) bool { return slices.Contains(r.Sections, s) }

// Grants reports whether the referral lets its recipient read its shared
// sections at t: accepted, and the consent standing.
func (r *Referral) Grants() bool { return r.State == Accepted && r.Consent.Standing() }

// Limits of what a referral holds.
const (
	MaxText = 2000 // characters of a reason, an answer or an outcome
	// DefaultResponseDays is how long a referral waits for an answer when
	// the service names no response time.
	DefaultResponseDays = 7
)

// ResponseDays returns how many days a referral of urgency u waits for an
// answer from a service that answers within days (0: unknown): an urgent
// referral waits at most two days, an emergency one day.
func ResponseDays(u Urgency, days int) int {
	if days <= 0 {
		days = DefaultResponseDays
	}
	switch u {
	case Urgent:
		return min(days, 2)
	case Emergency:
		return 1
	}
	return days
}

// problems collects field errors.
type problems []approdo.FieldError

func (p *problems) add(field, message string, args ...any) {
	*p = append(*p, approdo.FieldError{Field: field, Message: message, Args: args})
}

// text checks a free text field: required, and at most MaxText characters.
func (p *problems) text(field, value string) {
	switch {
	case strings.TrimSpace(value) == "":
		p.add(field, "error.field.required")
	case utf8.RuneCountInString(value) > MaxText:
		p.add(field, "error.field.too_long", MaxText)
	}
}

// Check reports what is wrong with a new referral sent at now: a reason,
// a known urgency, at least one section, and the consent of someone who may
// give it, given before the referral shares anything (not after now) and
// not revoked, with the language of its notice. The recipient is checked
// by the caller, which knows the directory. It returns the problems found,
// each naming its field.
func Check(r *Referral, now time.Time) []approdo.FieldError {
	var p problems
	p.text("reason", r.Reason)
	if !slices.Contains(Urgencies, r.Urgency) {
		p.add("urgency", "error.field.unknown_value")
	}
	if len(r.Sections) == 0 {
		p.add("sections", "error.referral.no_sections")
	}
	for _, s := range r.Sections {
		if !slices.Contains(Sections, s) {
			p.add("sections", "error.field.unknown_value")
			break
		}
	}
	if !slices.Contains(Consenters, r.Consent.By) {
		p.add("consent.by", "error.referral.consent_required")
	}
	switch {
	case r.Consent.GivenAt.IsZero():
		p.add("consent.given_at", "error.referral.consent_required")
	case r.Consent.GivenAt.After(now):
		p.add("consent.given_at", "error.referral.consent_after_sharing")
	}
	if _, ok := refdata.LookupLanguage(r.Consent.NoticeLanguage); !ok {
		p.add("consent.notice_language", "error.field.unknown_value")
	}
	if !r.Consent.RevokedAt.IsZero() {
		p.add("consent.given_at", "error.referral.consent_revoked")
	}
	return p
}

// The steps that move a referral.
const (
	StepAccept   = "accept"
	StepDecline  = "decline"
	StepComplete = "complete"
	StepCancel   = "cancel"
)

// Steps lists the steps.
var Steps = []string{StepAccept, StepDecline, StepComplete, StepCancel}

// Next returns the state a step leads to from state s, or "" when the step
// cannot be taken from s: the recipient accepts or declines a sent
// referral and completes an accepted one; the sender cancels an open one.
func Next(s State, step string) State {
	switch {
	case step == StepAccept && s == Sent:
		return Accepted
	case step == StepDecline && s == Sent:
		return Declined
	case step == StepComplete && s == Accepted:
		return Completed
	case step == StepCancel && s.Open():
		return Cancelled
	}
	return ""
}

// NeedsAnswer reports whether step must carry a text: the reason of a
// refusal or a cancellation, the outcome of a completion.
func NeedsAnswer(step string) bool { return step != StepAccept }

// BySender reports whether step is the sender's to take; the others are the
// recipient's.
func BySender(step string) bool { return step == StepCancel }
