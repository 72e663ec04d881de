package api_test

import (
	"encoding/json"
	"slices"
	"testing"

	"approdo/cases"
	"approdo/internal/api"
)

// TestCaseEnumsFollowTheDomain checks that the document lists exactly the
// codes the domain knows for stages, kinds, risks, concerns and closures,
// so that a code added to one is added to the other.
func TestCaseEnumsFollowTheDomain(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	strs := func(xs any) []string {
		var out []string
		switch v := xs.(type) {
		case []cases.Stage:
			for _, x := range v {
				out = append(out, string(x))
			}
		case []cases.Kind:
			for _, x := range v {
				out = append(out, string(x))
			}
		case []cases.Risk:
			for _, x := range v {
				out = append(out, string(x))
			}
		case []string:
			out = v
		}
		return out
	}
	for name, want := range map[string]any{"Stage": cases.Stages, "CaseKind": cases.Kinds, "Risk": cases.Risks,
		"Concern": cases.Concerns, "ClosureReason": cases.ClosureReasons, "ClosureOutcome": cases.ClosureOutcomes} {
		if got := doc.Components.Schemas[name].Enum; !slices.Equal(got, strs(want)) {
			t.Errorf("schema %s lists %v, the domain %v", name, got, strs(want))
		}
	}
}
