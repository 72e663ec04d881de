package cases_test

import (
	"slices"
	"testing"
	"time"

	"approdo"
	"approdo/cases"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// fields returns the fields an error names.
func fields(err error) []string {
	var out []string
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, f.Field+" "+f.Message)
	}
	return out
}

func TestBirthDateUsesEachEighteenthForItsPurpose(t *testing.T) {
	b := cases.Range(day("2008-09-01"), day("2009-08-31"))
	if got := b.EarliestEighteenth(); !got.Equal(day("2026-09-01")) {
		t.Errorf("earliest 18th: %s", got)
	}
	if got := b.LatestEighteenth(); !got.Equal(day("2027-08-31")) {
		t.Errorf("latest 18th: %s", got)
	}
	// Between the two the person may be 18, but minority is presumed.
	if !b.PresumedMinor(day("2027-01-15")) || b.PresumedMinor(day("2027-08-31")) {
		t.Errorf("presumed minority is wrong around the latest 18th birthday")
	}
	if young, old := b.AgeRange(day("2027-01-15")); young != 17 || old != 18 {
		t.Errorf("ages %d-%d", young, old)
	}
	if !(cases.BirthDate{Precision: cases.UnknownDate}).PresumedMinor(day("2030-01-01")) {
		t.Errorf("an unknown birth date does not presume minority")
	}
}

func TestParseBirth(t *testing.T) {
	for _, tc := range []struct {
		precision, date, from, to string
		want                      cases.BirthDate
		problem                   string
	}{
		{"exact", "14/03/2009", "", "", cases.NewBirthDate(cases.ExactDate, day("2009-03-14")), ""},
		{"exact", "2009-03-14", "", "", cases.NewBirthDate(cases.ExactDate, day("2009-03-14")), ""},
		{"month", "03/2009", "", "", cases.NewBirthDate(cases.MonthOnly, day("2009-03-01")), ""},
		{"year", "2009", "", "", cases.NewBirthDate(cases.YearOnly, day("2009-01-01")), ""},
		{"range", "", "2008-09-01", "2009-08-31", cases.Range(day("2008-09-01"), day("2009-08-31")), ""},
		{"", "", "", "", cases.BirthDate{Precision: cases.UnknownDate}, ""},
		{"exact", "2009-02-30", "", "", cases.BirthDate{Precision: cases.ExactDate}, "birth_date error.field.birth_exact"},
		{"year", "09", "", "", cases.BirthDate{Precision: cases.YearOnly}, "birth_date error.field.birth_year"},
		{"range", "", "yesterday", "", cases.BirthDate{Precision: cases.Assessed}, "birth_min error.field.date"},
		{"decade", "", "", "", cases.BirthDate{Precision: "decade"}, "birth_precision error.field.unknown_value"},
	} {
		got, problems := cases.ParseBirth(tc.precision, tc.date, tc.from, tc.to)
		var p string
		if len(problems) > 0 {
			p = problems[0].Field + " " + problems[0].Message
		}
		if !got.Equal(tc.want) || p != tc.problem {
			t.Errorf("ParseBirth(%q, %q, %q, %q) = %+v, %q", tc.precision, tc.date, tc.from, tc.to, got, p)
		}
	}
}

func TestPersonValidate(t *testing.T) {
	today := day("2026-11-22")
	valid := func() cases.Person {
		return cases.Person{Sex: cases.Male, Birth: cases.Range(day("2009-01-01"), day("2010-06-30")), Nationality: "eg",
			Languages: []string{"ara", "it", "ar"}, ArrivedOn: day("2025-09-01"),
			Identity: cases.Identity{Names: []cases.Name{{Kind: cases.PrimaryName, Text: "  محمد   منصور "},
				{Kind: cases.Transliteration, Text: "Mohamed Mansour"}}, CodiceFiscale: "rssmra85t10a562s"},
			Documents: []cases.Document{{Kind: "passport", Number: "a 123 456", IssuedOn: day("2024-01-01"), ExpiresOn: day("2029-01-01")}},
			Permits:   []cases.Permit{{Kind: "minor_age"}}, Links: []cases.Link{{Relation: "mother", Note: "In Egitto"}}}
	}
	p := valid()
	p.Normalize()
	if err := p.Validate(today); err != nil {
		t.Fatalf("a valid person: %v", err)
	}
	if p.Nationality != "EG" || !slices.Equal(p.Languages, []string{"ar", "it"}) || p.Identity.Names[0].Text != "محمد منصور" ||
		p.Identity.CodiceFiscale != "RSSMRA85T10A562S" || p.Documents[0].Number != "A123456" {
		t.Errorf("Normalize: %+v", p)
	}
	for _, tc := range []struct {
		name   string
		change func(p *cases.Person)
		want   string
	}{
		{"future birth", func(p *cases.Person) { p.Birth = cases.NewBirthDate(cases.ExactDate, day("2027-01-01")) }, "birth_date error.field.future"},
		{"range ending in the future", func(p *cases.Person) { p.Birth = cases.Range(day("2026-01-01"), day("2027-01-01")) }, "birth_max error.field.future"},
		{"max before min", func(p *cases.Person) { p.Birth = cases.Range(day("2010-01-01"), day("2009-01-01")) }, "birth_max error.field.before_start"},
		{"arrival before birth", func(p *cases.Person) { p.ArrivedOn = day("2008-01-01") }, "arrived_on error.field.arrival_before_birth"},
		{"arrival in the future", func(p *cases.Person) { p.ArrivedOn = day("2027-01-01") }, "arrived_on error.field.future"},
		{"unknown country", func(p *cases.Person) { p.Nationality = "XX" }, "nationality error.field.country_code"},
		{"unknown language", func(p *cases.Person) { p.Languages = []string{"zzz"} }, "languages error.field.language_code"},
		{"bad check letter", func(p *cases.Person) { p.Identity.CodiceFiscale = "RSSMRA85T10A562A" }, "codice_fiscale error.field.cf_check"},
		{"bad month", func(p *cases.Person) { p.Identity.CodiceFiscale = "RSSMRA85W10A562S" }, "codice_fiscale error.field.cf_month"},
		{"bad provisional", func(p *cases.Person) { p.Identity.CodiceFiscale = "12345678901" }, "codice_fiscale error.field.cf_provisional_check"},
		{"no name", func(p *cases.Person) { p.Identity.Names = nil }, "names error.field.required"},
		{"long name", func(p *cases.Person) { p.Identity.Names[1].Text = string(make([]rune, 201)) }, "names.1.text error.field.too_long"},
		{"name kind", func(p *cases.Person) { p.Identity.Names[1].Kind = "nickname" }, "names.1.kind error.field.unknown_value"},
		{"document kind", func(p *cases.Person) { p.Documents[0].Kind = "library_card" }, "documents.0.kind error.field.unknown_value"},
		{"document dates", func(p *cases.Person) { p.Documents[0].ExpiresOn = day("2020-01-01") }, "documents.0.expires_on error.field.before_start"},
		{"permit kind", func(p *cases.Person) { p.Permits[0].Kind = "golden_visa" }, "permits.0.kind error.field.unknown_value"},
		{"relation", func(p *cases.Person) { p.Links[0].Relation = "neighbour" }, "links.0.relation error.field.unknown_value"},
		{"link to nobody", func(p *cases.Person) { p.Links[0].Note = "" }, "links.0.note error.field.link_target"},
		{"guardian appointed tomorrow", func(p *cases.Person) { p.Guardian.AppointedOn = day("2026-11-23") }, "guardian_appointed_on error.field.future"},
	} {
		p := valid()
		tc.change(&p)
		p.Normalize()
		if got := fields(p.Validate(today)); !slices.Contains(got, tc.want) {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPersonChangesNameFieldsOnly(t *testing.T) {
	a := cases.Person{Identity: cases.Identity{Names: []cases.Name{{Kind: cases.PrimaryName, Text: "Ali"}}}, Religion: "x"}
	b := a
	b.Identity.Names = []cases.Name{{Kind: cases.PrimaryName, Text: "Aly"}}
	b.Religion = "y"
	b.Documents = []cases.Document{{Kind: "passport"}}
	if got := a.Changes(&b); !slices.Equal(got, []string{"names", "religion", "documents"}) {
		t.Errorf("Changes: %v", got)
	}
}

func TestDisplayNamePutsTheRomanisationFirst(t *testing.T) {
	id := cases.Identity{Names: []cases.Name{{Kind: cases.PrimaryName, Text: "ተስፋይ ተክለ"}, {Kind: cases.Transliteration, Text: "Tesfay Tekle"}}}
	if got := id.DisplayName(); got != "Tesfay Tekle (ተስፋይ ተክለ)" {
		t.Errorf("DisplayName: %q", got)
	}
	id = cases.Identity{Names: []cases.Name{{Kind: cases.PrimaryName, Text: "Aïcha Ben Salah"}}}
	if got := id.DisplayName(); got != "Aïcha Ben Salah" {
		t.Errorf("DisplayName: %q", got)
	}
}
