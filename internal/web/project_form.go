package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/projects"
)

// projectDateLayout is how a date input sends a date.
const projectDateLayout = "2006-01-02"

// projectForm is the form of a project's draft as the user filled it in:
// one goal per domain, each with up to projects.MaxActions actions. Field
// names are those of projects.Check ("goals.housing.actions.0.months"), so
// that a problem links to its input.
type projectForm struct {
	Version           string
	StartOn           string
	ReviewEveryMonths string
	PersonWords       string
	PersonAgrees      bool
	Goals             []goalForm
}

// goalForm is the part of the form for the goal of one domain.
type goalForm struct {
	Domain    projects.Domain
	Objective string
	Indicator string
	Actions   []actionForm
}

// actionForm is one action row of a goal.
type actionForm struct {
	Description       string
	ResponsibleOrgID  string
	ResponsibleUserID string
	DueOn             string
	Intervention      string
	Months            string
	Planned           string // euro, as typed
	BudgetLine        string
}

// Name returns the name and id of field of this goal.
func (g goalForm) Name(field string) string { return "goals." + string(g.Domain) + "." + field }

// ActionName returns the name and id of field of action n of this goal.
func (g goalForm) ActionName(n int, field string) string {
	return "goals." + string(g.Domain) + ".actions." + strconv.Itoa(n) + "." + field
}

// newProjectForm returns the form filled with c, in lang's way of writing
// amounts, with empty rows where c has no goal or action.
func newProjectForm(c *projects.Content, version int, lang string) projectForm {
	f := projectForm{Version: strconv.Itoa(version), ReviewEveryMonths: "3"}
	if c != nil {
		f.PersonWords, f.PersonAgrees = c.PersonWords, c.PersonAgrees
		if !c.StartOn.IsZero() {
			f.StartOn = c.StartOn.Format(projectDateLayout)
		}
		if c.ReviewEveryMonths != 0 {
			f.ReviewEveryMonths = strconv.Itoa(c.ReviewEveryMonths)
		}
	}
	for _, d := range projects.Domains {
		g := goalForm{Domain: d, Actions: make([]actionForm, projects.MaxActions)}
		if c != nil {
			if have := c.Goal(d); have != nil {
				g.Objective, g.Indicator = have.Objective, have.Indicator
				for n, a := range have.Actions {
					if n >= projects.MaxActions {
						break
					}
					row := actionForm{Description: a.Description, Intervention: a.Intervention, BudgetLine: a.BudgetLine}
					if a.ResponsibleOrgID != 0 {
						row.ResponsibleOrgID = strconv.FormatInt(a.ResponsibleOrgID, 10)
					}
					if a.ResponsibleUserID != 0 {
						row.ResponsibleUserID = strconv.FormatInt(a.ResponsibleUserID, 10)
					}
					if !a.DueOn.IsZero() {
						row.DueOn = a.DueOn.Format(projectDateLayout)
					}
					if a.Months != 0 {
						row.Months = strconv.Itoa(a.Months)
					}
					if a.PlannedCents != 0 {
						row.Planned = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(formatEuro(a.PlannedCents, lang), "€"), "€"))
					}
					g.Actions[n] = row
				}
			}
		}
		f.Goals = append(f.Goals, g)
	}
	return f
}

// readProjectForm reads the form of a project's draft.
func readProjectForm(r *http.Request) projectForm {
	f := projectForm{Version: r.PostFormValue("version"), StartOn: r.PostFormValue("start_on"),
		ReviewEveryMonths: r.PostFormValue("review_every_months"), PersonWords: r.PostFormValue("person_words"),
		PersonAgrees: r.PostFormValue("person_agrees") == "1"}
	for _, d := range projects.Domains {
		g := goalForm{Domain: d}
		g.Objective, g.Indicator = r.PostFormValue(g.Name("objective")), r.PostFormValue(g.Name("indicator"))
		for n := 0; n < projects.MaxActions; n++ {
			g.Actions = append(g.Actions, actionForm{Description: r.PostFormValue(g.ActionName(n, "description")),
				ResponsibleOrgID:  r.PostFormValue(g.ActionName(n, "responsible_org_id")),
				ResponsibleUserID: r.PostFormValue(g.ActionName(n, "responsible_user_id")), DueOn: r.PostFormValue(g.ActionName(n, "due_on")),
				Intervention: r.PostFormValue(g.ActionName(n, "intervention")), Months: r.PostFormValue(g.ActionName(n, "months")),
				Planned: r.PostFormValue(g.ActionName(n, "planned_cents")), BudgetLine: r.PostFormValue(g.ActionName(n, "budget_line"))})
		}
		f.Goals = append(f.Goals, g)
	}
	return f
}

// content turns the form into a project's content, with the problems of
// values that could not be read (a date, a number, an amount).
func (f projectForm) content(lang string) (projects.Content, int, []approdo.FieldError) {
	var problems []approdo.FieldError
	bad := func(field, msg string) { problems = append(problems, approdo.FieldError{Field: field, Message: msg}) }
	date := func(field, s string) time.Time {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(projectDateLayout, s, approdo.Rome)
		if err != nil {
			bad(field, "error.field.date")
		}
		return t
	}
	number := func(field, s string) int {
		if s = strings.TrimSpace(s); s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad(field, "error.field.unknown_value")
		}
		return n
	}
	c := projects.Content{StartOn: date("start_on", f.StartOn), ReviewEveryMonths: number("review_every_months", f.ReviewEveryMonths),
		PersonWords: strings.TrimSpace(f.PersonWords), PersonAgrees: f.PersonAgrees}
	for _, g := range f.Goals {
		goal := projects.Goal{Domain: g.Domain, Objective: strings.TrimSpace(g.Objective), Indicator: strings.TrimSpace(g.Indicator)}
		for n, a := range g.Actions {
			x := projects.Action{Description: strings.TrimSpace(a.Description), Intervention: strings.TrimSpace(a.Intervention),
				BudgetLine: strings.TrimSpace(a.BudgetLine),
				DueOn:      date(g.ActionName(n, "due_on"), a.DueOn), Months: number(g.ActionName(n, "months"), a.Months)}
			if id := strings.TrimSpace(a.ResponsibleOrgID); id != "" {
				x.ResponsibleOrgID = parseID(id)
			}
			if id := strings.TrimSpace(a.ResponsibleUserID); id != "" {
				x.ResponsibleUserID = parseID(id)
			}
			if s := strings.TrimSpace(a.Planned); s != "" {
				cents, ok := parseEuro(s, lang)
				if !ok {
					bad(g.ActionName(n, "planned_cents"), "error.field.amount")
				}
				x.PlannedCents = cents
			}
			goal.Actions = append(goal.Actions, x)
		}
		c.Goals = append(c.Goals, goal)
	}
	version, _ := strconv.Atoi(f.Version)
	return c, version, problems
}
