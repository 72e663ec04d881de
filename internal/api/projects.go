package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/projects"
)

// actionJSON is an action of a goal.
type actionJSON struct {
	Description      string `json:"description"`
	ResponsibleOrgID *int64 `json:"responsible_organisation_id"`
	// ResponsibleUserID is the team member who answers for the action.
	ResponsibleUserID *int64  `json:"responsible_user_id"`
	DueOn             *string `json:"due_on"`
	Intervention      string  `json:"intervention"`
	Months            int     `json:"months"`
	PlannedCents      int64   `json:"planned_cents"`
	BudgetLine        string  `json:"budget_line"`
}

// goalJSON is a goal of a project.
type goalJSON struct {
	Domain    string       `json:"domain"`
	Objective string       `json:"objective"`
	Indicator string       `json:"indicator"`
	Actions   []actionJSON `json:"actions"`
}

// contentJSON is what a project says.
type contentJSON struct {
	StartOn           *string    `json:"start_on"`
	ReviewEveryMonths int        `json:"review_every_months"`
	Goals             []goalJSON `json:"goals"`
	PersonWords       string     `json:"person_words"`
	PersonAgrees      bool       `json:"person_agrees"`
}

func contentView(c projects.Content) contentJSON {
	out := contentJSON{StartOn: day(c.StartOn), ReviewEveryMonths: c.ReviewEveryMonths, Goals: []goalJSON{},
		PersonWords: c.PersonWords, PersonAgrees: c.PersonAgrees}
	for _, g := range c.Goals {
		gj := goalJSON{Domain: string(g.Domain), Objective: g.Objective, Indicator: g.Indicator, Actions: []actionJSON{}}
		for _, a := range g.Actions {
			gj.Actions = append(gj.Actions, actionJSON{Description: a.Description, ResponsibleOrgID: optionalID(a.ResponsibleOrgID),
				ResponsibleUserID: optionalID(a.ResponsibleUserID),
				DueOn:             day(a.DueOn), Intervention: a.Intervention, Months: a.Months, PlannedCents: a.PlannedCents, BudgetLine: a.BudgetLine})
		}
		out.Goals = append(out.Goals, gj)
	}
	return out
}

// content turns the body into a project's content, with the problems of
// dates that cannot be read.
func (b contentJSON) content() (projects.Content, []approdo.FieldError) {
	var problems []approdo.FieldError
	date := func(field string, p *string) time.Time {
		if p == nil || strings.TrimSpace(*p) == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(*p), approdo.Rome)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: field, Message: "error.field.date"})
		}
		return t
	}
	c := projects.Content{StartOn: date("start_on", b.StartOn), ReviewEveryMonths: b.ReviewEveryMonths,
		PersonWords: b.PersonWords, PersonAgrees: b.PersonAgrees}
	for _, g := range b.Goals {
		goal := projects.Goal{Domain: projects.Domain(g.Domain), Objective: g.Objective, Indicator: g.Indicator}
		for n, a := range g.Actions {
			x := projects.Action{Description: a.Description, Intervention: a.Intervention, Months: a.Months, PlannedCents: a.PlannedCents,
				BudgetLine: a.BudgetLine,
				DueOn:      date("goals."+g.Domain+".actions."+strconv.Itoa(n)+".due_on", a.DueOn)}
			if a.ResponsibleOrgID != nil {
				x.ResponsibleOrgID = *a.ResponsibleOrgID
			}
			if a.ResponsibleUserID != nil {
				x.ResponsibleUserID = *a.ResponsibleUserID
			}
			goal.Actions = append(goal.Actions, x)
		}
		c.Goals = append(c.Goals, goal)
	}
	return c, problems
}

// projectJSON is a case's project with its versions and what the caller
// may do with it; project is null while the case has none.
type projectJSON struct {
	CaseID   int64            `json:"case_id"`
	Project  *projectBodyJSON `json:"project"`
	Versions []versionJSON    `json:"versions"`
	Reviews  []reviewOutJSON  `json:"reviews"`
	// NextReview is when the next review falls due, once approved.
	NextReview  *string                 `json:"next_review"`
	BudgetLines []projectBudgetLineJSON `json:"budget_lines"`
	Expenses    []expenseJSON           `json:"expenses"`
	SpentCents  int64                   `json:"spent_cents"`
	Allowed     projectAllowedJSON      `json:"allowed"`
}

// expenseJSON is what an action of the approved project cost.
type expenseJSON struct {
	ID          int64   `json:"id"`
	Domain      string  `json:"domain"`
	Action      int     `json:"action"`
	ActionText  string  `json:"action_description"`
	BudgetLine  string  `json:"budget_line"`
	AmountCents int64   `json:"amount_cents"`
	SpentOn     *string `json:"spent_on"`
	Description string  `json:"description"`
	NoteID      int64   `json:"note_id"`
	ReceiptURL  *string `json:"receipt_url"`
	RecordedBy  string  `json:"recorded_by"`
}

// projectBudgetLineJSON is a line of the programme's budget with what approved
// projects commit of it and what this project plans on it.
type projectBudgetLineJSON struct {
	Code           string `json:"code"`
	Label          string `json:"label"`
	Organisation   string `json:"organisation"`
	AmountCents    int64  `json:"amount_cents"`
	CommittedCents int64  `json:"committed_cents"`
	SpentCents     int64  `json:"spent_cents"`
	LeftCents      int64  `json:"left_cents"`
	PlannedCents   int64  `json:"planned_cents"`
}

// reviewOutJSON is a review as the API shows it.
type reviewOutJSON struct {
	Number     int                `json:"number"`
	ReviewedOn *string            `json:"reviewed_on"`
	Goals      []goalProgressJSON `json:"goals"`
	Summary    string             `json:"summary"`
	NextOn     *string            `json:"next_on"`
	By         string             `json:"by"`
}

type projectBodyJSON struct {
	ID          int64       `json:"id"`
	Status      string      `json:"status"`
	Number      int         `json:"number"`
	Version     int         `json:"version"`
	Content     contentJSON `json:"content"`
	Comments    string      `json:"comments"`
	DraftedBy   string      `json:"drafted_by"`
	CoSignedBy  string      `json:"cosigned_by"`
	SubmittedBy string      `json:"submitted_by"`
	DecidedBy   string      `json:"decided_by"`
	UpdatedAt   string      `json:"updated_at"`
}

type versionJSON struct {
	Number     int    `json:"number"`
	ApprovedAt string `json:"approved_at"`
	ApprovedBy string `json:"approved_by"`
}

type projectAllowedJSON struct {
	Edit   bool `json:"edit"`
	CoSign bool `json:"cosign"`
	Submit bool `json:"submit"`
	Decide bool `json:"decide"`
	Review bool `json:"review"`
}

func projectView(v *casework.ProjectView) projectJSON {
	out := projectJSON{CaseID: v.Case.ID, Versions: []versionJSON{}, Reviews: []reviewOutJSON{}, NextReview: day(v.NextReview),
		Allowed: projectAllowedJSON{Edit: v.CanEdit, CoSign: v.CanCoSign, Submit: v.CanSubmit, Decide: v.CanDecide, Review: v.CanReview}}
	out.BudgetLines = []projectBudgetLineJSON{}
	for _, b := range v.BudgetLines {
		out.BudgetLines = append(out.BudgetLines, projectBudgetLineJSON{Code: b.Code, Label: b.Label, Organisation: b.Organisation,
			AmountCents: b.AmountCents, CommittedCents: b.CommittedCents, SpentCents: b.SpentCents, LeftCents: b.LeftCents(),
			PlannedCents: b.PlannedCents})
	}
	out.Expenses, out.SpentCents = []expenseJSON{}, v.SpentCents
	for _, e := range v.Expenses {
		ej := expenseJSON{ID: e.ID, Domain: string(e.Domain), Action: e.Expense.Action, ActionText: e.Action, BudgetLine: e.BudgetLine,
			AmountCents: e.AmountCents, SpentOn: day(e.SpentOn), Description: e.Description, NoteID: e.NoteID, RecordedBy: e.By}
		if e.AttachmentID != 0 {
			u := "/api/v1/cases/" + strconv.FormatInt(e.CaseID, 10) + "/attachments/" + strconv.FormatInt(e.AttachmentID, 10)
			ej.ReceiptURL = &u
		}
		out.Expenses = append(out.Expenses, ej)
	}
	for _, rv := range v.Reviews {
		rj := reviewOutJSON{Number: rv.Number, ReviewedOn: day(rv.ReviewedOn), Goals: []goalProgressJSON{}, Summary: rv.Summary,
			NextOn: day(rv.NextOn), By: rv.ByName}
		for _, g := range rv.Goals {
			rj.Goals = append(rj.Goals, goalProgressJSON{Domain: string(g.Domain), Progress: string(g.Progress), Note: g.Note})
		}
		out.Reviews = append(out.Reviews, rj)
	}
	if p := v.Project; p != nil {
		out.Project = &projectBodyJSON{ID: p.ID, Status: string(p.Status), Number: p.Number, Version: p.Version,
			Content: contentView(p.Content), Comments: p.Comments, DraftedBy: v.DraftedBy, CoSignedBy: v.CoSignedBy,
			SubmittedBy: v.SubmittedBy, DecidedBy: v.DecidedBy, UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339)}
	}
	for _, x := range v.Versions {
		out.Versions = append(out.Versions, versionJSON{Number: x.Number, ApprovedAt: x.ApprovedAt.UTC().Format(time.RFC3339), ApprovedBy: x.ApprovedBy})
	}
	return out
}

// getProject returns the individual project of a case.
func (a *API) getProject(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Project(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, projectView(v))
}

// projectInputJSON is the body that saves a project's draft.
type projectInputJSON struct {
	Version int         `json:"version"`
	Content contentJSON `json:"content"`
}

// saveProject saves the draft of a case's project and returns the project.
func (a *API) saveProject(w http.ResponseWriter, r *http.Request) {
	var body projectInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	content, problems := body.Content.content()
	actor := auth.ActorFrom(r.Context())
	if err := a.Cases.SaveProject(r.Context(), actor, pathID(r), content, body.Version, problems, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.getProject(w, r)
}

// projectStepJSON is the body of a step of a project.
type projectStepJSON struct {
	Version   int    `json:"version"`
	Comments  string `json:"comments"`
	Exception string `json:"exception"`
}

// projectStep returns the handler of one step of a project.
func (a *API) projectStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body projectStepJSON
		if err := a.decodeFor(r, &body); err != nil {
			a.fail(w, r, err)
			return
		}
		actor := auth.ActorFrom(r.Context())
		if err := a.Cases.StepProject(r.Context(), actor, pathID(r), step,
			casework.ProjectStep{Version: body.Version, Comments: body.Comments, Exception: body.Exception}, auth.ClientFrom(r.Context())); err != nil {
			a.fail(w, r, err)
			return
		}
		a.getProject(w, r)
	}
}

// compareProject lists the fields that differ between two versions of a
// project: a and b are approved versions' numbers, 0 the current project.
func (a *API) compareProject(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	q := r.URL.Query()
	var problems []approdo.FieldError
	num := func(name string) int {
		s := q.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			problems = append(problems, approdo.FieldError{Field: name, Message: "error.field.unknown_value"})
		}
		return n
	}
	x, y := num("a"), num("b")
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	diffs, err := a.Cases.CompareVersions(r.Context(), auth.ActorFrom(r.Context()), id, x, y, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type differenceJSON struct {
		Field string `json:"field"`
		A     string `json:"a"`
		B     string `json:"b"`
	}
	out := struct {
		Differences []differenceJSON `json:"differences"`
	}{Differences: []differenceJSON{}}
	for _, d := range diffs {
		out.Differences = append(out.Differences, differenceJSON{Field: d.Field, A: d.A, B: d.B})
	}
	respond.JSON(w, http.StatusOK, out)
}

// listProjectsAwaiting lists the projects waiting for the caller's
// decision, oldest first.
func (a *API) listProjectsAwaiting(w http.ResponseWriter, r *http.Request) {
	list, err := a.Cases.ProjectsAwaiting(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type itemJSON struct {
		CaseID      int64  `json:"case_id"`
		CaseCode    string `json:"case_code"`
		Kind        string `json:"kind"`
		Programme   string `json:"programme"`
		SubmittedAt string `json:"submitted_at"`
	}
	out := struct {
		Items []itemJSON `json:"items"`
	}{Items: []itemJSON{}}
	for _, p := range list {
		out.Items = append(out.Items, itemJSON{CaseID: p.CaseID, CaseCode: p.CaseCode, Kind: string(p.Kind), Programme: p.Programme,
			SubmittedAt: p.SubmittedAt.UTC().Format(time.RFC3339)})
	}
	respond.JSON(w, http.StatusOK, out)
}

// reviewJSON is a review of a project.
type reviewJSON struct {
	ReviewedOn *string            `json:"reviewed_on"`
	Goals      []goalProgressJSON `json:"goals"`
	Summary    string             `json:"summary"`
}

type goalProgressJSON struct {
	Domain   string `json:"domain"`
	Progress string `json:"progress"`
	Note     string `json:"note"`
}

// reviewProject records a review of a case's approved project and returns
// the project with its reviews.
func (a *API) reviewProject(w http.ResponseWriter, r *http.Request) {
	var body reviewJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	rev := projects.Review{Summary: body.Summary}
	var problems []approdo.FieldError
	if body.ReviewedOn != nil && strings.TrimSpace(*body.ReviewedOn) != "" {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(*body.ReviewedOn), approdo.Rome)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: "reviewed_on", Message: "error.field.date"})
		}
		rev.ReviewedOn = t
	}
	for _, g := range body.Goals {
		rev.Goals = append(rev.Goals, projects.GoalProgress{Domain: projects.Domain(g.Domain), Progress: projects.Progress(g.Progress), Note: g.Note})
	}
	if _, err := a.Cases.ReviewProject(r.Context(), auth.ActorFrom(r.Context()), pathID(r), rev, problems, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.Project(r.Context(), auth.ActorFrom(r.Context()), pathID(r), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, projectView(v))
}

// addExpense records what an action of the approved project cost. The body
// is multipart/form-data: domain and action (the goal's domain and the
// action's number from 0), amount_cents, spent_on (YYYY-MM-DD),
// description, and the receipt as the part "file" when there is one.
func (a *API) addExpense(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	fields, receipt := readMultipart(r)
	in := casework.ExpenseInput{Domain: projects.Domain(fields.Get("domain")), Action: -1, Description: fields.Get("description"),
		Receipt: receipt}
	if receipt != nil && receipt.Problem == "error.attachment.multipart" {
		in.Receipt, in.Problems = nil, []approdo.FieldError{{Field: "file", Message: receipt.Problem}}
	}
	if n, err := strconv.Atoi(fields.Get("action")); err == nil {
		in.Action = n
	}
	if s := strings.TrimSpace(fields.Get("amount_cents")); s != "" {
		cents, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "amount_cents", Message: "error.field.amount"})
		}
		in.AmountCents = cents
	}
	if s := strings.TrimSpace(fields.Get("spent_on")); s != "" {
		t, err := time.ParseInLocation(time.DateOnly, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "spent_on", Message: "error.field.date"})
		}
		in.SpentOn = t
	}
	if _, err := a.Cases.AddExpense(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.Project(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, projectView(v))
}
