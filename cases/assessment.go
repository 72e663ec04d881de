package cases

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/refdata"
)

// The assessment of a case is what the social worker and the team learn of
// the person after taking charge, in three sections: the social history
// ("anamnesi sociale": profile, migration journey, family, school, work,
// health), the vulnerability assessment (health and psycho-social needs,
// specific needs) and the documents and legal status pathway (what exists,
// what is missing, the next step and who takes it). Each field belongs to
// a sensitive field group or to none: health content to "health", anything
// on violence to "violence", the legal status to "judicial". A reader who
// may not see a group sees the section without its fields, and a save by
// such a reader keeps their stored values.

// AssessmentSection names a section of a case's assessment.
type AssessmentSection string

// The sections of an assessment.
const (
	SocialHistorySection AssessmentSection = "social_history"
	VulnerabilitySection AssessmentSection = "vulnerability"
	LegalPathwaySection  AssessmentSection = "legal_pathway"
)

// AssessmentSections lists the sections, in the order of the case file.
var AssessmentSections = []AssessmentSection{SocialHistorySection, VulnerabilitySection, LegalPathwaySection}

// Valid reports whether s is one of AssessmentSections.
func (s AssessmentSection) Valid() bool { return slices.Contains(AssessmentSections, s) }

// GeneralGroup is the group of the assessment fields that belong to no
// sensitive field group: whoever reads the case reads them.
const GeneralGroup = ""

// AssessmentGroups lists the groups an assessment's fields fall in: the
// general one and the sensitive field groups it uses.
var AssessmentGroups = []string{GeneralGroup, "health", "violence", "judicial"}

// Bounds of an assessment's contents.
const (
	MaxAssessmentText = 10000 // a narrative field, in characters
	MaxJourneyLegs    = 20    // legs of a migration journey
	MaxLegNotes       = 1000  // notes on one leg, in characters
	MaxLegMonths      = 600   // months spent on one leg
	MaxLegalSteps     = 30    // items of a legal status pathway
	MaxStepSubject    = 300   // the document or step of an item, in characters
	MaxNextStep       = 1000  // the next step of an item, in characters
)

// AssessmentField is one field of a section: its name (as forms, the API
// and the audit log name it), the group it belongs to, and a pointer to its
// value, a *string, *[]JourneyLeg or *[]LegalStep.
type AssessmentField struct {
	Name  string
	Group string
	Value any
}

// SectionContent is what one section of an assessment holds.
type SectionContent interface {
	// Section names the section.
	Section() AssessmentSection
	// Fields lists the section's fields, each pointing into the content.
	Fields() []AssessmentField
	// Validate checks the content at now, after Normalize, and returns
	// EINVALID naming each field at fault.
	Validate(now time.Time) error
}

// NewSectionContent returns the empty content of section s, or nil when s
// is no section.
func NewSectionContent(s AssessmentSection) SectionContent {
	switch s {
	case SocialHistorySection:
		return &SocialHistory{}
	case VulnerabilitySection:
		return &VulnerabilityAssessment{}
	case LegalPathwaySection:
		return &LegalPathway{}
	}
	return nil
}

// SocialHistory is the "anamnesi sociale": who the person is, the journey
// that brought them, their family, school and work, and their health.
type SocialHistory struct {
	Profile         string       `json:"profile"`
	Journey         []JourneyLeg `json:"journey"`
	FamilySituation string       `json:"family_situation"`
	Schooling       string       `json:"schooling"`
	WorkExperience  string       `json:"work_experience"`
	// HealthHistory is in the health group.
	HealthHistory string `json:"health_history"`
	// ViolenceHistory, the violence, abuse or exploitation suffered before
	// or during the journey, is in the violence group.
	ViolenceHistory string `json:"violence_history"`
}

// JourneyLeg is one country of a migration journey, with when the person
// was there, or for how long, as far as it is known.
type JourneyLeg struct {
	Country string `json:"country"`        // ISO 3166-1 alpha-2
	From    string `json:"from,omitempty"` // the month of arrival, "2006-01"
	To      string `json:"to,omitempty"`   // the month of departure, "2006-01"
	Months  int    `json:"months,omitempty"`
	Notes   string `json:"notes,omitempty"`
}

// Empty reports whether nothing is written on the leg.
func (l JourneyLeg) Empty() bool {
	return l.Country == "" && l.From == "" && l.To == "" && l.Months == 0 && l.Notes == ""
}

// Section names the section.
func (h *SocialHistory) Section() AssessmentSection { return SocialHistorySection }

// Fields lists the fields of the social history.
func (h *SocialHistory) Fields() []AssessmentField {
	return []AssessmentField{
		{"profile", GeneralGroup, &h.Profile},
		{"journey", GeneralGroup, &h.Journey},
		{"family_situation", GeneralGroup, &h.FamilySituation},
		{"schooling", GeneralGroup, &h.Schooling},
		{"work_experience", GeneralGroup, &h.WorkExperience},
		{"health_history", "health", &h.HealthHistory},
		{"violence_history", "violence", &h.ViolenceHistory},
	}
}

// Validate checks the texts' lengths and each leg of the journey: a known
// country, months written "2006-01", not in the future, the departure not
// before the arrival, a duration of 0 to MaxLegMonths months. The fields
// of a leg are named "journey.N.country", "journey.N.from" and so on.
func (h *SocialHistory) Validate(now time.Time) error {
	v := &assessmentCheck{}
	v.texts(h.Fields())
	if len(h.Journey) > MaxJourneyLegs {
		v.add("journey", "error.field.too_many", MaxJourneyLegs)
	}
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i, l := range h.Journey {
		field := func(name string) string { return "journey." + strconv.Itoa(i) + "." + name }
		switch {
		case l.Country == "":
			v.add(field("country"), "error.field.required")
		default:
			if _, ok := refdata.LookupCountry(l.Country); !ok {
				v.add(field("country"), "error.field.country_code", l.Country)
			}
		}
		from, fromOK := v.month(field("from"), l.From, thisMonth)
		to, toOK := v.month(field("to"), l.To, thisMonth)
		if fromOK && toOK && !from.IsZero() && !to.IsZero() && to.Before(from) {
			v.add(field("to"), "error.field.end_before_start")
		}
		switch {
		case l.Months < 0:
			v.add(field("months"), "error.field.negative")
		case l.Months > MaxLegMonths:
			v.add(field("months"), "error.field.too_large")
		}
		if utf8.RuneCountInString(l.Notes) > MaxLegNotes {
			v.add(field("notes"), "error.field.too_long", MaxLegNotes)
		}
	}
	return v.err()
}

// VulnerabilityAssessment is the assessment that rules out or finds the
// person's vulnerabilities and specific needs, health and psycho-social.
type VulnerabilityAssessment struct {
	// HealthNeeds and PsychosocialNeeds are in the health group.
	HealthNeeds       string `json:"health_needs"`
	PsychosocialNeeds string `json:"psychosocial_needs"`
	SpecificNeeds     string `json:"specific_needs"`
	// ViolenceIndicators, the signs of violence, trafficking or
	// exploitation, are in the violence group.
	ViolenceIndicators   string `json:"violence_indicators"`
	VulnerabilitySummary string `json:"vulnerability_summary"`
}

// Section names the section.
func (v *VulnerabilityAssessment) Section() AssessmentSection { return VulnerabilitySection }

// Fields lists the fields of the vulnerability assessment.
func (v *VulnerabilityAssessment) Fields() []AssessmentField {
	return []AssessmentField{
		{"health_needs", "health", &v.HealthNeeds},
		{"psychosocial_needs", "health", &v.PsychosocialNeeds},
		{"specific_needs", GeneralGroup, &v.SpecificNeeds},
		{"violence_indicators", "violence", &v.ViolenceIndicators},
		{"vulnerability_summary", GeneralGroup, &v.VulnerabilitySummary},
	}
}

// Validate checks the texts' lengths.
func (v *VulnerabilityAssessment) Validate(time.Time) error {
	c := &assessmentCheck{}
	c.texts(v.Fields())
	return c.err()
}

// StepStatus says where a document or a step of the legal pathway stands.
type StepStatus string

// The statuses of a document or step.
const (
	StepExists     StepStatus = "exists"      // the document is there, the step is done
	StepMissing    StepStatus = "missing"     // the document is lacking, the step not started
	StepInProgress StepStatus = "in_progress" // requested, waiting for an answer
)

// StepStatuses lists the statuses of a document or step.
var StepStatuses = []StepStatus{StepExists, StepMissing, StepInProgress}

// LegalPathway is the documents and legal status pathway ("situazione
// documentale e percorso di regolarizzazione"): each document or step, what
// exists and what is missing, the next step and who takes it by when, and
// the person's legal status.
type LegalPathway struct {
	Steps []LegalStep `json:"legal_steps"`
	// LegalStatus (permits, asylum application, proceedings, court
	// measures) is in the judicial group.
	LegalStatus string `json:"legal_status"`
	LegalNotes  string `json:"legal_notes"`
}

// LegalStep is one document or step of the legal pathway: a passport, a
// permit, an asylum application. ResponsibleID is 0 when nobody is named;
// DueOn is a day written "2006-01-02", or empty.
type LegalStep struct {
	Subject       string     `json:"subject"`
	Status        StepStatus `json:"status"`
	NextStep      string     `json:"next_step,omitempty"`
	ResponsibleID int64      `json:"responsible_id,omitempty"`
	DueOn         string     `json:"due_on,omitempty"`
}

// Empty reports whether nothing is written on the step.
func (s LegalStep) Empty() bool {
	return s.Subject == "" && s.Status == "" && s.NextStep == "" && s.ResponsibleID == 0 && s.DueOn == ""
}

// Section names the section.
func (p *LegalPathway) Section() AssessmentSection { return LegalPathwaySection }

// Fields lists the fields of the legal pathway.
func (p *LegalPathway) Fields() []AssessmentField {
	return []AssessmentField{
		{"legal_steps", GeneralGroup, &p.Steps},
		{"legal_status", "judicial", &p.LegalStatus},
		{"legal_notes", GeneralGroup, &p.LegalNotes},
	}
}

// Validate checks the texts' lengths and each step: a subject of at most
// MaxStepSubject characters, a known status, a next step of at most
// MaxNextStep characters, a due day written "2006-01-02". The fields of a
// step are named "legal_steps.N.subject" and so on. Whether the one
// responsible is on the case's team is for the caller to check.
func (p *LegalPathway) Validate(time.Time) error {
	v := &assessmentCheck{}
	v.texts(p.Fields())
	if len(p.Steps) > MaxLegalSteps {
		v.add("legal_steps", "error.field.too_many", MaxLegalSteps)
	}
	for i, s := range p.Steps {
		field := func(name string) string { return "legal_steps." + strconv.Itoa(i) + "." + name }
		switch n := utf8.RuneCountInString(s.Subject); {
		case n == 0:
			v.add(field("subject"), "error.field.required")
		case n > MaxStepSubject:
			v.add(field("subject"), "error.field.too_long", MaxStepSubject)
		}
		switch {
		case s.Status == "":
			v.add(field("status"), "error.field.required")
		case !slices.Contains(StepStatuses, s.Status):
			v.add(field("status"), "error.field.unknown_value")
		}
		if utf8.RuneCountInString(s.NextStep) > MaxNextStep {
			v.add(field("next_step"), "error.field.too_long", MaxNextStep)
		}
		if s.ResponsibleID < 0 {
			v.add(field("responsible_id"), "error.field.unknown_reference")
		}
		if s.DueOn != "" {
			if _, err := time.Parse(time.DateOnly, s.DueOn); err != nil {
				v.add(field("due_on"), "error.field.date")
			}
		}
	}
	return v.err()
}

// NormalizeSection trims the texts of c, writes country codes in capitals
// and drops the legs and steps on which nothing is written.
func NormalizeSection(c SectionContent) {
	for _, f := range c.Fields() {
		switch v := f.Value.(type) {
		case *string:
			*v = strings.TrimSpace(*v)
		case *[]JourneyLeg:
			var out []JourneyLeg
			for _, l := range *v {
				l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
				l.From, l.To, l.Notes = strings.TrimSpace(l.From), strings.TrimSpace(l.To), strings.TrimSpace(l.Notes)
				if !l.Empty() {
					out = append(out, l)
				}
			}
			*v = out
		case *[]LegalStep:
			var out []LegalStep
			for _, s := range *v {
				s.Subject, s.NextStep, s.DueOn = strings.TrimSpace(s.Subject), strings.TrimSpace(s.NextStep), strings.TrimSpace(s.DueOn)
				s.Status = StepStatus(strings.TrimSpace(string(s.Status)))
				if !s.Empty() {
					out = append(out, s)
				}
			}
			*v = out
		}
	}
}

// CopyGroups gives dst the values src holds in the groups for which take
// reports true. dst and src must be contents of the same section.
func CopyGroups(dst, src SectionContent, take func(group string) bool) {
	from := src.Fields()
	for i, f := range dst.Fields() {
		if !take(f.Group) {
			continue
		}
		switch v := f.Value.(type) {
		case *string:
			*v = *from[i].Value.(*string)
		case *[]JourneyLeg:
			*v = slices.Clone(*from[i].Value.(*[]JourneyLeg))
		case *[]LegalStep:
			*v = slices.Clone(*from[i].Value.(*[]LegalStep))
		}
	}
}

// ChangedFields returns the names of the fields whose values differ between
// before and after, contents of the same section. An empty list and no
// list are the same.
func ChangedFields(before, after SectionContent) []string {
	var out []string
	was := before.Fields()
	for i, f := range after.Fields() {
		a, b := reflect.ValueOf(was[i].Value).Elem(), reflect.ValueOf(f.Value).Elem()
		if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			out = append(out, f.Name)
		}
	}
	return out
}

// SectionGroups returns the groups the fields of c fall in, in the order
// of AssessmentGroups.
func SectionGroups(c SectionContent) []string {
	var out []string
	for _, g := range AssessmentGroups {
		if slices.ContainsFunc(c.Fields(), func(f AssessmentField) bool { return f.Group == g }) {
			out = append(out, g)
		}
	}
	return out
}

// assessmentCheck gathers the problems of a section.
type assessmentCheck struct {
	problems []approdo.FieldError
}

func (v *assessmentCheck) add(field, msg string, args ...any) {
	v.problems = append(v.problems, approdo.FieldError{Field: field, Message: msg, Args: args})
}

// texts checks the length of every text field.
func (v *assessmentCheck) texts(fields []AssessmentField) {
	for _, f := range fields {
		if s, ok := f.Value.(*string); ok && utf8.RuneCountInString(*s) > MaxAssessmentText {
			v.add(f.Name, "error.field.too_long", MaxAssessmentText)
		}
	}
}

// month reads s, a month written "2006-01" or nothing, and reports the
// problem of a malformed month or one after thisMonth.
func (v *assessmentCheck) month(field, s string, thisMonth time.Time) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	m, err := time.Parse("2006-01", s)
	if err != nil {
		v.add(field, "error.field.month")
		return m, false
	}
	if m.After(thisMonth) {
		v.add(field, "error.field.future")
		return m, false
	}
	return m, true
}

func (v *assessmentCheck) err() error {
	if len(v.problems) > 0 {
		return approdo.Invalid(v.problems...)
	}
	return nil
}
