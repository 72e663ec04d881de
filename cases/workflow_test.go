package cases_test

import (
	"slices"
	"testing"

	"approdo"
	"approdo/cases"
)

func TestMovesFollowTheProtocol(t *testing.T) {
	for _, tc := range []struct {
		from, to cases.Stage
		kind     cases.MoveKind
		refusal  string
	}{
		{cases.StageReport, cases.StageScreening, cases.Forward, ""},
		{cases.StageScreening, cases.StageReport, cases.Back, ""},
		{cases.StageAssessment, cases.StageProject, cases.Forward, ""},
		{cases.StageProject, cases.StageAssessment, cases.Back, ""},
		{cases.StageMonitoring, cases.StageClosure, cases.Close, ""},
		{cases.StageTakenCharge, cases.StageClosure, cases.Close, ""},
		{cases.StageAssessment, cases.StageClosure, cases.Close, ""},
		{cases.StageClosure, cases.StageFollowUp, cases.Forward, ""},
		{cases.StageFollowUp, cases.StageClosure, cases.Back, ""},
		{cases.StageClosure, cases.StageMonitoring, cases.Reopen, ""},
		{cases.StageFollowUp, cases.StageMonitoring, cases.Reopen, ""},
		{cases.StageScreening, cases.StageClosure, "", "error.stage.close_too_early"},
		{cases.StageReport, cases.StageClosure, "", "error.stage.close_too_early"},
		{cases.StageMonitoring, cases.StageFollowUp, "", "error.stage.follow_up_after_closure"},
		{cases.StageReport, cases.StageAssessment, "", "error.stage.not_allowed"},
		{cases.StageProject, cases.StageTakenCharge, "", "error.stage.not_allowed"},
		{cases.StageClosure, cases.StageProject, "", "error.stage.closed"},
		{cases.StageProject, cases.StageProject, "", "error.stage.same"},
		{cases.StageProject, "limbo", "", "error.field.unknown_value"},
		{cases.StageProject, "", "", "error.field.required"},
	} {
		kind, err := cases.CheckMove(tc.from, tc.to)
		if tc.refusal == "" {
			if err != nil || kind != tc.kind {
				t.Errorf("%s → %s: %s, %v; want %s", tc.from, tc.to, kind, err, tc.kind)
			}
			continue
		}
		fields := approdo.ErrorFields(err)
		if len(fields) != 1 || fields[0].Field != "stage" || fields[0].Message != tc.refusal {
			t.Errorf("%s → %s: %v, want %s on stage", tc.from, tc.to, err, tc.refusal)
		}
	}
}

func TestClosureNeedsAReasonAndOutcomes(t *testing.T) {
	out, err := cases.CheckClosure("autonomy", []string{"work", "housing", "work"})
	if err != nil || !slices.Equal(out, []string{"housing", "work"}) {
		t.Fatalf("a good closure: %v %v", out, err)
	}
	for _, tc := range []struct {
		reason   string
		outcomes []string
		fields   []string
	}{
		{"", nil, []string{"closure_reason", "outcomes"}},
		{"boredom", []string{"work"}, []string{"closure_reason"}},
		{"other", []string{"fame"}, []string{"outcomes"}},
		{"other", []string{"none", "work"}, []string{"outcomes"}},
	} {
		_, err := cases.CheckClosure(tc.reason, tc.outcomes)
		var got []string
		for _, f := range approdo.ErrorFields(err) {
			got = append(got, f.Field)
		}
		if !slices.Equal(got, tc.fields) {
			t.Errorf("closing with %q %v: fields %v, want %v", tc.reason, tc.outcomes, got, tc.fields)
		}
	}
}

func TestNetChangesFoldRevisions(t *testing.T) {
	revs := []cases.Revision{
		{Version: 2, ActorID: 1, Changes: []cases.Change{{Field: "risk", From: "low", To: "high"}, {Field: "stage", From: "project", To: "monitoring"}}},
		{Version: 3, ActorID: 2, Changes: []cases.Change{{Field: "risk", From: "high", To: "critical"}, {Field: "stage", From: "monitoring", To: "project"}}},
	}
	net := cases.Net(revs)
	if len(net) != 1 || net[0].Field != "risk" || net[0].From != "low" || net[0].To != "critical" || net[0].ActorID != 2 {
		t.Fatalf("net changes: %+v", net)
	}
	before := &cases.Case{Stage: cases.StageProject, Risk: cases.RiskLow, Concerns: []string{"gbv"}}
	after := *before
	after.Concerns = []string{"gbv", "health"}
	if d := cases.Diff(before, &after); len(d) != 1 || d[0].Field != "concerns" || d[0].To != "gbv,health" {
		t.Fatalf("diff: %+v", d)
	}
}
