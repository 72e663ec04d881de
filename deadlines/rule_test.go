package deadlines_test

import (
	"slices"
	"strings"
	"testing"

	"approdo"
	"approdo/deadlines"
)

func good() deadlines.Rule {
	return deadlines.Rule{Code: "test_rule", NameIT: "Prova", NameEN: "Test", Starts: deadlines.Placement403,
		Offset: deadlines.Offset{Amount: 24, Unit: deadlines.Hours}, Responsible: deadlines.CaseWorker, TitleIT: "Fare",
		TitleEN: "Do", Completes: deadlines.ProsecutorTransmission, SourceText: "art. 403 c.c.", Enabled: true}
}

var roles = []string{"owner", "co_owner", "contributor", "consultant"}

func fields(err error) []string {
	var out []string
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestValidateNamesEveryField(t *testing.T) {
	r := good()
	if err := r.Validate(roles); err != nil {
		t.Fatalf("a good rule: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *deadlines.Rule)
		field string
	}{
		{"unknown event", func(r *deadlines.Rule) { r.Starts = "moon_landing" }, "start_event"},
		{"unknown completion", func(r *deadlines.Rule) { r.Completes = "moon_landing" }, "completion_event"},
		{"completes on its own start", func(r *deadlines.Rule) { r.Completes = r.Starts }, "completion_event"},
		{"unknown unit", func(r *deadlines.Rule) { r.Offset.Unit = "weeks" }, "offset_unit"},
		{"negative after an event", func(r *deadlines.Rule) { r.Offset.Amount = -3 }, "offset_amount"},
		{"missing title", func(r *deadlines.Rule) { r.TitleIT = "" }, "title_it"},
		{"missing source", func(r *deadlines.Rule) { r.SourceText = "" }, "source_text"},
		{"bad source address", func(r *deadlines.Rule) { r.SourceURL = "javascript:alert(1)" }, "source_url"},
		{"unknown responsible", func(r *deadlines.Rule) { r.Responsible = "pope" }, "responsible"},
		{"bad code", func(r *deadlines.Rule) { r.Code = "Bad Code" }, "code"},
		{"unknown bound", func(r *deadlines.Rule) {
			r.Starts, r.Completes, r.Birthday = deadlines.EighteenthBirthday, "", "middle"
		}, "birthday"},
	} {
		r := good()
		tc.edit(&r)
		err := r.Validate(roles)
		if approdo.ErrorCode(err) != approdo.EINVALID || !slices.Contains(fields(err), tc.field) {
			t.Errorf("%s: %v (fields %v), want EINVALID on %s", tc.name, err, fields(err), tc.field)
		}
	}
	// Before the 18th birthday and a permit's expiry, negative offsets open
	// windows.
	for _, e := range []deadlines.Event{deadlines.EighteenthBirthday, deadlines.PermitExpiry} {
		r := good()
		r.Starts, r.Completes, r.Offset = e, "", deadlines.Offset{Amount: -90, Unit: deadlines.Days}
		r.Normalize()
		if err := r.Validate(roles); err != nil {
			t.Errorf("-90 days before %s: %v", e, err)
		}
	}
}

func TestCycles(t *testing.T) {
	a := good()
	b := good()
	b.Code, b.Starts, b.Completes = "back", deadlines.ProsecutorTransmission, deadlines.Placement403
	err := deadlines.Check(&b, []deadlines.Rule{a}, roles)
	if approdo.ErrorCode(err) != approdo.EINVALID || !slices.Contains(fields(err), "completion_event") {
		t.Fatalf("a two-rule cycle: %v", err)
	}
	if f := approdo.ErrorFields(err)[0]; !strings.Contains(f.Args[0].(string), "placement_403") {
		t.Errorf("the cycle is not named: %v", f.Args)
	}
	// A longer one, through three rules.
	c := good()
	c.Code, c.Starts, c.Completes = "mid", deadlines.ProsecutorTransmission, deadlines.ProsecutorRequest
	d := good()
	d.Code, d.Starts, d.Completes = "end", deadlines.ProsecutorRequest, deadlines.Placement403
	if err := deadlines.Check(&d, []deadlines.Rule{a, c}, roles); approdo.ErrorCode(err) != approdo.EINVALID {
		t.Errorf("a three-rule cycle: %v", err)
	}
	// A disabled rule makes no cycle.
	d.Enabled = false
	if err := deadlines.Check(&d, []deadlines.Rule{a, c}, roles); err != nil {
		t.Errorf("a disabled rule: %v", err)
	}
	// A programme's rule overrides the network's, breaking its cycle for
	// that programme only, so the network's cycle still counts.
	d.Enabled = true
	override := c
	override.ProgrammeID, override.Completes = 7, deadlines.ValidationDecree
	if err := deadlines.Check(&d, []deadlines.Rule{a, c, override}, roles); approdo.ErrorCode(err) != approdo.EINVALID {
		t.Errorf("the network's cycle with an override elsewhere: %v", err)
	}
	// A chain is no cycle.
	if err := deadlines.Check(&c, []deadlines.Rule{a}, roles); err != nil {
		t.Errorf("a chain: %v", err)
	}
}

func TestEffective(t *testing.T) {
	a := good()
	o := good()
	o.ProgrammeID, o.Offset.Amount = 3, 48
	own := good()
	own.Code, own.ProgrammeID = "own", 3
	got := deadlines.Effective([]deadlines.Rule{o, a, own}, 3)
	if len(got) != 2 || got[0].Offset.Amount != 48 || got[1].Code != "own" {
		t.Errorf("programme 3: %+v", got)
	}
	if got := deadlines.Effective([]deadlines.Rule{a, o, own}, 4); len(got) != 1 || got[0].Offset.Amount != 24 {
		t.Errorf("programme 4: %+v", got)
	}
}
