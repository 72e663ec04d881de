package projects_test

import (
	"slices"
	"testing"

	"approdo/cases"
	"approdo/projects"
)

func TestInterventionValidateNamesEveryRuleBroken(t *testing.T) {
	good := projects.Intervention{Code: "sport_mentoring", NameIT: "Tutoraggio sportivo", Kinds: []cases.Kind{cases.UnaccompaniedMinor},
		CapMonths: 60, CapCents: projects.MaxCapCents, BudgetLine: "training", Active: true}
	if err := good.Validate(); err != nil {
		t.Fatalf("a good entry: %v", err)
	}
	for _, c := range []struct {
		name   string
		change func(i *projects.Intervention)
		want   string
	}{
		{"upper case code", func(i *projects.Intervention) { i.Code = "Sport" }, "code:error.intervention.code"},
		{"code with a space", func(i *projects.Intervention) { i.Code = "sport mentoring" }, "code:error.intervention.code"},
		{"empty code", func(i *projects.Intervention) { i.Code = "" }, "code:error.intervention.code"},
		{"no name", func(i *projects.Intervention) { i.NameIT = "" }, "name_it:error.field.required"},
		{"unknown kind", func(i *projects.Intervention) { i.Kinds = append(i.Kinds, "alien") }, "kinds:error.intervention.unknown_kind"},
		{"negative months", func(i *projects.Intervention) { i.CapMonths = -1 }, "cap_months:error.field.negative"},
		{"absurd months", func(i *projects.Intervention) { i.CapMonths = 61 }, "cap_months:error.intervention.cap_months"},
		{"negative amount", func(i *projects.Intervention) { i.CapCents = -1 }, "cap_cents:error.field.negative"},
		{"absurd amount", func(i *projects.Intervention) { i.CapCents = projects.MaxCapCents + 1 }, "cap_cents:error.intervention.cap_cents"},
		{"long budget line", func(i *projects.Intervention) { i.BudgetLine = "abcdefghijabcdefghijabcdefghijabcdefghijx" }, "budget_line:error.field.too_long"},
		{"negative position", func(i *projects.Intervention) { i.Position = -1 }, "position:error.field.negative"},
	} {
		i := good
		i.Kinds = slices.Clone(good.Kinds)
		c.change(&i)
		if got := fields(i.Validate()); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: %v, want %s", c.name, got, c.want)
		}
	}
}

func TestInterventionNormalizeAndName(t *testing.T) {
	i := projects.Intervention{Code: " sport ", NameIT: " Sport ", Kinds: []cases.Kind{cases.FamilyInDistress, " ", cases.UnaccompaniedMinor,
		cases.FamilyInDistress}}
	i.Normalize()
	if i.Code != "sport" || i.NameIT != "Sport" || !slices.Equal(i.Kinds, []cases.Kind{cases.UnaccompaniedMinor, cases.FamilyInDistress}) {
		t.Fatalf("normalised: %+v", i)
	}
	if i.Name("en") != "Sport" {
		t.Error("an entry without an English name is not named in Italian")
	}
	i.NameEN = "Sports"
	if i.Name("en") != "Sports" || i.Name("it") != "Sport" {
		t.Error("an entry is not named in the reader's language")
	}
	if c := i.Changes(&projects.Intervention{Code: "sport", NameIT: "Sport", Kinds: i.Kinds, Active: true}); !slices.Equal(c, []string{"name_en", "active"}) {
		t.Errorf("changes: %v", c)
	}
}

func TestRetiredInterventionsStayWhereTheyWere(t *testing.T) {
	catalogue := map[string]projects.Intervention{
		"rent_support":   {Code: "rent_support", Active: false},
		"italian_course": {Code: "italian_course", Active: true},
	}
	action := func(code string) projects.Action { return projects.Action{Description: "x", Intervention: code} }
	before := &projects.Content{Goals: []projects.Goal{{Domain: projects.Housing, Actions: []projects.Action{action("rent_support")}}}}
	now := &projects.Content{Goals: []projects.Goal{
		{Domain: projects.Housing, Actions: []projects.Action{{}, action("rent_support")}},
		{Domain: projects.Language, Actions: []projects.Action{action("italian_course"), action("rent_support")}},
	}}
	if got := fields(projects.CheckRetired(now, catalogue, nil, before)); !slices.Equal(got, []string{"goals.language.actions.1.intervention:error.project.retired"}) {
		t.Errorf("with the retired entry already in the housing goal: %v", got)
	}
	if got := fields(projects.CheckRetired(now, catalogue)); len(got) != 2 {
		t.Errorf("in a new project: %v", got)
	}
}
