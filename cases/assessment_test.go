package cases_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/cases"
)

func TestAssessmentSectionsAreChecked(t *testing.T) {
	now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		content cases.SectionContent
		want    []string // "field message"
	}{
		{"valid history", &cases.SocialHistory{Profile: "Ragazzo curioso", Journey: []cases.JourneyLeg{
			{Country: "GM", Months: 3}, {Country: "ly", From: "2025-01", To: "2026-03"}}}, nil},
		{"unknown country", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Country: "XX"}}}, []string{"journey.0.country error.field.country_code"}},
		{"no country", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Months: 2}}}, []string{"journey.0.country error.field.required"}},
		{"negative months", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Country: "NE", Months: -1}}}, []string{"journey.0.months error.field.negative"}},
		{"months out of bounds", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Country: "NE", Months: 601}}}, []string{"journey.0.months error.field.too_large"}},
		{"bad and future months", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Country: "NE", From: "2025-13", To: "2026-04"}}},
			[]string{"journey.0.from error.field.month", "journey.0.to error.field.future"}},
		{"departure before arrival", &cases.SocialHistory{Journey: []cases.JourneyLeg{{Country: "NE", From: "2025-05", To: "2025-01"}}},
			[]string{"journey.0.to error.field.end_before_start"}},
		{"too long", &cases.VulnerabilityAssessment{HealthNeeds: strings.Repeat("à", cases.MaxAssessmentText+1)},
			[]string{"health_needs error.field.too_long"}},
		{"valid pathway", &cases.LegalPathway{Steps: []cases.LegalStep{{Subject: "Passaporto", Status: cases.StepMissing, DueOn: "2026-04-01"}}}, nil},
		{"bad step", &cases.LegalPathway{Steps: []cases.LegalStep{{Status: "lost", DueOn: "presto", NextStep: strings.Repeat("a", cases.MaxNextStep+1)}}},
			[]string{"legal_steps.0.subject error.field.required", "legal_steps.0.status error.field.unknown_value",
				"legal_steps.0.next_step error.field.too_long", "legal_steps.0.due_on error.field.date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cases.NormalizeSection(tc.content)
			var got []string
			for _, f := range approdo.ErrorFields(tc.content.Validate(now)) {
				got = append(got, f.Field+" "+f.Message)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHiddenGroupsAreKeptAndChangesNamed(t *testing.T) {
	stored := &cases.SocialHistory{Profile: "Prima", HealthHistory: "Asma", ViolenceHistory: "Percosse",
		Journey: []cases.JourneyLeg{{Country: "LY", Months: 4}}}
	typed := &cases.SocialHistory{Profile: "Dopo", HealthHistory: "Sovrascritto", Journey: []cases.JourneyLeg{{Country: "LY", Months: 4}}}
	cases.CopyGroups(typed, stored, func(g string) bool { return g == "health" || g == "violence" })
	if typed.HealthHistory != "Asma" || typed.ViolenceHistory != "Percosse" || typed.Profile != "Dopo" {
		t.Fatalf("the hidden groups were not kept: %+v", typed)
	}
	if got := cases.ChangedFields(stored, typed); !slices.Equal(got, []string{"profile"}) {
		t.Errorf("changed fields: %v", got)
	}
	if got := cases.ChangedFields(&cases.LegalPathway{}, &cases.LegalPathway{Steps: []cases.LegalStep{}}); len(got) != 0 {
		t.Errorf("an empty list and no list differ: %v", got)
	}
	if got := cases.SectionGroups(&cases.VulnerabilityAssessment{}); !slices.Equal(got, []string{"", "health", "violence"}) {
		t.Errorf("the groups of the vulnerability assessment: %v", got)
	}
}
