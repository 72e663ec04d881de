package cases

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
)

// Channel is how a report of concern reached the network.
type Channel string

// The channels of a report.
const (
	FromSchool   Channel = "school"
	FromHealth   Channel = "health"
	FromPolice   Channel = "police"
	FromHotline  Channel = "hotline"
	FromPartner  Channel = "partner"
	FromSelf     Channel = "self"
	FromCitizen  Channel = "citizen"
	FromServices Channel = "social_services"
)

// Channels lists the channels of a report.
var Channels = []Channel{FromSchool, FromHealth, FromPolice, FromHotline, FromPartner, FromSelf, FromCitizen, FromServices}

// Urgency is how soon a report needs an answer.
type Urgency string

// The urgencies of a report.
const (
	Routine   Urgency = "routine"   // within the ordinary times of the service
	Soon      Urgency = "soon"      // within days
	Urgent    Urgency = "urgent"    // within 24 hours
	Immediate Urgency = "immediate" // a child in danger now
)

// Urgencies lists the urgencies, least urgent first.
var Urgencies = []Urgency{Routine, Soon, Urgent, Immediate}

// Outcome is what came of a report, as the reporter sees it.
type Outcome string

// The outcomes of a report.
const (
	Pending     Outcome = ""             // not decided yet
	ChargeTaken Outcome = "taken_charge" // a case was opened
	Referred    Outcome = "referred"     // sent to another service
	NoAction    Outcome = "no_action"    // nothing to do
)

// Outcomes lists the decided outcomes.
var Outcomes = []Outcome{ChargeTaken, Referred, NoAction}

// ReportStatus is where a report stands.
type ReportStatus string

// The statuses of a report.
const (
	Received    ReportStatus = "received"  // waiting to be screened
	InScreening ReportStatus = "screening" // being screened
	Decided     ReportStatus = "decided"   // an outcome was decided
)

// Report is a report of concern ("segnalazione"): who reports, when, about
// whom (perhaps not yet identified), what was observed and how urgent it is.
// The reporter's own contact, the description of the subject and what was
// observed are sealed.
type Report struct {
	ID              int64
	Code            string
	ReceivedAt      time.Time
	Channel         Channel
	Urgency         Urgency
	AreaID          int64
	AddressedOrgID  int64 // the social service that receives it
	ReporterUserID  int64 // 0 when an operator records a call
	ReporterOrgID   int64
	Reporter        string // who reports, when not a user: name, role, contact
	Subject         string // about whom, as the reporter describes them
	Observed        string // what was observed
	SubjectPersonID int64
	Status          ReportStatus
	Outcome         Outcome
	OutcomeAt       time.Time
	CaseID          int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// Limits of a report's free text.
const (
	MaxObservedLength = 20000
	MaxSubjectLength  = 2000
	MaxReporterLength = 1000
)

// Validate checks a new report at day: a known channel and urgency, a
// subject and what was observed, an area and an addressed organisation, who
// reports (a user, or a described caller), not received in the future. It
// returns EINVALID naming each field.
func (r *Report) Validate(day time.Time) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	for _, f := range []struct {
		field, value string
		known        bool
	}{{"channel", string(r.Channel), r.Channel.Valid()}, {"urgency", string(r.Urgency), r.Urgency.Valid()}} {
		switch {
		case f.value == "":
			add(f.field, "error.field.required")
		case !f.known:
			add(f.field, "error.field.unknown_value")
		}
	}
	if strings.TrimSpace(r.Subject) == "" {
		add("subject", "error.field.required")
	}
	if strings.TrimSpace(r.Observed) == "" {
		add("observed", "error.field.required")
	}
	for _, f := range []struct {
		field, value string
		max          int
	}{{"reporter", r.Reporter, MaxReporterLength}, {"subject", r.Subject, MaxSubjectLength}, {"observed", r.Observed, MaxObservedLength}} {
		if utf8.RuneCountInString(f.value) > f.max {
			add(f.field, "error.field.too_long", f.max)
		}
	}
	if r.ReporterUserID == 0 && strings.TrimSpace(r.Reporter) == "" {
		add("reporter", "error.field.required")
	}
	if r.AreaID == 0 {
		add("area_id", "error.field.required")
	}
	if r.AddressedOrgID == 0 {
		add("addressed_org_id", "error.field.required")
	}
	switch {
	case r.ReceivedAt.IsZero():
		add("received_at", "error.field.required")
	case r.ReceivedAt.After(day.Add(5 * time.Minute)):
		add("received_at", "error.field.received_future")
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// Progress is what the reporter is told of their report: "received" or
// "screening" while no outcome is decided, and then the outcome.
func (r Report) Progress() string {
	if r.Outcome != Pending {
		return string(r.Outcome)
	}
	return string(r.Status)
}

// Progresses lists every value of Report.Progress, in the order a report
// goes through them.
var Progresses = []string{string(Received), string(InScreening), string(ChargeTaken), string(Referred), string(NoAction)}

// Changes names the fields of r that b, an edit of it, changes, for the
// audit log.
func (r *Report) Changes(b *Report) []string {
	var out []string
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"received_at", !r.ReceivedAt.Equal(b.ReceivedAt)}, {"channel", r.Channel != b.Channel},
		{"urgency", r.Urgency != b.Urgency}, {"area_id", r.AreaID != b.AreaID},
		{"addressed_org_id", r.AddressedOrgID != b.AddressedOrgID}, {"reporter", r.Reporter != b.Reporter},
		{"subject", r.Subject != b.Subject}, {"observed", r.Observed != b.Observed},
		{"subject_person_id", r.SubjectPersonID != b.SubjectPersonID},
	} {
		if f.changed {
			out = append(out, f.name)
		}
	}
	return out
}

// Valid reports whether c is one of Channels.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Valid reports whether u is one of Urgencies.
func (u Urgency) Valid() bool { return slices.Contains(Urgencies, u) }

// Pressing reports whether a report of urgency u needs an answer within a
// day: urgent or immediate. Lists say so in words, not only in colour.
func (u Urgency) Pressing() bool { return u == Urgent || u == Immediate }

// Valid reports whether s is one of the report statuses.
func (s ReportStatus) Valid() bool { return s == Received || s == InScreening || s == Decided }

// ReportCodeFor returns the code of a report, such as "S-2026-00042".
func ReportCodeFor(received time.Time, id int64) string {
	return fmt.Sprintf("S-%d-%05d", received.Year(), id)
}

// TraffickingStatus is the trafficking status a screening found (IOM HTCDS).
type TraffickingStatus string

// The trafficking statuses.
const (
	NotAssessed    TraffickingStatus = ""
	PossibleVictim TraffickingStatus = "possible"
	ActualVictim   TraffickingStatus = "actual"
	NotAVictim     TraffickingStatus = "not"
)

// TraffickingStatuses lists the statuses a screening may record.
var TraffickingStatuses = []TraffickingStatus{NotAssessed, PossibleVictim, ActualVictim, NotAVictim}

// Decision is how a screening ends.
type Decision string

// The decisions of a screening.
const (
	TakeCharge Decision = "take_charge"
	Refer      Decision = "refer"
	NoFurther  Decision = "no_action"
)

// Decisions lists the decisions of a screening.
var Decisions = []Decision{TakeCharge, Refer, NoFurther}

// Outcome returns the outcome of a report screened with decision d.
func (d Decision) Outcome() Outcome {
	switch d {
	case TakeCharge:
		return ChargeTaken
	case Refer:
		return Referred
	}
	return NoAction
}

// IndicatorSet is a screening checklist, kept as data.
type IndicatorSet struct {
	Code       string
	NameIT     string
	NameEN     string
	Source     string
	Position   int
	Active     bool
	Indicators []Indicator
}

// Indicator is one item of a checklist. Its answer belongs to the sensitive
// field group FieldGroup ("" for none).
type Indicator struct {
	SetCode    string
	Code       string
	LabelIT    string
	LabelEN    string
	FieldGroup string
	Position   int
	Active     bool
}

// Label returns the indicator's label in lang.
func (i Indicator) Label(lang string) string {
	if lang == "en" {
		return i.LabelEN
	}
	return i.LabelIT
}

// Name returns the set's name in lang.
func (s IndicatorSet) Name(lang string) string {
	if lang == "en" {
		return s.NameEN
	}
	return s.NameIT
}

// Screening is the assessment of a report with the indicator checklists,
// ending in a decision with reasons. Answers and reasons are sealed.
type Screening struct {
	ID                int64
	ReportID          int64
	CaseID            int64
	ScreenedBy        int64
	ScreenedAt        time.Time
	Answers           map[string][]string // set code -> indicator codes found
	TraffickingStatus TraffickingStatus
	Decision          Decision
	Reasons           string
	Version           int
}

// Valid reports whether d is one of Decisions.
func (d Decision) Valid() bool { return slices.Contains(Decisions, d) }

// MaxReasonsLength bounds the reasons of a screening's decision.
const MaxReasonsLength = 10000

// Validate checks a screening. A draft (decided false) needs only a known
// trafficking status; a decision needs a known decision and its reasons. It
// returns EINVALID naming each field. The indicator codes of the answers
// are checked against the checklists by the caller.
func (s *Screening) Validate(decided bool) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if !slices.Contains(TraffickingStatuses, s.TraffickingStatus) {
		add("trafficking_status", "error.field.unknown_value")
	}
	if n := utf8.RuneCountInString(s.Reasons); n > MaxReasonsLength {
		add("reasons", "error.field.too_long", MaxReasonsLength)
	}
	if decided {
		switch {
		case s.Decision == "":
			add("decision", "error.field.required")
		case !s.Decision.Valid():
			add("decision", "error.field.unknown_value")
		}
		if strings.TrimSpace(s.Reasons) == "" {
			add("reasons", "error.field.required")
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// Found reports whether the screening's answers hold the indicator code of
// set.
func (s *Screening) Found(set, code string) bool { return slices.Contains(s.Answers[set], code) }

// Limits of a checklist's text.
const (
	MaxIndicatorCode      = 60
	MaxIndicatorLabel     = 300
	MaxIndicatorSetSource = 500
)

// validCode reports whether s may be the code of a set or an indicator:
// letters, digits and underscores, starting with a letter.
func validCode(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > MaxIndicatorCode {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_')) {
			return false
		}
	}
	return true
}

// Validate checks a checklist and its indicators: codes made of letters,
// digits and underscores, unique within the set; names and labels in both
// languages; field groups among groups (the sensitive field groups, or ""
// for none). Indicators are named "indicators.N.FIELD", N counting from 0.
// It returns EINVALID naming each field.
func (s *IndicatorSet) Validate(groups []string) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if !validCode(s.Code) {
		add("code", "error.field.indicator_code")
	}
	for _, f := range []struct{ field, value string }{{"name_it", s.NameIT}, {"name_en", s.NameEN}} {
		switch n := utf8.RuneCountInString(f.value); {
		case strings.TrimSpace(f.value) == "":
			add(f.field, "error.field.required")
		case n > MaxIndicatorLabel:
			add(f.field, "error.field.too_long", MaxIndicatorLabel)
		}
	}
	if utf8.RuneCountInString(s.Source) > MaxIndicatorSetSource {
		add("source", "error.field.too_long", MaxIndicatorSetSource)
	}
	seen := map[string]bool{}
	for i, ind := range s.Indicators {
		row := func(f string) string { return "indicators." + strconv.Itoa(i) + "." + f }
		switch {
		case !validCode(ind.Code):
			add(row("code"), "error.field.indicator_code")
		case seen[ind.Code]:
			add(row("code"), "error.field.duplicate")
		}
		seen[ind.Code] = true
		for _, f := range []struct{ field, value string }{{"label_it", ind.LabelIT}, {"label_en", ind.LabelEN}} {
			switch n := utf8.RuneCountInString(f.value); {
			case strings.TrimSpace(f.value) == "":
				add(row(f.field), "error.field.required")
			case n > MaxIndicatorLabel:
				add(row(f.field), "error.field.too_long", MaxIndicatorLabel)
			}
		}
		if ind.FieldGroup != "" && !slices.Contains(groups, ind.FieldGroup) {
			add(row("field_group"), "error.field.unknown_value")
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}
