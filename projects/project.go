// Package projects holds the individual project of a person in care: the
// "PEI" of a minor, the "progetto individualizzato" of a victim of
// trafficking. The implementing organisation drafts it with the person, the
// case owner in the social services co-signs it, the lead entity of the
// programme approves it or returns it with comments. An approved project is
// frozen as a numbered version; changing it starts a new draft, which goes
// through the same steps and becomes the next version.
package projects

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/cases"
)

// Status is where a project stands on its way to approval.
type Status string

// The statuses of a project.
const (
	Draft     Status = "draft"     // being written; editable
	CoSigned  Status = "cosigned"  // signed by the case owner; waiting to be submitted
	Submitted Status = "submitted" // waiting for the lead entity
	Approved  Status = "approved"  // approved and frozen as a version
	Returned  Status = "returned"  // sent back with comments; editable
)

// Editable reports whether a project in status s may be changed: a draft,
// a returned project, or an approved one, whose change starts a new draft.
func (s Status) Editable() bool { return s == Draft || s == Returned || s == Approved }

// Domain is an area of life a goal is about.
type Domain string

// The domains of a project's goals.
const (
	Education Domain = "education"
	Language  Domain = "language"
	Work      Domain = "work"
	Housing   Domain = "housing"
	Health    Domain = "health"
	Legal     Domain = "legal"
	Relations Domain = "relations"
	Autonomy  Domain = "autonomy"
)

// Domains lists the domains in the order a project shows them.
var Domains = []Domain{Education, Language, Work, Housing, Health, Legal, Relations, Autonomy}

// Limits of what a project holds.
const (
	MaxText         = 2000 // characters of an objective, an indicator, an action or the person's words
	MaxActions      = 3    // actions per goal
	MaxReviewMonths = 12   // the longest review cadence
	MaxCents        = 100_000_00
)

// Content is what a project says: its goals by domain, the person's own
// words and agreement, when it starts and how often it is reviewed. It is
// stored sealed and frozen as it is in each approved version.
type Content struct {
	StartOn           time.Time `json:"start_on"`
	ReviewEveryMonths int       `json:"review_every_months"`
	Goals             []Goal    `json:"goals"`
	// PersonWords are the person's own words about the project, as said.
	PersonWords  string `json:"person_words"`
	PersonAgrees bool   `json:"person_agrees"`
}

// Goal is what the project aims at in one domain, how progress is seen,
// and the actions that lead there.
type Goal struct {
	Domain    Domain   `json:"domain"`
	Objective string   `json:"objective"`
	Indicator string   `json:"indicator"`
	Actions   []Action `json:"actions"`
}

// Action is a step of a goal: what is done, by which organisation, by when,
// and, when it is an intervention of the catalogue, for how many months and
// at what planned cost.
type Action struct {
	Description      string `json:"description"`
	ResponsibleOrgID int64  `json:"responsible_org_id"`
	// ResponsibleUserID is the person of that organisation, on the case's
	// team, who answers for the action; 0 when none is named.
	ResponsibleUserID int64     `json:"responsible_user_id"`
	DueOn             time.Time `json:"due_on"`
	Intervention      string    `json:"intervention"`
	Months            int       `json:"months"`
	PlannedCents      int64     `json:"planned_cents"`
	// BudgetLine is the code of the line of the programme's budget the
	// action draws on, or "".
	BudgetLine string `json:"budget_line"`
}

// Goal returns the goal of domain d, or nil.
func (c *Content) Goal(d Domain) *Goal {
	for i := range c.Goals {
		if c.Goals[i].Domain == d {
			return &c.Goals[i]
		}
	}
	return nil
}

// PlannedCents is the planned cost of the whole project.
func (c *Content) PlannedCents() int64 {
	var sum int64
	for _, g := range c.Goals {
		for _, a := range g.Actions {
			sum += a.PlannedCents
		}
	}
	return sum
}

// Project is the individual project of a case, as it stands now.
type Project struct {
	ID     int64
	CaseID int64
	Status Status
	// Number is the number of the last approved version, 0 before the
	// first approval.
	Number  int
	Version int // the edit version, for detecting lost updates
	Content Content
	// Comments are the lead entity's, when it returned the project.
	Comments    string
	DraftedBy   int64
	CoSignedBy  int64
	SubmittedBy int64
	DecidedBy   int64
	UpdatedAt   time.Time
}

// Version is an approved project, frozen.
type Version struct {
	ProjectID  int64
	Number     int
	ApprovedAt time.Time
	ApprovedBy int64
	Content    Content
}

// Check validates content for a case of kind kind against the catalogue
// (by code). It returns EINVALID naming each field at fault, as the forms
// and the API name them: "start_on", "review_every_months", "person_words",
// and for goals "goals.DOMAIN.objective", "goals.DOMAIN.indicator" and
// "goals.DOMAIN.actions.N.FIELD" (N from 0, counting the rows left empty,
// which it skips, so that a problem names the row as the form shows it). A
// goal needs an objective when
// it has anything else; an action needs a description when it has
// anything else; an intervention must be known, serve the case's kind and
// stay within its caps; amounts and months cannot be negative; an action
// cannot be due before the project starts.
func Check(c *Content, kind cases.Kind, catalogue map[string]Intervention) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	text := func(field, s string) {
		if utf8.RuneCountInString(s) > MaxText {
			add(field, "error.field.too_long", MaxText)
		}
	}
	if c.StartOn.IsZero() {
		add("start_on", "error.field.required")
	}
	if c.ReviewEveryMonths < 1 || c.ReviewEveryMonths > MaxReviewMonths {
		add("review_every_months", "error.project.review_cadence", MaxReviewMonths)
	}
	text("person_words", c.PersonWords)
	seen := map[Domain]bool{}
	for _, g := range c.Goals {
		prefix := "goals." + string(g.Domain) + "."
		if !slices.Contains(Domains, g.Domain) || seen[g.Domain] {
			add("goals", "error.project.goal_domain")
			continue
		}
		seen[g.Domain] = true
		text(prefix+"objective", g.Objective)
		text(prefix+"indicator", g.Indicator)
		actions := 0
		for _, a := range g.Actions {
			if a != (Action{}) {
				actions++
			}
		}
		if strings.TrimSpace(g.Objective) == "" && (strings.TrimSpace(g.Indicator) != "" || actions > 0) {
			add(prefix+"objective", "error.field.required")
		}
		if actions > MaxActions {
			add(prefix+"actions", "error.field.too_many", MaxActions)
		}
		for n, a := range g.Actions {
			if a == (Action{}) {
				continue // a row left empty, which a form sends
			}
			ap := prefix + "actions." + strconv.Itoa(n) + "."
			text(ap+"description", a.Description)
			if strings.TrimSpace(a.Description) == "" {
				add(ap+"description", "error.field.required")
			}
			if !a.DueOn.IsZero() && !c.StartOn.IsZero() && a.DueOn.Before(c.StartOn) {
				add(ap+"due_on", "error.field.before_start")
			}
			if a.Months < 0 {
				add(ap+"months", "error.field.negative")
			}
			switch {
			case a.PlannedCents < 0:
				add(ap+"planned_cents", "error.field.negative")
			case a.PlannedCents > MaxCents:
				add(ap+"planned_cents", "error.project.amount_absurd")
			}
			if a.Intervention == "" {
				continue
			}
			i, ok := catalogue[a.Intervention]
			switch {
			case !ok:
				add(ap+"intervention", "error.field.unknown_value")
			case !i.Eligible(kind):
				add(ap+"intervention", "error.project.not_eligible")
			default:
				if i.CapMonths > 0 && a.Months > i.CapMonths {
					add(ap+"months", "error.project.cap_months", i.CapMonths)
				}
				if i.CapCents > 0 && a.PlannedCents > i.CapCents {
					add(ap+"planned_cents", "error.project.cap_cents", float64(i.CapCents)/100)
				}
			}
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// CheckSubmission checks that content may go to the lead entity: at least
// one goal, and the person's agreement recorded.
func CheckSubmission(c *Content) error {
	var problems []approdo.FieldError
	if len(c.Goals) == 0 {
		problems = append(problems, approdo.FieldError{Field: "goals", Message: "error.project.no_goal"})
	}
	if !c.PersonAgrees {
		problems = append(problems, approdo.FieldError{Field: "person_agrees", Message: "error.project.no_agreement"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// CheckDecider refuses a decision on p by actor when the actor co-signed
// or submitted it: nobody approves their own submission.
func CheckDecider(p *Project, actor int64) error {
	if actor == p.SubmittedBy || actor == p.CoSignedBy {
		return approdo.Invalid(approdo.FieldError{Field: "decision", Message: "error.project.own_submission"})
	}
	return nil
}

// Difference is a field that differs between two versions of a project,
// named as Check names fields, with its value in each as text.
type Difference struct {
	Field string
	A, B  string
}

// Compare lists the fields that differ between a and b, in the order of
// the project: start, cadence, goals by domain with their actions, the
// person's words and agreement.
func Compare(a, b *Content) []Difference {
	var out []Difference
	cmp := func(field, x, y string) {
		if x != y {
			out = append(out, Difference{Field: field, A: x, B: y})
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	cmp("start_on", date(a.StartOn), date(b.StartOn))
	cmp("review_every_months", strconv.Itoa(a.ReviewEveryMonths), strconv.Itoa(b.ReviewEveryMonths))
	for _, d := range Domains {
		ga, gb := a.Goal(d), b.Goal(d)
		if ga == nil {
			ga = &Goal{}
		}
		if gb == nil {
			gb = &Goal{}
		}
		prefix := "goals." + string(d) + "."
		cmp(prefix+"objective", ga.Objective, gb.Objective)
		cmp(prefix+"indicator", ga.Indicator, gb.Indicator)
		for n := 0; n < max(len(ga.Actions), len(gb.Actions)); n++ {
			var xa, xb Action
			if n < len(ga.Actions) {
				xa = ga.Actions[n]
			}
			if n < len(gb.Actions) {
				xb = gb.Actions[n]
			}
			ap := prefix + "actions." + strconv.Itoa(n) + "."
			cmp(ap+"description", xa.Description, xb.Description)
			cmp(ap+"responsible_org_id", id(xa.ResponsibleOrgID), id(xb.ResponsibleOrgID))
			cmp(ap+"responsible_user_id", id(xa.ResponsibleUserID), id(xb.ResponsibleUserID))
			cmp(ap+"due_on", date(xa.DueOn), date(xb.DueOn))
			cmp(ap+"intervention", xa.Intervention, xb.Intervention)
			cmp(ap+"months", strconv.Itoa(xa.Months), strconv.Itoa(xb.Months))
			cmp(ap+"planned_cents", strconv.FormatInt(xa.PlannedCents, 10), strconv.FormatInt(xb.PlannedCents, 10))
			cmp(ap+"budget_line", xa.BudgetLine, xb.BudgetLine)
		}
	}
	cmp("person_words", a.PersonWords, b.PersonWords)
	cmp("person_agrees", strconv.FormatBool(a.PersonAgrees), strconv.FormatBool(b.PersonAgrees))
	return out
}

func id(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// Progress is how far a goal has come at a review.
type Progress string

// The degrees of progress of a goal.
const (
	NotStarted Progress = "not_started"
	InProgress Progress = "in_progress"
	Achieved   Progress = "achieved"
	Dropped    Progress = "dropped"
)

// Progresses lists the degrees of progress in order.
var Progresses = []Progress{NotStarted, InProgress, Achieved, Dropped}

// Review is a periodic review of an approved project: how each goal
// progresses, what was said, and when the next review falls due.
type Review struct {
	Number     int            `json:"number"`
	ReviewedOn time.Time      `json:"reviewed_on"`
	Goals      []GoalProgress `json:"goals"`
	Summary    string         `json:"summary"`
	NextOn     time.Time      `json:"next_on"`
	By         int64          `json:"by"`
}

// GoalProgress is the progress of the goal of one domain at a review.
type GoalProgress struct {
	Domain   Domain   `json:"domain"`
	Progress Progress `json:"progress"`
	Note     string   `json:"note"`
}

// CheckReview validates a review of a project whose approved content is c,
// made on now: a date neither before the project starts nor in the future,
// a degree of progress for goals of the project only, notes and summary
// within MaxText. Fields are "reviewed_on", "summary", "goals.DOMAIN.progress"
// and "goals.DOMAIN.note". It sets the next review's date from the
// project's cadence.
func CheckReview(r *Review, c *Content, now time.Time) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	switch {
	case r.ReviewedOn.IsZero():
		add("reviewed_on", "error.field.required")
	case r.ReviewedOn.Before(c.StartOn):
		add("reviewed_on", "error.field.before_start")
	case r.ReviewedOn.After(now):
		add("reviewed_on", "error.field.future")
	}
	if utf8.RuneCountInString(r.Summary) > MaxText {
		add("summary", "error.field.too_long", MaxText)
	}
	for _, g := range r.Goals {
		prefix := "goals." + string(g.Domain) + "."
		if c.Goal(g.Domain) == nil {
			add("goals", "error.project.goal_domain")
			continue
		}
		if !slices.Contains(Progresses, g.Progress) {
			add(prefix+"progress", "error.field.unknown_value")
		}
		if utf8.RuneCountInString(g.Note) > MaxText {
			add(prefix+"note", "error.field.too_long", MaxText)
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	r.NextOn = r.ReviewedOn.AddDate(0, max(c.ReviewEveryMonths, 1), 0)
	return nil
}

// CheckLines checks that every action of c drawing on a budget line names
// one of lines, the codes of the programme's budget; the field at fault is
// "goals.DOMAIN.actions.N.budget_line".
func CheckLines(c *Content, lines []string) error {
	var problems []approdo.FieldError
	for _, g := range c.Goals {
		for n, a := range g.Actions {
			if a.BudgetLine != "" && !slices.Contains(lines, a.BudgetLine) {
				problems = append(problems, approdo.FieldError{Field: "goals." + string(g.Domain) + ".actions." + strconv.Itoa(n) + ".budget_line",
					Message: "error.field.unknown_value"})
			}
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// Commitments sums the planned cost of c's actions by the budget line they
// draw on.
func (c *Content) Commitments() map[string]int64 {
	out := map[string]int64{}
	for _, g := range c.Goals {
		for _, a := range g.Actions {
			if a.BudgetLine != "" {
				out[a.BudgetLine] += a.PlannedCents
			}
		}
	}
	return out
}

// Expense is what an action of an approved project actually cost: the
// action it pays for (by domain and row), the amount, the day, what it was,
// and the budget line it draws on, which is the action's.
type Expense struct {
	ID          int64
	ProjectID   int64
	CaseID      int64
	Domain      Domain
	Action      int
	BudgetLine  string
	AmountCents int64
	SpentOn     time.Time
	Description string
	// NoteID is the note recording the expense on the case, and
	// AttachmentID its receipt, 0 when none was attached.
	NoteID       int64
	AttachmentID int64
	CreatedBy    int64
	CreatedAt    time.Time
}

// CheckExpense validates an expense of a project whose approved content is
// c, recorded on now: an action of the approved project ("action"), an
// amount above zero and plausible ("amount_cents"), a day neither before
// the project starts nor in the future ("spent_on"), and a description
// ("description"). It sets the expense's budget line from its action.
func CheckExpense(e *Expense, c *Content, now time.Time) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if g := c.Goal(e.Domain); g == nil || e.Action < 0 || e.Action >= len(g.Actions) {
		add("action", "error.field.required")
	} else {
		e.BudgetLine = g.Actions[e.Action].BudgetLine
	}
	switch {
	case e.AmountCents <= 0:
		add("amount_cents", "error.project.amount_positive")
	case e.AmountCents > MaxCents:
		add("amount_cents", "error.project.amount_absurd")
	}
	switch {
	case e.SpentOn.IsZero():
		add("spent_on", "error.field.required")
	case e.SpentOn.Before(c.StartOn):
		add("spent_on", "error.field.before_start")
	case e.SpentOn.After(now):
		add("spent_on", "error.field.future")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(e.Description)); {
	case n == 0:
		add("description", "error.field.required")
	case n > MaxText:
		add("description", "error.field.too_long", MaxText)
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}
