// Package services describes the service directory of a network: what each
// organisation offers (psychological support, legal aid, a language course…),
// to whom, where, in which languages, when and how to refer someone to it.
// Its fields follow Open Referral HSDS 3, so that the directory can be
// exchanged with other directories as HSDS JSON.
package services

import (
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/cases"
	"approdo/refdata"
)

// The types of service: the needs a service meets. They are a small
// controlled vocabulary, named in the catalogue as "service.type.CODE".
const (
	PsychologicalSupport      = "psychological_support"
	LegalAid                  = "legal_aid"
	HousingReception          = "housing_reception"
	HealthCare                = "health_care"
	Schooling                 = "schooling"
	LanguageCourse            = "language_course"
	JobOrientation            = "job_orientation"
	AntiViolence              = "anti_violence"
	AntiTrafficking           = "anti_trafficking"
	CulturalMediation         = "cultural_mediation"
	EthnoclinicalConsultation = "ethnoclinical_consultation"
	FamilySupport             = "family_support"
	BasicNeeds                = "basic_needs"
)

// Types lists every type of service, in the order forms and filters show
// them. A type missing here is refused.
var Types = []string{
	PsychologicalSupport, LegalAid, HousingReception, HealthCare, Schooling, LanguageCourse, JobOrientation,
	AntiViolence, AntiTrafficking, CulturalMediation, EthnoclinicalConsultation, FamilySupport, BasicNeeds,
}

// ValidType reports whether code is one of Types.
func ValidType(code string) bool { return slices.Contains(Types, code) }

// Weekdays lists the days of the week by their RFC 5545 codes, which HSDS
// schedules use, from Monday.
var Weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// The longest texts and lists a service holds.
const (
	MaxName      = 200
	MaxText      = 4000
	MaxShort     = 254
	MaxAge       = 120
	MaxDays      = 365
	MaxRows      = 30 // schedules, contacts, required documents
	MaxLanguages = 40
)

// Service is an entry of the directory: a service an organisation offers.
type Service struct {
	ID             int64
	OrganisationID int64
	// UID is the service's HSDS identifier, kept across an export and an
	// import; a new service gets a random UUID.
	UID           string
	Name          string
	AlternateName string
	Description   string
	URL           string
	Email         string
	// Types are the needs the service meets, codes of Types.
	Types []string
	// CaseKinds are the kinds of case the service serves; empty: every kind.
	CaseKinds []cases.Kind
	// Eligibility describes in words for whom the service is meant.
	Eligibility string
	// MinAge and MaxAge bound the age of the people served, in years; nil:
	// no bound.
	MinAge, MaxAge *int
	// AreaIDs are the territorial areas served; empty: none stated.
	AreaIDs []int64
	// Languages are the ISO 639 codes of the languages the service is
	// offered in, as refdata stores them ("ti", "prs").
	Languages []string
	// Interpretation describes the interpretation available, if any; a
	// service with interpretation reaches people in any language.
	Interpretation string
	// ApplicationProcess says how to refer someone to the service.
	ApplicationProcess string
	Fees               string
	RequiredDocuments  []string
	// ResponseDays is the time, in days, within which the service answers
	// a referral; 0: not stated.
	ResponseDays int
	Schedules    []Schedule
	Contacts     []Contact
	Active       bool
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Schedule is a slice of opening hours after the HSDS schedule: the
// weekdays with the hours they open and close ("09:00", "13:00"), or a
// description ("by appointment"), or both.
type Schedule struct {
	Days        []string // RFC 5545 codes of Weekdays
	OpensAt     string
	ClosesAt    string
	Description string
}

// Contact is a named contact of a service.
type Contact struct {
	Name  string
	Title string
	Phone string
	Email string
}

// Offers reports whether s is active and meets the need typ.
func (s *Service) Offers(typ string) bool { return s.Active && slices.Contains(s.Types, typ) }

// Serves reports whether s serves a person of the given age (negative:
// unknown, which every service serves).
func (s *Service) Serves(age int) bool {
	if age < 0 {
		return true
	}
	return (s.MinAge == nil || *s.MinAge <= age) && (s.MaxAge == nil || *s.MaxAge >= age)
}

// Status returns the service's HSDS status: "active" or "inactive".
func (s *Service) Status() string {
	if s.Active {
		return "active"
	}
	return "inactive"
}

var (
	timeFormat  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	phoneFormat = regexp.MustCompile(`^\+?[0-9][0-9 ./()-]{4,30}$`)
)

// Normalize trims the service's texts, drops empty rows and repeated codes,
// stores language codes in their canonical form, puts weekdays in order and
// times as HH:MM.
func (s *Service) Normalize() {
	trim := clean
	s.UID, s.Name, s.AlternateName = trim(s.UID), trim(s.Name), trim(s.AlternateName)
	s.Description, s.URL, s.Email = trim(s.Description), trim(s.URL), strings.ToLower(trim(s.Email))
	s.Eligibility, s.Interpretation = trim(s.Eligibility), trim(s.Interpretation)
	s.ApplicationProcess, s.Fees = trim(s.ApplicationProcess), trim(s.Fees)
	s.Types = codes(s.Types, func(c string) string { return strings.ToLower(trim(c)) })
	slices.SortFunc(s.Types, func(a, b string) int { return order(Types, a) - order(Types, b) })
	var kinds []cases.Kind
	for _, k := range s.CaseKinds {
		if k = cases.Kind(trim(string(k))); k != "" && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.SortFunc(kinds, func(a, b cases.Kind) int { return order(cases.Kinds, a) - order(cases.Kinds, b) })
	s.CaseKinds = kinds
	s.Languages = codes(s.Languages, func(c string) string {
		if l, ok := refdata.LookupLanguage(c); ok {
			return l.Code()
		}
		return strings.ToLower(trim(c))
	})
	slices.Sort(s.Languages)
	var areas []int64
	for _, a := range s.AreaIDs {
		if a != 0 && !slices.Contains(areas, a) {
			areas = append(areas, a)
		}
	}
	slices.Sort(areas)
	s.AreaIDs = areas
	var docs []string
	for _, d := range s.RequiredDocuments {
		if d = trim(d); d != "" {
			docs = append(docs, d)
		}
	}
	s.RequiredDocuments = docs
	var schedules []Schedule
	for _, x := range s.Schedules {
		x.Days = codes(x.Days, func(c string) string { return strings.ToUpper(trim(c)) })
		slices.SortFunc(x.Days, func(a, b string) int { return order(Weekdays, a) - order(Weekdays, b) })
		x.OpensAt, x.ClosesAt, x.Description = clock(x.OpensAt), clock(x.ClosesAt), trim(x.Description)
		if len(x.Days) > 0 || x.OpensAt != "" || x.ClosesAt != "" || x.Description != "" {
			schedules = append(schedules, x)
		}
	}
	s.Schedules = schedules
	var contacts []Contact
	for _, c := range s.Contacts {
		c = Contact{Name: trim(c.Name), Title: trim(c.Title), Phone: trim(c.Phone), Email: strings.ToLower(trim(c.Email))}
		if c != (Contact{}) {
			contacts = append(contacts, c)
		}
	}
	s.Contacts = contacts
}

// clean trims s and drops what no database stores as text: NUL bytes and
// invalid UTF-8.
func clean(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD"))
}

// codes trims and canonicalises a list of codes, dropping empty and repeated
// ones.
func codes(in []string, canon func(string) string) []string {
	var out []string
	for _, c := range in {
		if c = canon(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// order returns the position of v in list, unknown values last.
func order[T comparable](list []T, v T) int {
	if i := slices.Index(list, v); i >= 0 {
		return i
	}
	return len(list)
}

// clock writes a time of day as HH:MM, accepting "9:00", "09.00" and HSDS's
// "09:00:00"; anything else is left for Check to refuse.
func clock(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	if len(s) == 8 && strings.HasSuffix(s, ":00") {
		s = s[:5]
	}
	if len(s) == 4 && s[1] == ':' {
		s = "0" + s
	}
	return s
}

// Check validates the service on its own, without the database: that its
// organisation and areas exist is the caller's to check. It returns an
// EINVALID error naming every field at fault, as forms and the API name
// them ("name", "service_types", "min_age", "schedules.N.opens_at",
// "contacts.N.email", counting rows from 0), or nil.
func Check(s *Service) error {
	var p []approdo.FieldError
	add := func(field, msg string, args ...any) {
		p = append(p, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	text := func(field, v string, required bool, max int) {
		switch {
		case required && v == "":
			add(field, "error.field.required")
		case utf8.RuneCountInString(v) > max:
			add(field, "error.field.too_long", max)
		}
	}
	email := func(field, v string) {
		if v == "" || utf8.RuneCountInString(v) > MaxShort {
			return
		}
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v, ".") {
			add(field, "error.field.email")
		}
	}
	if s.OrganisationID <= 0 {
		add("organisation_id", "error.field.required")
	}
	text("id", s.UID, false, MaxShort)
	text("name", s.Name, true, MaxName)
	text("alternate_name", s.AlternateName, false, MaxName)
	text("description", s.Description, false, MaxText)
	text("url", s.URL, false, MaxShort)
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("url", "error.service.url")
		}
	}
	text("email", s.Email, false, MaxShort)
	email("email", s.Email)
	switch {
	case len(s.Types) == 0:
		add("service_types", "error.service.no_type")
	case slices.ContainsFunc(s.Types, func(t string) bool { return !ValidType(t) }):
		add("service_types", "error.field.unknown_value")
	}
	if slices.ContainsFunc(s.CaseKinds, func(k cases.Kind) bool { return !k.Valid() }) {
		add("case_kinds", "error.field.unknown_value")
	}
	text("eligibility", s.Eligibility, false, MaxText)
	age := func(field string, v *int) bool {
		if v != nil && (*v < 0 || *v > MaxAge) {
			add(field, "error.service.age", MaxAge)
			return false
		}
		return true
	}
	if age("min_age", s.MinAge) && age("max_age", s.MaxAge) && s.MinAge != nil && s.MaxAge != nil && *s.MaxAge < *s.MinAge {
		add("max_age", "error.service.age_order")
	}
	if len(s.Languages) > MaxLanguages {
		add("languages", "error.field.too_many", MaxLanguages)
	}
	for _, l := range s.Languages {
		if _, ok := refdata.LookupLanguage(l); !ok {
			add("languages", "error.field.language_code", l)
			break
		}
	}
	text("interpretation_services", s.Interpretation, false, MaxText)
	text("application_process", s.ApplicationProcess, false, MaxText)
	text("fees_description", s.Fees, false, MaxText)
	if s.ResponseDays < 0 || s.ResponseDays > MaxDays {
		add("response_days", "error.service.response_days", MaxDays)
	}
	if len(s.RequiredDocuments) > MaxRows {
		add("required_documents", "error.field.too_many", MaxRows)
	}
	for _, d := range s.RequiredDocuments {
		if utf8.RuneCountInString(d) > MaxShort {
			add("required_documents", "error.field.too_long", MaxShort)
			break
		}
	}
	if len(s.Schedules) > MaxRows {
		add("schedules", "error.field.too_many", MaxRows)
	}
	for n, x := range s.Schedules {
		row := "schedules." + strconv.Itoa(n) + "."
		if slices.ContainsFunc(x.Days, func(d string) bool { return !slices.Contains(Weekdays, d) }) {
			add(row+"days", "error.field.unknown_value")
		}
		for _, f := range []struct{ name, v string }{{"opens_at", x.OpensAt}, {"closes_at", x.ClosesAt}} {
			if f.v != "" && !timeFormat.MatchString(f.v) {
				add(row+f.name, "error.service.time")
			}
		}
		if (x.OpensAt == "") != (x.ClosesAt == "") {
			add(row+"closes_at", "error.service.hours_pair")
		} else if x.OpensAt != "" && timeFormat.MatchString(x.OpensAt) && timeFormat.MatchString(x.ClosesAt) && x.ClosesAt <= x.OpensAt {
			add(row+"closes_at", "error.service.hours_order")
		}
		if x.OpensAt == "" && x.Description == "" {
			add(row+"description", "error.service.schedule_empty")
		}
		text(row+"description", x.Description, false, MaxShort)
	}
	if len(s.Contacts) > MaxRows {
		add("contacts", "error.field.too_many", MaxRows)
	}
	for n, c := range s.Contacts {
		row := "contacts." + strconv.Itoa(n) + "."
		text(row+"name", c.Name, false, MaxName)
		text(row+"title", c.Title, false, MaxName)
		text(row+"email", c.Email, false, MaxShort)
		email(row+"email", c.Email)
		if c.Phone != "" && !phoneFormat.MatchString(c.Phone) {
			add(row+"phone", "error.service.phone")
		}
		if c.Phone == "" && c.Email == "" {
			add(row+"phone", "error.service.contact_empty")
		}
	}
	if len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}

// Changes returns the names of the fields whose values differ between s
// and t, as forms and the API name them; never the values.
func (s *Service) Changes(t *Service) []string {
	var f []string
	add := func(name string, differ bool) {
		if differ {
			f = append(f, name)
		}
	}
	add("organisation_id", s.OrganisationID != t.OrganisationID)
	add("name", s.Name != t.Name)
	add("alternate_name", s.AlternateName != t.AlternateName)
	add("description", s.Description != t.Description)
	add("url", s.URL != t.URL)
	add("email", s.Email != t.Email)
	add("service_types", !slices.Equal(s.Types, t.Types))
	add("case_kinds", !slices.Equal(s.CaseKinds, t.CaseKinds))
	add("eligibility", s.Eligibility != t.Eligibility)
	add("min_age", !sameAge(s.MinAge, t.MinAge))
	add("max_age", !sameAge(s.MaxAge, t.MaxAge))
	add("area_ids", !slices.Equal(s.AreaIDs, t.AreaIDs))
	add("languages", !slices.Equal(s.Languages, t.Languages))
	add("interpretation_services", s.Interpretation != t.Interpretation)
	add("application_process", s.ApplicationProcess != t.ApplicationProcess)
	add("fees_description", s.Fees != t.Fees)
	add("required_documents", !slices.Equal(s.RequiredDocuments, t.RequiredDocuments))
	add("response_days", s.ResponseDays != t.ResponseDays)
	add("schedules", !slices.EqualFunc(s.Schedules, t.Schedules, func(a, b Schedule) bool {
		return slices.Equal(a.Days, b.Days) && a.OpensAt == b.OpensAt && a.ClosesAt == b.ClosesAt && a.Description == b.Description
	}))
	add("contacts", !slices.Equal(s.Contacts, t.Contacts))
	add("status", s.Active != t.Active)
	return f
}

func sameAge(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Filter selects services from the directory. Its zero value selects the
// active services.
type Filter struct {
	// Text matches the name, alternate name or description, ignoring case.
	Text string
	// Type is a need the service must meet.
	Type string
	// AreaID is an area the service must serve.
	AreaID int64
	// Language is an ISO 639 code the service must be offered in; with
	// Interpretation, a service that offers interpretation matches too.
	Language       string
	Interpretation bool
	// Age is an age the service must serve; negative: any.
	Age int
	// CaseKind is a kind of case the service must serve (services that
	// name no kind serve every kind).
	CaseKind       cases.Kind
	OrganisationID int64
	// Inactive includes the inactive services.
	Inactive bool
}

// Normalize trims the filter's texts and drops NUL bytes and invalid
// UTF-8 from them, which no search can match.
func (f *Filter) Normalize() {
	f.Text, f.Type, f.Language = clean(f.Text), clean(f.Type), clean(f.Language)
	f.CaseKind = cases.Kind(clean(string(f.CaseKind)))
}

// AnyAge is the Filter.Age of a search that does not filter by age.
const AnyAge = -1
