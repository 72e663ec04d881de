package network

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"approdo"
)

// The longest texts the network's records hold, in characters.
const (
	MaxCode        = 40
	MaxName        = 200
	MaxDescription = 4000
	MaxEmail       = 254
	MaxLanguages   = 20
	MaxBudgetLines = 200
	// MaxAmountCents bounds one budget line (ten billion euro), so that the
	// sum of a programme's lines never overflows.
	MaxAmountCents = 1_000_000_000_000
)

var (
	codeFormat     = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]*$`)
	usernameFormat = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)
	languageFormat = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// problems collects the field problems of one record.
type problems []approdo.FieldError

func (p *problems) add(field, message string, args ...any) {
	*p = append(*p, approdo.FieldError{Field: field, Message: message, Args: args})
}

// text checks a required or optional text field against its longest length.
func (p *problems) text(field, value string, required bool, max int) {
	switch {
	case required && value == "":
		p.add(field, "error.field.required")
	case utf8.RuneCountInString(value) > max:
		p.add(field, "error.field.too_long", max)
	}
}

// code checks a record's code: required, short, and made of capital
// letters, digits, dots, dashes and underscores, as the codes funders and
// registries use ("FI-PO", "BS-INTERCULTURA").
func (p *problems) code(field, value string) {
	p.text(field, value, true, MaxCode)
	if value != "" && !codeFormat.MatchString(value) {
		p.add(field, "error.field.code_format")
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return approdo.Invalid(p...)
}

// NormalizeCode trims a code and puts it in capitals, the form codes are
// stored in.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// Normalize trims the area's texts and puts its code in capitals.
func (a *Area) Normalize() {
	a.Code, a.Name, a.Region = NormalizeCode(a.Code), strings.TrimSpace(a.Name), strings.TrimSpace(a.Region)
}

// Validate checks the area on its own, without the database. It returns an
// EINVALID error naming every field at fault, or nil.
func (a *Area) Validate() error {
	var p problems
	p.code("code", a.Code)
	p.text("name", a.Name, true, MaxName)
	p.text("region", a.Region, true, MaxName)
	return p.err()
}

// Changes returns the names of the fields whose values differ between a
// and b, as forms and the API name them; never the values.
func (a *Area) Changes(b *Area) []string {
	var f []string
	f = changed(f, "code", a.Code != b.Code)
	f = changed(f, "name", a.Name != b.Name)
	f = changed(f, "region", a.Region != b.Region)
	return f
}

// Normalize trims the organisation's texts and puts its code in capitals.
func (o *Organisation) Normalize() {
	o.Code, o.Name = NormalizeCode(o.Code), strings.TrimSpace(o.Name)
	o.Kind = Kind(strings.TrimSpace(string(o.Kind)))
}

// Validate checks the organisation on its own, without the database: that
// the area exists is the service's to check. It returns an EINVALID error
// naming every field at fault, or nil.
func (o *Organisation) Validate() error {
	var p problems
	p.code("code", o.Code)
	p.text("name", o.Name, true, MaxName)
	if o.Kind == "" {
		p.add("kind", "error.field.required")
	} else if !o.Kind.Valid() {
		p.add("kind", "error.field.unknown_value")
	}
	if o.AreaID < 0 {
		p.add("area_id", "error.field.unknown_reference")
	}
	return p.err()
}

// Changes returns the names of the fields whose values differ between o
// and b.
func (o *Organisation) Changes(b *Organisation) []string {
	var f []string
	f = changed(f, "code", o.Code != b.Code)
	f = changed(f, "name", o.Name != b.Name)
	f = changed(f, "kind", o.Kind != b.Kind)
	f = changed(f, "area_id", o.AreaID != b.AreaID)
	return f
}

// Normalize trims the programme's texts, puts its codes in capitals, drops
// repeated partners and areas and the lead entity from its partners, and
// sorts them, so that two equal programmes compare equal.
func (p *Programme) Normalize() {
	p.Code, p.Name = NormalizeCode(p.Code), strings.TrimSpace(p.Name)
	p.Funder, p.Description = strings.TrimSpace(p.Funder), strings.TrimSpace(p.Description)
	p.PartnerIDs = slices.DeleteFunc(sortedIDs(p.PartnerIDs), func(id int64) bool { return id == p.LeadOrgID })
	p.AreaIDs = sortedIDs(p.AreaIDs)
	for i := range p.BudgetLines {
		l := &p.BudgetLines[i]
		l.Code, l.Label = NormalizeCode(l.Code), strings.TrimSpace(l.Label)
	}
}

// Validate checks the programme on its own, without the database: that its
// organisations and areas exist is the service's to check. Problems with a
// budget line name the line's field as "budget_lines.N.field", N counting
// from 0. It returns an EINVALID error naming every field at fault, or nil.
func (p *Programme) Validate() error {
	var e problems
	e.code("code", p.Code)
	e.text("name", p.Name, true, MaxName)
	e.text("funder", p.Funder, true, MaxName)
	if p.StartsOn.IsZero() {
		e.add("starts_on", "error.field.required")
	}
	if p.EndsOn.IsZero() {
		e.add("ends_on", "error.field.required")
	} else if !p.StartsOn.IsZero() && p.EndsOn.Before(p.StartsOn) {
		e.add("ends_on", "error.field.end_before_start")
	}
	if p.LeadOrgID <= 0 {
		e.add("lead_organisation_id", "error.field.required")
	}
	e.text("description", p.Description, false, MaxDescription)
	if len(p.BudgetLines) > MaxBudgetLines {
		e.add("budget_lines", "error.field.too_many", MaxBudgetLines)
	}
	seen := map[string]bool{}
	for i, l := range p.BudgetLines {
		field := func(name string) string { return fmt.Sprintf("budget_lines.%d.%s", i, name) }
		e.code(field("code"), l.Code)
		if l.Code != "" && seen[l.Code] {
			e.add(field("code"), "error.field.duplicate")
		}
		seen[l.Code] = true
		e.text(field("label"), l.Label, true, MaxName)
		switch {
		case l.AmountCents < 0:
			e.add(field("amount_cents"), "error.field.negative")
		case l.AmountCents > MaxAmountCents:
			e.add(field("amount_cents"), "error.field.too_large")
		}
		if l.OrganisationID < 0 {
			e.add(field("organisation_id"), "error.field.unknown_reference")
		}
	}
	return e.err()
}

// BudgetCents returns the sum of the programme's budget lines.
func (p *Programme) BudgetCents() int64 {
	var sum int64
	for _, l := range p.BudgetLines {
		sum += l.AmountCents
	}
	return sum
}

// Changes returns the names of the fields whose values differ between p
// and b; "budget_lines" stands for any change to the lines.
func (p *Programme) Changes(b *Programme) []string {
	var f []string
	f = changed(f, "code", p.Code != b.Code)
	f = changed(f, "name", p.Name != b.Name)
	f = changed(f, "funder", p.Funder != b.Funder)
	f = changed(f, "starts_on", !p.StartsOn.Equal(b.StartsOn))
	f = changed(f, "ends_on", !p.EndsOn.Equal(b.EndsOn))
	f = changed(f, "lead_organisation_id", p.LeadOrgID != b.LeadOrgID)
	f = changed(f, "partner_ids", !slices.Equal(sortedIDs(p.PartnerIDs), sortedIDs(b.PartnerIDs)))
	f = changed(f, "area_ids", !slices.Equal(sortedIDs(p.AreaIDs), sortedIDs(b.AreaIDs)))
	f = changed(f, "description", p.Description != b.Description)
	f = changed(f, "budget_lines", !sameLines(p.BudgetLines, b.BudgetLines))
	return f
}

// sameLines reports whether two budgets hold the same lines, ignoring their
// ids, which a form or a client may leave out.
func sameLines(a, b []BudgetLine) bool {
	return slices.EqualFunc(a, b, func(x, y BudgetLine) bool {
		return x.Code == y.Code && x.Label == y.Label && x.AmountCents == y.AmountCents && x.OrganisationID == y.OrganisationID
	})
}

// Normalize trims the user's texts, puts their username, e-mail address and
// language codes in lower case, and drops repeated languages, roles and
// areas.
func (u *User) Normalize() {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName, u.Profession = strings.TrimSpace(u.DisplayName), strings.TrimSpace(u.Profession)
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Locale = strings.TrimSpace(u.Locale)
	var langs []string
	for _, l := range u.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	u.Languages = langs
	u.AreaIDs = sortedIDs(u.AreaIDs)
	var roles []Role
	for _, r := range u.Roles {
		if r = Role(strings.TrimSpace(string(r))); r != "" && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	u.Roles = roles
}

// Validate checks the user on its own, without the database: that their
// organisation, areas and roles exist is the service's to check. Languages
// must be ISO 639 codes of two or three lower-case letters ("it", "ar",
// "tir"). It returns an EINVALID error naming every field at fault, or nil.
func (u *User) Validate() error {
	var p problems
	if u.Username == "" {
		p.add("username", "error.field.required")
	} else if !usernameFormat.MatchString(u.Username) {
		p.add("username", "error.field.username_format")
	}
	p.text("display_name", u.DisplayName, true, MaxName)
	p.text("email", u.Email, false, MaxEmail)
	if u.Email != "" && utf8.RuneCountInString(u.Email) <= MaxEmail {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || !strings.Contains(u.Email, ".") {
			p.add("email", "error.field.email")
		}
	}
	p.text("profession", u.Profession, false, MaxName)
	if u.OrganisationID <= 0 {
		p.add("organisation_id", "error.field.required")
	}
	if len(u.Languages) > MaxLanguages {
		p.add("languages", "error.field.too_many", MaxLanguages)
	}
	for _, l := range u.Languages {
		if !languageFormat.MatchString(l) {
			p.add("languages", "error.field.language_code", l)
			break
		}
	}
	if len(u.Roles) == 0 {
		p.add("roles", "error.field.required")
	}
	return p.err()
}

// Changes returns the names of the profile fields whose values differ
// between u and b. Roles are left out: a change of roles is a change of
// permissions, which the audit log records apart (see RolesChanged).
func (u *User) Changes(b *User) []string {
	var f []string
	f = changed(f, "username", u.Username != b.Username)
	f = changed(f, "display_name", u.DisplayName != b.DisplayName)
	f = changed(f, "email", u.Email != b.Email)
	f = changed(f, "organisation_id", u.OrganisationID != b.OrganisationID)
	f = changed(f, "profession", u.Profession != b.Profession)
	f = changed(f, "languages", !slices.Equal(u.Languages, b.Languages))
	f = changed(f, "locale", u.Locale != b.Locale)
	f = changed(f, "area_ids", !slices.Equal(sortedIDs(u.AreaIDs), sortedIDs(b.AreaIDs)))
	return f
}

// RolesChanged reports whether u and b hold different roles.
func (u *User) RolesChanged(b *User) bool {
	x, y := slices.Clone(u.Roles), slices.Clone(b.Roles)
	slices.Sort(x)
	slices.Sort(y)
	return !slices.Equal(x, y)
}

func changed(fields []string, name string, differs bool) []string {
	if differs {
		return append(fields, name)
	}
	return fields
}

// sortedIDs returns ids sorted, without repeats and without zeros.
func sortedIDs(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}
