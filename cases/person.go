package cases

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"approdo"
	"approdo/codicefiscale"
	"approdo/refdata"
)

// Precision says how well a birth date is known.
type Precision string

// The precisions of a birth date.
const (
	ExactDate   Precision = "exact"   // the day is known
	MonthOnly   Precision = "month"   // the month and year are known
	YearOnly    Precision = "year"    // only the year is known
	Assessed    Precision = "range"   // an age assessment gave a range
	UnknownDate Precision = "unknown" // nothing is known
)

// Precisions lists the precisions, best known first.
var Precisions = []Precision{ExactDate, MonthOnly, YearOnly, Assessed, UnknownDate}

// BirthDate is a birth date known to some precision: every possible day
// lies between Min and Max, inclusive. An exact date has Min equal to Max.
type BirthDate struct {
	Precision Precision
	Min, Max  time.Time // zero when unknown
}

// NewBirthDate returns the birth date of precision p around day: the day
// itself, its month, or its year. For an assessed range use Range.
func NewBirthDate(p Precision, day time.Time) BirthDate {
	d := dateOnly(day)
	switch p {
	case ExactDate:
		return BirthDate{Precision: p, Min: d, Max: d}
	case MonthOnly:
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		return BirthDate{Precision: p, Min: first, Max: first.AddDate(0, 1, -1)}
	case YearOnly:
		return BirthDate{Precision: p, Min: time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC),
			Max: time.Date(d.Year(), 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	return BirthDate{Precision: UnknownDate}
}

// Range returns the birth date an age assessment gave: born between min and
// max.
func Range(min, max time.Time) BirthDate {
	return BirthDate{Precision: Assessed, Min: dateOnly(min), Max: dateOnly(max)}
}

// Known reports whether anything is known of the date.
func (b BirthDate) Known() bool { return b.Precision != UnknownDate && !b.Min.IsZero() }

// EarliestEighteenth returns the first day on which the person may be 18:
// the one that opens rights soonest (a permit conversion window).
func (b BirthDate) EarliestEighteenth() time.Time { return b.Min.AddDate(18, 0, 0) }

// LatestEighteenth returns the last day on which the person may turn 18:
// the one that protects them longest (timers that end care).
func (b BirthDate) LatestEighteenth() time.Time { return b.Max.AddDate(18, 0, 0) }

// PresumedMinor reports whether the person is to be treated as a minor on
// day: while any possible birth date makes them younger than 18, minority is
// presumed (L. 47/2017). With nothing known it is presumed too.
func (b BirthDate) PresumedMinor(day time.Time) bool {
	if !b.Known() {
		return true
	}
	return dateOnly(day).Before(b.LatestEighteenth())
}

// AgeRange returns the youngest and oldest age the person may have on day.
func (b BirthDate) AgeRange(day time.Time) (int, int) {
	return yearsBetween(b.Max, day), yearsBetween(b.Min, day)
}

func yearsBetween(from, to time.Time) int {
	y := to.Year() - from.Year()
	if to.Month() < from.Month() || to.Month() == from.Month() && to.Day() < from.Day() {
		y--
	}
	return y
}

func dateOnly(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Equal reports whether b and c describe the same birth date.
func (b BirthDate) Equal(c BirthDate) bool {
	return b.Precision == c.Precision && b.Min.Equal(c.Min) && b.Max.Equal(c.Max)
}

// NameKind says what a name of a person is.
type NameKind string

// The kinds of name.
const (
	PrimaryName     NameKind = "primary"         // the name as the person gives it
	Alias           NameKind = "alias"           // another name the person is known by
	Transliteration NameKind = "transliteration" // a romanisation of a name in another script
)

// NameKinds lists the kinds of name.
var NameKinds = []NameKind{PrimaryName, Alias, Transliteration}

// Name is one name of a person, kept as written: a name in Arabic, Cyrillic,
// Ge'ez or Bengali script stays in its script, beside its romanisations.
type Name struct {
	Kind NameKind `json:"kind"`
	Text string   `json:"text"`
}

// Guardian is the volunteer guardian ("tutore volontario") the juvenile court
// appointed. The name is part of the identity field group; the court and the
// date of the appointment reveal a proceeding before the juvenile court and
// belong to the judicial group.
type Guardian struct {
	Name        string
	Court       string
	AppointedOn time.Time
}

// Empty reports whether nothing is recorded of the guardian.
func (g Guardian) Empty() bool {
	return strings.TrimSpace(g.Name) == "" && strings.TrimSpace(g.Court) == "" && g.AppointedOn.IsZero()
}

// Identity is what identifies a person, sealed as one value of the identity
// field group with the guardian's name and the numbers of the documents.
type Identity struct {
	Names         []Name
	ArrivalPlace  string
	CUI           string // the police identification code
	CodiceFiscale string // personal or provisional, normalised
}

// PrimaryName returns the person's first primary name, or the first name of
// any kind, or "".
func (id Identity) PrimaryName() string {
	for _, n := range id.Names {
		if n.Kind == PrimaryName && strings.TrimSpace(n.Text) != "" {
			return n.Text
		}
	}
	for _, n := range id.Names {
		if strings.TrimSpace(n.Text) != "" {
			return n.Text
		}
	}
	return ""
}

// DisplayName returns the name to show a reader of Latin letters: the
// primary name, followed in parentheses by itself in its script when it is
// written in another script and has a transliteration, which then comes
// first ("Tesfay Tekle (ተስፋይ ተክለ)").
func (id Identity) DisplayName() string {
	primary := id.PrimaryName()
	if latinOnly(primary) {
		return primary
	}
	for _, n := range id.Names {
		if n.Kind == Transliteration && strings.TrimSpace(n.Text) != "" && latinOnly(n.Text) {
			return n.Text + " (" + primary + ")"
		}
	}
	return primary
}

// latinOnly reports whether every letter of s is a Latin letter.
func latinOnly(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// Texts returns the text of every name, in order.
func (id Identity) Texts() []string {
	out := make([]string, 0, len(id.Names))
	for _, n := range id.Names {
		out = append(out, n.Text)
	}
	return out
}

// Sex is the sex recorded for a person.
type Sex string

// The sexes recorded.
const (
	Female     Sex = "female"
	Male       Sex = "male"
	OtherSex   Sex = "other"
	UnknownSex Sex = ""
)

// Sexes lists the sexes a person may be recorded with, unknown last.
var Sexes = []Sex{Female, Male, OtherSex, UnknownSex}

// CaseRole is what a person is to a case: the one it is about, or a child
// or relative of theirs.
type CaseRole string

// The roles of a person in a case.
const (
	MainPerson CaseRole = "main"     // the child, woman or head of family the case is about
	ChildOf    CaseRole = "child"    // a child of the main person
	Relative   CaseRole = "relative" // a parent, partner or other relative
)

// CaseRoles lists the roles of a person in a case.
var CaseRoles = []CaseRole{MainPerson, ChildOf, Relative}

// Valid reports whether r is one of CaseRoles.
func (r CaseRole) Valid() bool { return slices.Contains(CaseRoles, r) }

// Person is someone a case is about: the clear fields Approdo needs for
// clocks and statistics (sex, birth, nationality, languages, arrival), and
// the sensitive ones, each in the field group that guards it: Identity and
// the guardian's name (identity), the guardian's court and appointment
// (judicial), Gender (sexual life) and Religion (religion).
type Person struct {
	ID            int64
	Sex           Sex
	Birth         BirthDate
	Nationality   string   // ISO 3166-1 alpha-2, "" when unknown
	Languages     []string // canonical ISO 639 codes (refdata.Language.Code)
	ArrivedOn     time.Time
	Unaccompanied bool
	Identity      Identity
	Guardian      Guardian
	// Gender is the person's gender identity in their words, in the sexual
	// life field group; Religion is in the religion group.
	Gender     string
	Religion   string
	Documents  []Document
	Permits    []Permit
	Links      []Link
	MergedInto int64
	Version    int
}

// Limits on what a person holds.
const (
	MaxNameLength  = 200 // a name, a place, a court, an issuer
	MaxNames       = 20
	MaxLanguages   = 10
	MaxDocuments   = 20
	MaxPermits     = 20
	MaxLinks       = 20
	MaxCUILength   = 40
	MaxNumberLen   = 60  // a document's number
	MaxLinkNote    = 500 // the description of a relative without a file
	MaxGroupLength = 200 // gender, religion
)

// Normalize trims the person's text, drops names left blank, writes the
// codice fiscale as codicefiscale.Normalize does, the nationality in upper
// case and the languages by their canonical codes without repetitions, and
// reduces every date to a day. Unknown codes are kept for Validate to
// report.
func (p *Person) Normalize() {
	var names []Name
	for _, n := range p.Identity.Names {
		n.Text = strings.Join(strings.Fields(n.Text), " ")
		if n.Text == "" {
			continue
		}
		if n.Kind == "" {
			n.Kind = PrimaryName
		}
		names = append(names, n)
	}
	p.Identity.Names = names
	p.Identity.ArrivalPlace = strings.TrimSpace(p.Identity.ArrivalPlace)
	p.Identity.CUI = strings.ToUpper(strings.TrimSpace(p.Identity.CUI))
	p.Identity.CodiceFiscale = codicefiscale.Normalize(p.Identity.CodiceFiscale)
	p.Guardian.Name = strings.TrimSpace(p.Guardian.Name)
	p.Guardian.Court = strings.TrimSpace(p.Guardian.Court)
	p.Guardian.AppointedOn = dateOnly(p.Guardian.AppointedOn)
	p.Gender, p.Religion = strings.TrimSpace(p.Gender), strings.TrimSpace(p.Religion)
	p.Nationality = strings.ToUpper(strings.TrimSpace(p.Nationality))
	if c, ok := refdata.LookupCountry(p.Nationality); ok {
		p.Nationality = c.Alpha2
	}
	var langs []string
	for _, l := range p.Languages {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if lang, ok := refdata.LookupLanguage(l); ok {
			l = lang.Code()
		}
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	p.Languages = langs
	p.ArrivedOn = dateOnly(p.ArrivedOn)
	p.Birth.Min, p.Birth.Max = dateOnly(p.Birth.Min), dateOnly(p.Birth.Max)
	if p.Birth.Precision == "" {
		p.Birth.Precision = UnknownDate
	}
	if p.Birth.Precision == UnknownDate {
		p.Birth.Min, p.Birth.Max = time.Time{}, time.Time{}
	}
	for i := range p.Documents {
		d := &p.Documents[i]
		d.Kind, d.Issuer = strings.TrimSpace(d.Kind), strings.TrimSpace(d.Issuer)
		d.Number = strings.ToUpper(strings.Join(strings.Fields(d.Number), ""))
		d.IssuedOn, d.ExpiresOn = dateOnly(d.IssuedOn), dateOnly(d.ExpiresOn)
	}
	for i := range p.Permits {
		q := &p.Permits[i]
		q.Kind = strings.TrimSpace(q.Kind)
		q.IssuedOn, q.ExpiresOn = dateOnly(q.IssuedOn), dateOnly(q.ExpiresOn)
	}
	for i := range p.Links {
		l := &p.Links[i]
		l.Relation, l.Note = strings.TrimSpace(l.Relation), strings.TrimSpace(l.Note)
	}
}

// BirthField names the input that carries a birth date of precision p: the
// date itself ("birth_date") for an exact date, a month or a year, and the
// earliest day ("birth_min") for an assessed range.
func BirthField(p Precision) string {
	if p == Assessed {
		return "birth_min"
	}
	return "birth_date"
}

// Validate checks the person's own rules at day (today): at least one name;
// names, documents, permits and links of known kinds and not too many; no
// birth in the future or more than 120 years ago; a range whose end is not
// before its start; no arrival before birth or in the future; a known
// nationality (ISO 3166-1) and known languages (ISO 639); a valid codice
// fiscale, personal or provisional; no document, permit or appointment
// issued in the future or expiring before it was issued; no over-long text.
// Call Normalize first. It returns EINVALID naming each field, rows as
// "documents.2.kind".
func (p *Person) Validate(day time.Time) error {
	var v validation
	today := dateOnly(day)
	if strings.TrimSpace(p.Identity.PrimaryName()) == "" {
		v.add("names", "error.field.required")
	}
	if len(p.Identity.Names) > MaxNames {
		v.add("names", "error.field.too_many", MaxNames)
	}
	for i, n := range p.Identity.Names {
		v.length(row("names", i, "text"), n.Text, MaxNameLength)
		if !slices.Contains(NameKinds, n.Kind) {
			v.add(row("names", i, "kind"), "error.field.unknown_value")
		}
	}
	p.validateBirth(&v, today)
	if !p.ArrivedOn.IsZero() {
		switch {
		case p.ArrivedOn.After(today):
			v.add("arrived_on", "error.field.future")
		case p.Birth.Known() && p.ArrivedOn.Before(p.Birth.Min):
			v.add("arrived_on", "error.field.arrival_before_birth")
		}
	}
	if !slices.Contains(Sexes, p.Sex) {
		v.add("sex", "error.field.unknown_value")
	}
	if p.Nationality != "" {
		if _, ok := refdata.LookupCountry(p.Nationality); !ok {
			v.add("nationality", "error.field.country_code", p.Nationality)
		}
	}
	if len(p.Languages) > MaxLanguages {
		v.add("languages", "error.field.too_many", MaxLanguages)
	}
	for _, l := range p.Languages {
		if _, ok := refdata.LookupLanguage(l); !ok {
			v.add("languages", "error.field.language_code", l)
			break
		}
	}
	if cf := p.Identity.CodiceFiscale; cf != "" {
		if _, err := codicefiscale.Validate(cf); err != nil {
			reason := codicefiscale.WrongLength
			if e, ok := err.(*codicefiscale.Error); ok {
				reason = e.Reason
			}
			v.add("codice_fiscale", CodiceFiscaleMessage(reason))
		}
	}
	v.length("arrival_place", p.Identity.ArrivalPlace, MaxNameLength)
	v.length("cui", p.Identity.CUI, MaxCUILength)
	v.length("gender", p.Gender, MaxGroupLength)
	v.length("religion", p.Religion, MaxGroupLength)
	v.length("guardian_name", p.Guardian.Name, MaxNameLength)
	v.length("guardian_court", p.Guardian.Court, MaxNameLength)
	if p.Guardian.AppointedOn.After(today) {
		v.add("guardian_appointed_on", "error.field.future")
	}
	p.validateRows(&v, today)
	return v.err()
}

// validateBirth checks the birth date.
func (p *Person) validateBirth(v *validation, today time.Time) {
	b := p.Birth
	if !slices.Contains(Precisions, b.Precision) {
		v.add("birth_precision", "error.field.unknown_value")
		return
	}
	if b.Precision == UnknownDate {
		return
	}
	field := BirthField(b.Precision)
	switch {
	case b.Min.IsZero():
		v.add(field, "error.field.required")
	case b.Max.IsZero():
		v.add("birth_max", "error.field.required")
	case b.Max.Before(b.Min):
		v.add("birth_max", "error.field.before_start")
	case b.Min.After(today):
		v.add(field, "error.field.future")
	case b.Precision == Assessed && b.Max.After(today):
		v.add("birth_max", "error.field.future")
	case b.Min.Before(today.AddDate(-120, 0, 0)):
		v.add(field, "error.field.too_old")
	}
}

// validateRows checks the documents, permits and links.
func (p *Person) validateRows(v *validation, today time.Time) {
	if len(p.Documents) > MaxDocuments {
		v.add("documents", "error.field.too_many", MaxDocuments)
	}
	for i, d := range p.Documents {
		switch {
		case d.Kind == "":
			v.add(row("documents", i, "kind"), "error.field.required")
		case !slices.Contains(DocumentKinds, d.Kind):
			v.add(row("documents", i, "kind"), "error.field.unknown_value")
		}
		v.length(row("documents", i, "number"), d.Number, MaxNumberLen)
		v.length(row("documents", i, "issuer"), d.Issuer, MaxNameLength)
		v.period("documents", i, d.IssuedOn, d.ExpiresOn, today)
	}
	if len(p.Permits) > MaxPermits {
		v.add("permits", "error.field.too_many", MaxPermits)
	}
	for i, q := range p.Permits {
		switch {
		case q.Kind == "":
			v.add(row("permits", i, "kind"), "error.field.required")
		case !slices.Contains(PermitKinds, q.Kind):
			v.add(row("permits", i, "kind"), "error.field.unknown_value")
		}
		v.period("permits", i, q.IssuedOn, q.ExpiresOn, today)
	}
	if len(p.Links) > MaxLinks {
		v.add("links", "error.field.too_many", MaxLinks)
	}
	for i, l := range p.Links {
		switch {
		case l.Relation == "":
			v.add(row("links", i, "relation"), "error.field.required")
		case !slices.Contains(Relations, l.Relation):
			v.add(row("links", i, "relation"), "error.field.unknown_value")
		}
		switch {
		case l.OtherPersonID == 0 && l.Note == "":
			v.add(row("links", i, "note"), "error.field.link_target")
		case l.OtherPersonID != 0 && l.OtherPersonID == p.ID:
			v.add(row("links", i, "other_person_id"), "error.field.unknown_reference")
		}
		v.length(row("links", i, "note"), l.Note, MaxLinkNote)
	}
}

// codiceFiscaleMessages are the catalogue keys of the messages that explain
// why a codice fiscale was refused.
var codiceFiscaleMessages = map[codicefiscale.Reason]string{
	codicefiscale.WrongLength:         "error.field.cf_length",
	codicefiscale.BadFormat:           "error.field.cf_format",
	codicefiscale.BadMonth:            "error.field.cf_month",
	codicefiscale.BadDay:              "error.field.cf_day",
	codicefiscale.BadCheck:            "error.field.cf_check",
	codicefiscale.BadProvisionalCheck: "error.field.cf_provisional_check",
}

// CodiceFiscaleMessage returns the catalogue key of the message that
// explains why a codice fiscale was refused.
func CodiceFiscaleMessage(r codicefiscale.Reason) string {
	if key, ok := codiceFiscaleMessages[r]; ok {
		return key
	}
	return "error.field.cf_format"
}

// validation collects the problems of a record.
type validation struct{ problems []approdo.FieldError }

func (v *validation) add(field, msg string, args ...any) {
	v.problems = append(v.problems, approdo.FieldError{Field: field, Message: msg, Args: args})
}

func (v *validation) length(field, value string, limit int) {
	if utf8.RuneCountInString(value) > limit {
		v.add(field, "error.field.too_long", limit)
	}
}

// period checks the dates of row i of list: not issued in the future, not
// expiring before issue.
func (v *validation) period(list string, i int, issued, expires, today time.Time) {
	if issued.After(today) {
		v.add(row(list, i, "issued_on"), "error.field.future")
	}
	if !issued.IsZero() && !expires.IsZero() && expires.Before(issued) {
		v.add(row(list, i, "expires_on"), "error.field.before_start")
	}
}

func (v *validation) err() error {
	if len(v.problems) > 0 {
		return approdo.Invalid(v.problems...)
	}
	return nil
}

// row names the field of row i of a list, as forms and JSON bodies do.
func row(list string, i int, field string) string {
	return list + "." + strconv.Itoa(i) + "." + field
}

// Changes returns the names of the fields in which b differs from p, in a
// fixed order, for the audit log (which names fields, never values).
func (p *Person) Changes(b *Person) []string {
	var out []string
	add := func(field string, differ bool) {
		if differ {
			out = append(out, field)
		}
	}
	add("sex", p.Sex != b.Sex)
	add("birth", !p.Birth.Equal(b.Birth))
	add("nationality", p.Nationality != b.Nationality)
	add("languages", !slices.Equal(p.Languages, b.Languages))
	add("arrived_on", !p.ArrivedOn.Equal(b.ArrivedOn))
	add("unaccompanied", p.Unaccompanied != b.Unaccompanied)
	add("names", !slices.Equal(p.Identity.Names, b.Identity.Names))
	add("arrival_place", p.Identity.ArrivalPlace != b.Identity.ArrivalPlace)
	add("cui", p.Identity.CUI != b.Identity.CUI)
	add("codice_fiscale", p.Identity.CodiceFiscale != b.Identity.CodiceFiscale)
	add("guardian_name", p.Guardian.Name != b.Guardian.Name)
	add("guardian_court", p.Guardian.Court != b.Guardian.Court)
	add("guardian_appointed_on", !p.Guardian.AppointedOn.Equal(b.Guardian.AppointedOn))
	add("gender", p.Gender != b.Gender)
	add("religion", p.Religion != b.Religion)
	add("documents", !slices.EqualFunc(p.Documents, b.Documents, Document.same))
	add("permits", !slices.EqualFunc(p.Permits, b.Permits, Permit.same))
	add("links", !slices.EqualFunc(p.Links, b.Links, Link.same))
	return out
}

// SetFields returns the names of the fields a new person has, for the audit
// entry of its creation.
func (p *Person) SetFields() []string {
	return (&Person{Birth: BirthDate{Precision: UnknownDate}}).Changes(p)
}

// DocumentKinds lists the kinds of identity document recorded.
var DocumentKinds = []string{"passport", "identity_card", "birth_certificate", "consular_id", "travel_document", "other"}

// PermitKinds lists the kinds of residence permit ("permesso di soggiorno")
// recorded.
var PermitKinds = []string{"minor_age", "family", "asylum_application", "refugee", "subsidiary_protection",
	"special_protection", "social_protection_art18", "victim_violence_art18bis", "study", "work", "waiting_employment", "other"}

// Document is an identity document of a person. Its kind and dates are kept
// in clear, for expiry reminders; its number is sealed in the identity
// group.
type Document struct {
	ID        int64
	Kind      string
	Number    string
	Issuer    string
	IssuedOn  time.Time
	ExpiresOn time.Time
}

func (d Document) same(e Document) bool {
	return d.Kind == e.Kind && d.Number == e.Number && d.Issuer == e.Issuer && d.IssuedOn.Equal(e.IssuedOn) &&
		d.ExpiresOn.Equal(e.ExpiresOn)
}

// Permit is a residence permit of a person.
type Permit struct {
	ID        int64
	Kind      string
	IssuedOn  time.Time
	ExpiresOn time.Time
}

func (q Permit) same(r Permit) bool {
	return q.Kind == r.Kind && q.IssuedOn.Equal(r.IssuedOn) && q.ExpiresOn.Equal(r.ExpiresOn)
}

// Relations lists the family relations recorded between persons: what the
// other person is to this one ("mother": the other is their mother).
var Relations = []string{"mother", "father", "child", "sibling", "spouse", "grandparent", "uncle_aunt", "cousin", "other"}

// Link is a family link of a person, to a person with a file of their own
// (OtherPersonID) or described only in a note, sealed in the identity group.
type Link struct {
	ID            int64
	Relation      string
	OtherPersonID int64
	Note          string
}

func (l Link) same(m Link) bool {
	return l.Relation == m.Relation && l.OtherPersonID == m.OtherPersonID && l.Note == m.Note
}

// ParseBirth reads a birth date as forms and JSON bodies give it: its
// precision; for an exact date, a month or a year, the date written
// "2009-03-14" or "14/03/2009", "2009-03" or "03/2009", or "2009"; for an
// assessed range, its first and last possible days, each written as an
// exact date. An empty precision is unknown. It returns the problems of
// the fields "birth_precision", "birth_date", "birth_min" and "birth_max"
// (a missing date is left to Validate).
func ParseBirth(precision, date, from, to string) (BirthDate, []approdo.FieldError) {
	p := Precision(strings.TrimSpace(precision))
	date, from, to = strings.TrimSpace(date), strings.TrimSpace(from), strings.TrimSpace(to)
	var problems []approdo.FieldError
	bad := func(field, msg string) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg})
	}
	switch p {
	case "", UnknownDate:
		return BirthDate{Precision: UnknownDate}, nil
	case ExactDate, MonthOnly, YearOnly:
		if date == "" {
			return BirthDate{Precision: p}, nil
		}
		t, ok := parseDay(date, p)
		if !ok {
			bad("birth_date", birthFormatMessages[p])
			return BirthDate{Precision: p}, problems
		}
		return NewBirthDate(p, t), nil
	case Assessed:
		b := BirthDate{Precision: Assessed}
		if from != "" {
			if t, ok := parseDay(from, ExactDate); ok {
				b.Min = t
			} else {
				bad("birth_min", "error.field.date")
			}
		}
		if to != "" {
			if t, ok := parseDay(to, ExactDate); ok {
				b.Max = t
			} else {
				bad("birth_max", "error.field.date")
			}
		}
		return b, problems
	}
	bad("birth_precision", "error.field.unknown_value")
	return BirthDate{Precision: p}, problems
}

// birthFormatMessages are the catalogue keys of the messages that explain
// how to write a birth date of each precision.
var birthFormatMessages = map[Precision]string{
	ExactDate: "error.field.birth_exact",
	MonthOnly: "error.field.birth_month",
	YearOnly:  "error.field.birth_year",
}

// parseDay reads a date written to precision p: a day, a month or a year,
// in ISO order or as Italians write it.
func parseDay(s string, p Precision) (time.Time, bool) {
	var layouts []string
	switch p {
	case ExactDate:
		layouts = []string{"2006-01-02", "02/01/2006", "2/1/2006"}
	case MonthOnly:
		layouts = []string{"2006-01", "01/2006", "1/2006"}
	case YearOnly:
		layouts = []string{"2006"}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatBirthDate writes the date of a birth date of precision exact, month
// or year as ParseBirth reads it: "2009-03-14", "2009-03" or "2009"; "" for
// a range or an unknown date.
func FormatBirthDate(b BirthDate) string {
	switch b.Precision {
	case ExactDate:
		return b.Min.Format("2006-01-02")
	case MonthOnly:
		return b.Min.Format("2006-01")
	case YearOnly:
		return b.Min.Format("2006")
	}
	return ""
}
