package services_test

import (
	"slices"
	"strings"
	"testing"

	"approdo"
	"approdo/cases"
	"approdo/services"
)

// fields returns the fields at fault in err, with their messages.
func fields(err error) map[string]string {
	out := map[string]string{}
	for _, f := range approdo.ErrorFields(err) {
		out[f.Field] = f.Message
	}
	return out
}

func intp(n int) *int { return &n }

func good() services.Service {
	return services.Service{OrganisationID: 3, Name: "Supporto psicologico", Types: []string{services.PsychologicalSupport},
		Languages: []string{"it"}, ResponseDays: 5, Active: true}
}

func TestAGoodServiceIsNormalised(t *testing.T) {
	s := services.Service{OrganisationID: 3, Name: "  Supporto psicologico ", Email: " Info@Example.org ",
		Types:     []string{" legal_aid", "psychological_support", "legal_aid", ""},
		CaseKinds: []cases.Kind{cases.WomanViolence, cases.UnaccompaniedMinor, cases.WomanViolence},
		Languages: []string{"TIR", "it", " ti ", "fre"}, AreaIDs: []int64{4, 0, 2, 4},
		RequiredDocuments: []string{" ", "Documento "},
		Schedules:         []services.Schedule{{Days: []string{"fr", "MO"}, OpensAt: "9.00", ClosesAt: "13:00:00"}, {}},
		Contacts:          []services.Contact{{}, {Name: "Sportello", Phone: "+39 0574 000 000"}}}
	s.Normalize()
	if err := services.Check(&s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "Supporto psicologico" || s.Email != "info@example.org" {
		t.Errorf("texts: %q %q", s.Name, s.Email)
	}
	if !slices.Equal(s.Types, []string{"psychological_support", "legal_aid"}) {
		t.Errorf("types in the vocabulary's order, once: %q", s.Types)
	}
	if !slices.Equal(s.CaseKinds, []cases.Kind{cases.UnaccompaniedMinor, cases.WomanViolence}) {
		t.Errorf("kinds: %q", s.CaseKinds)
	}
	if !slices.Equal(s.Languages, []string{"fr", "it", "ti"}) {
		t.Errorf("languages by canonical code, once: %q", s.Languages)
	}
	if !slices.Equal(s.AreaIDs, []int64{2, 4}) || !slices.Equal(s.RequiredDocuments, []string{"Documento"}) {
		t.Errorf("areas %v documents %q", s.AreaIDs, s.RequiredDocuments)
	}
	if len(s.Schedules) != 1 || !slices.Equal(s.Schedules[0].Days, []string{"MO", "FR"}) ||
		s.Schedules[0].OpensAt != "09:00" || s.Schedules[0].ClosesAt != "13:00" {
		t.Errorf("schedules: %+v", s.Schedules)
	}
	if len(s.Contacts) != 1 {
		t.Errorf("empty contact rows are dropped: %+v", s.Contacts)
	}
}

func TestBadServicesNameTheirFields(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(*services.Service)
		field string
		msg   string
	}{
		{"no name", func(s *services.Service) { s.Name = "" }, "name", "error.field.required"},
		{"long name", func(s *services.Service) { s.Name = strings.Repeat("a", services.MaxName+1) }, "name", "error.field.too_long"},
		{"no organisation", func(s *services.Service) { s.OrganisationID = 0 }, "organisation_id", "error.field.required"},
		{"no type", func(s *services.Service) { s.Types = nil }, "service_types", "error.service.no_type"},
		{"unknown type", func(s *services.Service) { s.Types = []string{"astrology"} }, "service_types", "error.field.unknown_value"},
		{"unknown kind", func(s *services.Service) { s.CaseKinds = []cases.Kind{"tourist"} }, "case_kinds", "error.field.unknown_value"},
		{"negative age", func(s *services.Service) { s.MinAge = intp(-1) }, "min_age", "error.service.age"},
		{"absurd age", func(s *services.Service) { s.MaxAge = intp(400) }, "max_age", "error.service.age"},
		{"ages reversed", func(s *services.Service) { s.MinAge, s.MaxAge = intp(18), intp(14) }, "max_age", "error.service.age_order"},
		{"unknown language", func(s *services.Service) { s.Languages = []string{"klingon"} }, "languages", "error.field.language_code"},
		{"negative response", func(s *services.Service) { s.ResponseDays = -2 }, "response_days", "error.service.response_days"},
		{"bad e-mail", func(s *services.Service) { s.Email = "not an address" }, "email", "error.field.email"},
		{"bad url", func(s *services.Service) { s.URL = "javascript:alert(1)" }, "url", "error.service.url"},
		{"bad weekday", func(s *services.Service) {
			s.Schedules = []services.Schedule{{Days: []string{"XX"}, OpensAt: "09:00", ClosesAt: "10:00"}}
		}, "schedules.0.days", "error.field.unknown_value"},
		{"bad time", func(s *services.Service) {
			s.Schedules = []services.Schedule{{OpensAt: "25:00", ClosesAt: "26:00"}}
		}, "schedules.0.opens_at", "error.service.time"},
		{"closing before opening", func(s *services.Service) {
			s.Schedules = []services.Schedule{{Days: []string{"MO"}, OpensAt: "13:00", ClosesAt: "09:00"}}
		}, "schedules.0.closes_at", "error.service.hours_order"},
		{"opening without closing", func(s *services.Service) {
			s.Schedules = []services.Schedule{{Days: []string{"MO"}, OpensAt: "13:00"}}
		}, "schedules.0.closes_at", "error.service.hours_pair"},
		{"days without hours or words", func(s *services.Service) { s.Schedules = []services.Schedule{{Days: []string{"MO"}}} },
			"schedules.0.description", "error.service.schedule_empty"},
		{"contact without a way to reach", func(s *services.Service) { s.Contacts = []services.Contact{{Name: "Anna"}} },
			"contacts.0.phone", "error.service.contact_empty"},
		{"bad phone", func(s *services.Service) { s.Contacts = []services.Contact{{Phone: "call me"}} },
			"contacts.0.phone", "error.service.phone"},
		{"bad contact e-mail", func(s *services.Service) { s.Contacts = []services.Contact{{Email: "x@"}} },
			"contacts.0.email", "error.field.email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := good()
			c.edit(&s)
			s.Normalize()
			err := services.Check(&s)
			if approdo.ErrorCode(err) != approdo.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			if got := fields(err)[c.field]; got != c.msg {
				t.Errorf("%s: %q, want %q (all: %v)", c.field, got, c.msg, fields(err))
			}
		})
	}
}

func TestServesAndOffers(t *testing.T) {
	s := good()
	s.MinAge, s.MaxAge = intp(11), intp(21)
	for age, want := range map[int]bool{-1: true, 10: false, 11: true, 16: true, 21: true, 22: false} {
		if s.Serves(age) != want {
			t.Errorf("age %d: %v", age, !want)
		}
	}
	if !s.Offers(services.PsychologicalSupport) || s.Offers(services.LegalAid) {
		t.Error("offers what it lists")
	}
	s.Active = false
	if s.Offers(services.PsychologicalSupport) {
		t.Error("an inactive service offers nothing")
	}
}

func TestChangesNameFieldsNotValues(t *testing.T) {
	a, b := good(), good()
	b.Name, b.Active, b.Languages = "Altro", false, []string{"en"}
	got := a.Changes(&b)
	if !slices.Equal(got, []string{"name", "languages", "status"}) {
		t.Errorf("changes: %q", got)
	}
	if len(a.Changes(&a)) != 0 {
		t.Error("no change")
	}
}
