package projects

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"approdo"
	"approdo/cases"
)

// Intervention is an entry of the catalogue of interventions, kept as data
// that administrators edit: its name in Italian and in English, the case
// kinds it serves (none: every kind), its caps in months and in money (zero:
// none), the programme budget line it draws on, its place in the lists, and
// whether it is still offered. A retired entry (Active false) is never
// deleted: the projects that name it keep showing it and keep their actions,
// but it cannot be chosen for a new action (see CheckRetired).
type Intervention struct {
	Code   string
	NameIT string
	// NameEN is the English name, or "" when the Italian one stands in.
	NameEN     string
	Kinds      []cases.Kind
	CapMonths  int
	CapCents   int64
	BudgetLine string
	Position   int
	Active     bool
	Version    int // the edit version, for detecting lost updates
}

// Limits of an entry of the catalogue.
const (
	MaxInterventionCode = 40
	MaxInterventionName = 200
	MaxCapMonths        = 60           // five years
	MaxCapCents         = 1_000_000_00 // one million euro
	MaxBudgetLineText   = 40           // characters of the budget line
	MaxPosition         = 10_000       // places in the lists
)

// Eligible reports whether the intervention serves cases of kind k.
func (i *Intervention) Eligible(k cases.Kind) bool {
	return len(i.Kinds) == 0 || slices.Contains(i.Kinds, k)
}

// Name returns the entry's name in lang: the English one for "en" when it
// has one, the Italian one otherwise.
func (i Intervention) Name(lang string) string {
	if lang == "en" && i.NameEN != "" {
		return i.NameEN
	}
	return i.NameIT
}

// Normalize trims the entry's text and puts its kinds in the order of
// cases.Kinds, once each; kinds that are not case kinds stay, last, for
// Validate to name.
func (i *Intervention) Normalize() {
	i.Code, i.NameIT, i.NameEN = strings.TrimSpace(i.Code), strings.TrimSpace(i.NameIT), strings.TrimSpace(i.NameEN)
	i.BudgetLine = strings.TrimSpace(i.BudgetLine)
	var kinds []cases.Kind
	for _, k := range i.Kinds {
		k = cases.Kind(strings.TrimSpace(string(k)))
		if k != "" && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.SortStableFunc(kinds, func(a, b cases.Kind) int { return kindIndex(a) - kindIndex(b) })
	i.Kinds = kinds
}

// kindIndex is the place of k in cases.Kinds, after them for an unknown one.
func kindIndex(k cases.Kind) int {
	if n := slices.Index(cases.Kinds, k); n >= 0 {
		return n
	}
	return len(cases.Kinds)
}

// validInterventionCode reports whether s may be the code of an entry:
// lower-case letters, digits and underscores, at most MaxInterventionCode.
func validInterventionCode(s string) bool {
	if s == "" || len(s) > MaxInterventionCode {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Validate checks an entry of the catalogue, once normalised: a code of
// lower-case letters, digits and underscores ("code"), an Italian name
// ("name_it") and names of plausible length ("name_en"), case kinds among
// cases.Kinds ("kinds"), caps neither negative nor beyond MaxCapMonths and
// MaxCapCents ("cap_months", "cap_cents"), a budget line of at most
// MaxBudgetLineText characters ("budget_line") and a place in the lists
// ("position"). It returns EINVALID naming each field at fault; whether the
// code is already taken is for the store to tell.
func (i *Intervention) Validate() error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if !validInterventionCode(i.Code) {
		add("code", "error.intervention.code", MaxInterventionCode)
	}
	switch n := utf8.RuneCountInString(i.NameIT); {
	case n == 0:
		add("name_it", "error.field.required")
	case n > MaxInterventionName:
		add("name_it", "error.field.too_long", MaxInterventionName)
	}
	if utf8.RuneCountInString(i.NameEN) > MaxInterventionName {
		add("name_en", "error.field.too_long", MaxInterventionName)
	}
	for _, k := range i.Kinds {
		if !k.Valid() {
			add("kinds", "error.intervention.unknown_kind", string(k))
			break
		}
	}
	switch {
	case i.CapMonths < 0:
		add("cap_months", "error.field.negative")
	case i.CapMonths > MaxCapMonths:
		add("cap_months", "error.intervention.cap_months", MaxCapMonths)
	}
	switch {
	case i.CapCents < 0:
		add("cap_cents", "error.field.negative")
	case i.CapCents > MaxCapCents:
		add("cap_cents", "error.intervention.cap_cents")
	}
	if utf8.RuneCountInString(i.BudgetLine) > MaxBudgetLineText {
		add("budget_line", "error.field.too_long", MaxBudgetLineText)
	}
	switch {
	case i.Position < 0:
		add("position", "error.field.negative")
	case i.Position > MaxPosition:
		add("position", "error.field.too_large")
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// Changes names the fields whose values differ between i and b, as
// Validate names them, for the audit log and for a note on an edit that
// lost a race.
func (i *Intervention) Changes(b *Intervention) []string {
	var out []string
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"code", i.Code != b.Code},
		{"name_it", i.NameIT != b.NameIT},
		{"name_en", i.NameEN != b.NameEN},
		{"kinds", !slices.Equal(i.Kinds, b.Kinds)},
		{"cap_months", i.CapMonths != b.CapMonths},
		{"cap_cents", i.CapCents != b.CapCents},
		{"budget_line", i.BudgetLine != b.BudgetLine},
		{"position", i.Position != b.Position},
		{"active", i.Active != b.Active},
	} {
		if f.changed {
			out = append(out, f.name)
		}
	}
	return out
}

// CheckRetired refuses the actions of c that name an intervention the
// catalogue has retired, unless the same goal already had an action with
// that intervention in one of before (the project as it was last saved,
// its last approved version; nil ones are skipped): a retired entry cannot
// be chosen for a new action, but the actions that already use it stay as
// they are, and the project can be saved again with them. The field at fault
// is "goals.DOMAIN.actions.N.intervention", N counted as Check counts it.
// Codes the catalogue does not know are left to Check.
func CheckRetired(c *Content, catalogue map[string]Intervention, before ...*Content) error {
	kept := map[string]bool{}
	for _, b := range before {
		if b == nil {
			continue
		}
		for _, g := range b.Goals {
			for _, a := range g.Actions {
				kept[string(g.Domain)+"|"+a.Intervention] = true
			}
		}
	}
	var problems []approdo.FieldError
	for _, g := range c.Goals {
		for n, a := range g.Actions {
			i, ok := catalogue[a.Intervention]
			if a.Intervention == "" || !ok || i.Active || kept[string(g.Domain)+"|"+a.Intervention] {
				continue
			}
			problems = append(problems, approdo.FieldError{Field: "goals." + string(g.Domain) + ".actions." + strconv.Itoa(n) + ".intervention",
				Message: "error.project.retired"})
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}
