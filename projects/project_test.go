package projects_test

import (
	"slices"
	"testing"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/projects"
)

var catalogue = map[string]projects.Intervention{
	"rent_support":      {Code: "rent_support", Kinds: []cases.Kind{cases.UnaccompaniedMinor, cases.TraffickingVictim}, CapMonths: 12, CapCents: 600000},
	"italian_course":    {Code: "italian_course"},
	"parenting_support": {Code: "parenting_support", Kinds: []cases.Kind{cases.FamilyInDistress}},
}

func fields(err error) []string {
	var out []string
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, f.Field+":"+f.Message)
	}
	return out
}

func TestCheckNamesEveryRuleBroken(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	good := projects.Content{StartOn: start, ReviewEveryMonths: 3, Goals: []projects.Goal{
		{Domain: projects.Housing, Objective: "Una casa in autonomia", Actions: []projects.Action{
			{Description: "Sostegno all'affitto", Intervention: "rent_support", Months: 12, PlannedCents: 480000, DueOn: start.AddDate(1, 0, 0)}}},
		{Domain: projects.Language, Objective: "Livello A2", Actions: []projects.Action{{Description: "Corso", Intervention: "italian_course"}}},
	}}
	if err := projects.Check(&good, cases.UnaccompaniedMinor, catalogue); err != nil {
		t.Fatalf("a good project: %v", fields(err))
	}
	for _, tc := range []struct {
		name   string
		change func(c *projects.Content)
		kind   cases.Kind
		want   []string
	}{
		{"rent support past its cap", func(c *projects.Content) { c.Goals[0].Actions[0].Months = 13 }, cases.UnaccompaniedMinor,
			[]string{"goals.housing.actions.0.months:error.project.cap_months"}},
		{"rent support over its money", func(c *projects.Content) { c.Goals[0].Actions[0].PlannedCents = 600001 }, cases.UnaccompaniedMinor,
			[]string{"goals.housing.actions.0.planned_cents:error.project.cap_cents"}},
		{"an intervention for another kind", func(c *projects.Content) {}, cases.FamilyInDistress,
			[]string{"goals.housing.actions.0.intervention:error.project.not_eligible"}},
		{"an unknown intervention", func(c *projects.Content) { c.Goals[1].Actions[0].Intervention = "holiday" }, cases.UnaccompaniedMinor,
			[]string{"goals.language.actions.0.intervention:error.field.unknown_value"}},
		{"negative amounts and months", func(c *projects.Content) {
			c.Goals[1].Actions[0].Months, c.Goals[1].Actions[0].PlannedCents = -1, -5
		}, cases.UnaccompaniedMinor, []string{"goals.language.actions.0.months:error.field.negative", "goals.language.actions.0.planned_cents:error.field.negative"}},
		{"an absurd amount", func(c *projects.Content) { c.Goals[1].Actions[0].PlannedCents = projects.MaxCents + 1 }, cases.UnaccompaniedMinor,
			[]string{"goals.language.actions.0.planned_cents:error.project.amount_absurd"}},
		{"an action due before the start", func(c *projects.Content) { c.Goals[0].Actions[0].DueOn = start.AddDate(0, 0, -1) }, cases.UnaccompaniedMinor,
			[]string{"goals.housing.actions.0.due_on:error.field.before_start"}},
		{"no start, no cadence", func(c *projects.Content) { c.StartOn, c.ReviewEveryMonths = time.Time{}, 0 }, cases.UnaccompaniedMinor,
			[]string{"start_on:error.field.required", "review_every_months:error.project.review_cadence"}},
		{"actions without a goal", func(c *projects.Content) { c.Goals[1].Objective = "" }, cases.UnaccompaniedMinor,
			[]string{"goals.language.objective:error.field.required"}},
	} {
		c := good
		c.Goals = nil
		for _, g := range good.Goals {
			g.Actions = slices.Clone(g.Actions)
			c.Goals = append(c.Goals, g)
		}
		tc.change(&c)
		got := fields(projects.Check(&c, tc.kind, catalogue))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNobodyDecidesOnTheirOwnSubmission(t *testing.T) {
	p := &projects.Project{CoSignedBy: 3, SubmittedBy: 4}
	for _, who := range []int64{3, 4} {
		if got := fields(projects.CheckDecider(p, who)); !slices.Equal(got, []string{"decision:error.project.own_submission"}) {
			t.Errorf("user %d deciding: %v", who, got)
		}
	}
	if err := projects.CheckDecider(p, 5); err != nil {
		t.Errorf("another user deciding: %v", err)
	}
	if got := fields(projects.CheckSubmission(&projects.Content{})); !slices.Equal(got, []string{"goals:error.project.no_goal", "person_agrees:error.project.no_agreement"}) {
		t.Errorf("submitting an empty project: %v", got)
	}
}

func TestCompareNamesTheFieldsThatDiffer(t *testing.T) {
	a := projects.Content{ReviewEveryMonths: 3, Goals: []projects.Goal{{Domain: projects.Work, Objective: "Tirocinio",
		Actions: []projects.Action{{Description: "Corso HACCP", Months: 1}}}}}
	b := a
	b.Goals = []projects.Goal{{Domain: projects.Work, Objective: "Tirocinio in cucina",
		Actions: []projects.Action{{Description: "Corso HACCP", Months: 2}, {Description: "Colloqui"}}}}
	b.PersonAgrees = true
	var got []string
	for _, d := range projects.Compare(&a, &b) {
		got = append(got, d.Field+"="+d.A+">"+d.B)
	}
	want := []string{"goals.work.objective=Tirocinio>Tirocinio in cucina", "goals.work.actions.0.months=1>2",
		"goals.work.actions.1.description=>Colloqui", "person_agrees=false>true"}
	if !slices.Equal(got, want) {
		t.Errorf("differences %q, want %q", got, want)
	}
	if d := projects.Compare(&a, &a); len(d) != 0 {
		t.Errorf("a version differs from itself: %v", d)
	}
}
