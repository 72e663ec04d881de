package network_test

import (
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/network"
)

// fields returns the fields at fault in err, with their messages.
func fields(err error) map[string]string {
	out := map[string]string{}
	for _, f := range approdo.ErrorFields(err) {
		out[f.Field] = f.Message
	}
	return out
}

func TestUserLanguagesAreISO639Codes(t *testing.T) {
	for _, c := range []struct {
		langs []string
		ok    bool
	}{
		{[]string{"it", "EN", " ar ", "tir"}, true},
		{[]string{"it", "it"}, true},
		{[]string{"italiano"}, false},
		{[]string{"en-GB"}, false},
		{[]string{"e1"}, false},
		{[]string{"x"}, false},
	} {
		u := network.User{Username: "anna.b", DisplayName: "Anna", OrganisationID: 1, Roles: []network.Role{network.Reporter}, Languages: c.langs}
		u.Normalize()
		err := u.Validate()
		if (err == nil) != c.ok {
			t.Errorf("languages %q: %v", c.langs, err)
		}
		if err != nil && fields(err)["languages"] != "error.field.language_code" {
			t.Errorf("languages %q: %v", c.langs, err)
		}
		if c.ok && strings.Join(u.Languages, ",") != strings.Join(dedupe(c.langs), ",") {
			t.Errorf("languages %q normalised to %q", c.langs, u.Languages)
		}
	}
}

func dedupe(langs []string) []string {
	var out []string
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if !strings.Contains(strings.Join(out, ","), l) {
			out = append(out, l)
		}
	}
	return out
}

func TestUserRules(t *testing.T) {
	u := network.User{Username: "Bad Name", DisplayName: strings.Repeat("é", network.MaxName+1), Email: "not-an-address"}
	u.Normalize()
	got := fields(u.Validate())
	want := map[string]string{"username": "error.field.username_format", "display_name": "error.field.too_long",
		"email": "error.field.email", "organisation_id": "error.field.required", "roles": "error.field.required"}
	for f, m := range want {
		if got[f] != m {
			t.Errorf("%s: %q, want %q", f, got[f], m)
		}
	}
	ok := network.User{Username: " Maria.Rossi ", DisplayName: "Maria", Email: "Maria@Example.org", OrganisationID: 3, Roles: []network.Role{"b_role", "a_role", "b_role"}}
	ok.Normalize()
	if err := ok.Validate(); err != nil || ok.Username != "maria.rossi" || ok.Email != "maria@example.org" || len(ok.Roles) != 2 || ok.Roles[0] != "a_role" {
		t.Fatalf("a good user: %v %+v", err, ok)
	}
}

func TestProgrammeRules(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := network.Programme{Code: "ok-1", Name: "P", Funder: "F", StartsOn: start, EndsOn: start.AddDate(0, 0, -1), LeadOrgID: 7,
		PartnerIDs: []int64{7, 3, 3}, BudgetLines: []network.BudgetLine{
			{Code: "a.1", Label: "Uno", AmountCents: 1}, {Code: "A.1", Label: "Due", AmountCents: -1}, {Code: "", Label: "", AmountCents: network.MaxAmountCents + 1}}}
	p.Normalize()
	if len(p.PartnerIDs) != 1 || p.PartnerIDs[0] != 3 || p.Code != "OK-1" {
		t.Fatalf("normalised: %+v", p)
	}
	got := fields(p.Validate())
	for f, m := range map[string]string{"ends_on": "error.field.end_before_start", "budget_lines.1.code": "error.field.duplicate",
		"budget_lines.1.amount_cents": "error.field.negative", "budget_lines.2.code": "error.field.required",
		"budget_lines.2.label": "error.field.required", "budget_lines.2.amount_cents": "error.field.too_large"} {
		if got[f] != m {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], m, got)
		}
	}
	p.EndsOn = start
	p.BudgetLines = p.BudgetLines[:1]
	if err := p.Validate(); err != nil {
		t.Fatalf("a programme of one day: %v", err)
	}
	if c := (&network.Programme{}).Changes(&p); len(c) != 8 {
		t.Errorf("changes from nothing: %v", c)
	}
}

func TestCodesAreCapitalsDigitsAndMarks(t *testing.T) {
	for code, ok := range map[string]bool{"FI-PO": true, "a.1": true, "BS_E": true, "": false, "A B": false, "-X": false, "ÀREA": false,
		strings.Repeat("A", network.MaxCode+1): false} {
		a := network.Area{Code: code, Name: "N", Region: "R"}
		a.Normalize()
		if err := a.Validate(); (err == nil) != ok {
			t.Errorf("code %q: %v", code, err)
		}
	}
}
