package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/casework"
	"approdo/refdata"
)

// The form that saves one section of a case's assessment. Its fields are
// those of the section the actor may see, in the section's order; the
// migration journey and the legal pathway are tables with a fixed number
// of rows, so that the form needs no script, and blank rows are left out
// when saving.

// Rows the tables of the form offer at least, and beyond the saved ones.
const (
	journeyRows = 6
	stepRows    = 5
)

// assessmentItem is one field of the form, or of the section as shown:
// a text, the journey or the legal steps.
type assessmentItem struct {
	Name  string
	Group string // the sensitive field group, "" for none
	Kind  string // "text", "journey" or "steps"
	Value string // the text, as typed or saved
}

// legRow is one row of the journey table, as typed.
type legRow struct {
	Index, Number                    int
	Country, From, To, Months, Notes string
}

// stepRow is one row of the legal pathway table, as typed.
type stepRow struct {
	Index, Number                                   int
	Subject, Status, NextStep, ResponsibleID, DueOn string
}

// assessmentConflict is what someone else saved on the section while the
// form was open: who and when, and for each field now different, the saved
// text beside the one typed.
type assessmentConflict struct {
	By   string
	At   time.Time
	Rows []assessmentConflictRow
}

// assessmentConflictRow is one field of a conflict.
type assessmentConflictRow struct {
	Field, Label, Saved, Yours string
}

// assessmentForm is the form of one section, as typed or as saved.
type assessmentForm struct {
	Case    *cases.Case
	Section cases.AssessmentSection
	// Version is the version the form was made from; the current one
	// after a conflict, so that saving again applies the form.
	Version  int
	Items    []assessmentItem
	Legs     []legRow
	Steps    []stepRow
	Hidden   string // the names of the groups not shown, joined, or ""
	Errors   []formError
	Conflict *assessmentConflict

	Team      []casework.MemberView
	Countries []option
	Statuses  []option
	Max       map[string]int
}

// FieldError returns the message of the named field, or "".
func (f assessmentForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// Has reports whether the form shows the field name.
func (f assessmentForm) Has(name string) bool {
	for _, it := range f.Items {
		if it.Name == name {
			return true
		}
	}
	return false
}

// newAssessmentForm returns the form of section v as its reader sees it.
func newAssessmentForm(ca *casework.CaseAssessment, v *casework.SectionView, lang string) assessmentForm {
	f := assessmentForm{Case: ca.Case, Section: v.Section, Version: v.Version}
	for _, fd := range v.Content.Fields() {
		if !v.Sees(fd.Group) {
			continue
		}
		switch x := fd.Value.(type) {
		case *string:
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "text", Value: *x})
		case *[]cases.JourneyLeg:
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "journey"})
			for i, l := range *x {
				row := legRow{Index: i, Number: i + 1, Country: countryValue(l.Country, lang), From: l.From, To: l.To, Notes: l.Notes}
				if l.Months != 0 {
					row.Months = strconv.Itoa(l.Months)
				}
				f.Legs = append(f.Legs, row)
			}
		case *[]cases.LegalStep:
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "steps"})
			for i, s := range *x {
				row := stepRow{Index: i, Number: i + 1, Subject: s.Subject, Status: string(s.Status), NextStep: s.NextStep, DueOn: s.DueOn}
				if s.ResponsibleID != 0 {
					row.ResponsibleID = strconv.FormatInt(s.ResponsibleID, 10)
				}
				f.Steps = append(f.Steps, row)
			}
		}
	}
	return f
}

// readAssessmentForm reads the posted form of section into the form, to
// show again, and into the input, to save. The rows of the tables are
// numbered as in the form; rows maps each leg or step of the input back to
// its row, since blank rows are left out.
func readAssessmentForm(r *http.Request, c *cases.Case, section cases.AssessmentSection) (assessmentForm, casework.AssessmentInput, map[string][]int) {
	f := assessmentForm{Case: c, Section: section, Version: formVersion(r)}
	in := casework.AssessmentInput{Content: cases.NewSectionContent(section)}
	rows := map[string][]int{}
	if s := strings.TrimSpace(r.PostFormValue("version")); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
		} else {
			in.Version = &v
		}
	}
	if in.Content == nil {
		return f, in, rows
	}
	v := r.PostFormValue
	for _, fd := range in.Content.Fields() {
		if _, sent := r.PostForm[fd.Name]; !sent && fd.Group != cases.GeneralGroup {
			// A field the form did not show, as its group is hidden.
			continue
		}
		switch x := fd.Value.(type) {
		case *string:
			*x = v(fd.Name)
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "text", Value: *x})
		case *[]cases.JourneyLeg:
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "journey"})
			for _, n := range rowNumbers(r, "journey") {
				field := func(name string) string { return fmt.Sprintf("journey.%d.%s", n, name) }
				row := legRow{Index: n, Number: n + 1, Country: v(field("country")), From: v(field("from")), To: v(field("to")),
					Months: v(field("months")), Notes: v(field("notes"))}
				f.Legs = append(f.Legs, row)
				leg := cases.JourneyLeg{Country: countryCode(row.Country), From: row.From, To: row.To, Notes: row.Notes}
				if s := strings.TrimSpace(row.Months); s != "" {
					m, err := strconv.Atoi(s)
					if err != nil {
						// Named after the leg it becomes, as the service's
						// problems are; formRowNames renames them all.
						in.Problems = append(in.Problems, approdo.FieldError{
							Field: fmt.Sprintf("journey.%d.months", len(*x)), Message: "error.field.months"})
						m = 1 // not blank, so that the row is kept and its problem shown
					}
					leg.Months = m
				}
				leg.Country = strings.TrimSpace(leg.Country)
				if strings.TrimSpace(leg.Country+leg.From+leg.To+leg.Notes) == "" && leg.Months == 0 {
					continue
				}
				*x = append(*x, leg)
				rows["journey"] = append(rows["journey"], n)
			}
		case *[]cases.LegalStep:
			f.Items = append(f.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "steps"})
			for _, n := range rowNumbers(r, "legal_steps") {
				field := func(name string) string { return fmt.Sprintf("legal_steps.%d.%s", n, name) }
				row := stepRow{Index: n, Number: n + 1, Subject: v(field("subject")), Status: v(field("status")),
					NextStep: v(field("next_step")), ResponsibleID: v(field("responsible_id")), DueOn: v(field("due_on"))}
				f.Steps = append(f.Steps, row)
				step := cases.LegalStep{Subject: row.Subject, Status: cases.StepStatus(row.Status), NextStep: row.NextStep,
					ResponsibleID: parseID(row.ResponsibleID), DueOn: row.DueOn}
				if strings.TrimSpace(step.Subject+string(step.Status)+step.NextStep+step.DueOn) == "" && step.ResponsibleID == 0 {
					continue
				}
				*x = append(*x, step)
				rows["legal_steps"] = append(rows["legal_steps"], n)
			}
		}
	}
	return f, in, rows
}

// formRowNames renames the fields of err's problems from the input's legs
// and steps ("journey.I.country") to the form's rows ("journey.N.country").
func formRowNames(err error, rows map[string][]int) error {
	return remapFields(err, func(field string) string {
		list, rest, ok := strings.Cut(field, ".")
		if !ok {
			return field
		}
		num, name, ok := strings.Cut(rest, ".")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= len(rows[list]) {
			return field
		}
		return fmt.Sprintf("%s.%d.%s", list, rows[list][i], name)
	})
}

// renderAssessmentForm shows the form with status, with the lists it
// offers and blank rows to add legs and steps.
func (h *Handler) renderAssessmentForm(w http.ResponseWriter, r *http.Request, status int, f assessmentForm, team []casework.MemberView, hidden []string) {
	l := lang(r.Context())
	f.Team = team
	f.Hidden = h.groupNames(l, hidden)
	for _, x := range refdata.CountriesByName(l) {
		f.Countries = append(f.Countries, option{Value: x.Name(l) + " (" + x.Alpha2 + ")"})
	}
	for _, s := range cases.StepStatuses {
		f.Statuses = append(f.Statuses, option{Value: string(s), Label: h.Catalogue.T(l, "step.status."+string(s))})
	}
	f.Max = map[string]int{"text": cases.MaxAssessmentText, "notes": cases.MaxLegNotes, "months": cases.MaxLegMonths,
		"subject": cases.MaxStepSubject, "next_step": cases.MaxNextStep}
	shown := f.Items[:0:0]
	for _, it := range f.Items {
		if !slices.Contains(hidden, it.Group) {
			shown = append(shown, it)
		}
	}
	f.Items = shown
	if f.Has("journey") {
		filled := 0
		for _, l := range f.Legs {
			if strings.TrimSpace(l.Country+l.From+l.To+l.Months+l.Notes) != "" {
				filled++
			}
		}
		next := 0
		if len(f.Legs) > 0 {
			next = f.Legs[len(f.Legs)-1].Index + 1
		}
		for len(f.Legs) < cases.MaxJourneyLegs && len(f.Legs) < max(journeyRows, filled+1) {
			f.Legs = append(f.Legs, legRow{Index: next, Number: next + 1})
			next++
		}
	}
	if f.Has("legal_steps") {
		filled := 0
		for _, s := range f.Steps {
			if strings.TrimSpace(s.Subject+s.Status+s.NextStep+s.ResponsibleID+s.DueOn) != "" {
				filled++
			}
		}
		next := 0
		if len(f.Steps) > 0 {
			next = f.Steps[len(f.Steps)-1].Index + 1
		}
		for len(f.Steps) < cases.MaxLegalSteps && len(f.Steps) < max(stepRows, filled+1) {
			f.Steps = append(f.Steps, stepRow{Index: next, Number: next + 1})
			next++
		}
	}
	h.render(w, r, status, "assessment_form", h.newPage(r, "assessment.edit_title", f))
}

// groupNames writes the names of field groups in lang, joined by commas.
func (h *Handler) groupNames(lang string, groups []string) string {
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, h.Catalogue.T(lang, "access.field_group."+g))
	}
	return strings.Join(names, ", ")
}

// assessmentText writes field fd of a section for a person to read: a text
// as it is, a journey and legal steps one line per leg or step, with the
// names of countries, statuses and people. Empty is "".
func (h *Handler) assessmentText(lang string, fd cases.AssessmentField, team []casework.MemberView) string {
	switch x := fd.Value.(type) {
	case *string:
		return *x
	case *[]cases.JourneyLeg:
		lines := make([]string, 0, len(*x))
		for _, l := range *x {
			lines = append(lines, h.legText(lang, l))
		}
		return strings.Join(lines, "\n")
	case *[]cases.LegalStep:
		lines := make([]string, 0, len(*x))
		for _, s := range *x {
			lines = append(lines, h.stepText(lang, s, team))
		}
		return strings.Join(lines, "\n")
	}
	return ""
}

// legText writes a leg of a journey on one line.
func (h *Handler) legText(lang string, l cases.JourneyLeg) string {
	parts := []string{countryValue(l.Country, lang)}
	if l.From != "" || l.To != "" {
		parts = append(parts, l.From+" – "+l.To)
	}
	if l.Months != 0 {
		parts = append(parts, h.Catalogue.T(lang, "assessment.months", l.Months))
	}
	if l.Notes != "" {
		parts = append(parts, l.Notes)
	}
	return strings.Join(parts, " · ")
}

// stepText writes a step of the legal pathway on one line.
func (h *Handler) stepText(lang string, s cases.LegalStep, team []casework.MemberView) string {
	parts := []string{s.Subject, h.Catalogue.T(lang, "step.status."+string(s.Status))}
	if s.NextStep != "" {
		parts = append(parts, s.NextStep)
	}
	if name := memberName(team, s.ResponsibleID); name != "" {
		parts = append(parts, name)
	}
	if s.DueOn != "" {
		parts = append(parts, s.DueOn)
	}
	return strings.Join(parts, " · ")
}

// memberName returns the name of user id among team, or "".
func memberName(team []casework.MemberView, id int64) string {
	for _, m := range team {
		if m.UserID == id && id != 0 {
			return m.Name
		}
	}
	return ""
}
