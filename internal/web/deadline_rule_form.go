package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo"
	"approdo/deadlines"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// deadlineRuleForm is the form of a new or edited rule of the legal and
// protocol clocks, as typed.
type deadlineRuleForm struct {
	formState
	Existing    bool // an edit of a saved rule (or the start of a programme's override), whose code is fixed
	Version     int
	Code        string
	ProgrammeID string
	NameIT      string
	NameEN      string
	Starts      string
	Amount      string
	Unit        string
	Birthday    string
	Responsible string
	TitleIT     string
	TitleEN     string
	Completes   string
	SourceText  string
	SourceURL   string
	Enabled     bool

	// The choices of the form.
	Events       []deadlines.Event
	Units        []deadlines.Unit
	Bounds       []deadlines.Bound
	Responsibles []string
	// Programmes are those whose rules the reader edits, by id; Network
	// says whether the reader edits the network's rules.
	Programmes map[int64]string
	Network    bool
}

// deadlineRuleFormOf fills the form of rule r.
func deadlineRuleFormOf(r *deadlines.Rule) deadlineRuleForm {
	f := deadlineRuleForm{Existing: r.Code != "", Version: r.Version, Code: r.Code, NameIT: r.NameIT, NameEN: r.NameEN,
		Starts: string(r.Starts), Amount: strconv.Itoa(r.Offset.Amount), Unit: string(r.Offset.Unit), Birthday: string(r.Birthday),
		Responsible: r.Responsible, TitleIT: r.TitleIT, TitleEN: r.TitleEN, Completes: string(r.Completes),
		SourceText: r.SourceText, SourceURL: r.SourceURL, Enabled: r.Enabled}
	if r.ProgrammeID != 0 {
		f.ProgrammeID = strconv.FormatInt(r.ProgrammeID, 10)
	}
	return f
}

// readDeadlineRuleForm reads the posted form into the form, to show again,
// and into the rule, to save; code is the rule's for an edit, "" for a new
// one. An offset it cannot read is returned apart.
func readDeadlineRuleForm(r *http.Request, code string) (deadlineRuleForm, *deadlines.Rule, []approdo.FieldError) {
	var problems []approdo.FieldError
	f := deadlineRuleForm{Existing: code != "", Version: formVersion(r), Code: code, ProgrammeID: r.PostFormValue("programme_id"),
		NameIT: r.PostFormValue("name_it"), NameEN: r.PostFormValue("name_en"), Starts: r.PostFormValue("start_event"),
		Amount: strings.TrimSpace(r.PostFormValue("offset_amount")), Unit: r.PostFormValue("offset_unit"),
		Birthday: r.PostFormValue("birthday"), Responsible: r.PostFormValue("responsible"), TitleIT: r.PostFormValue("title_it"),
		TitleEN: r.PostFormValue("title_en"), Completes: r.PostFormValue("completion_event"), SourceText: r.PostFormValue("source_text"),
		SourceURL: r.PostFormValue("source_url"), Enabled: r.PostFormValue("enabled") != ""}
	if code == "" {
		f.Code = r.PostFormValue("code")
	}
	rule := &deadlines.Rule{Code: f.Code, NameIT: f.NameIT, NameEN: f.NameEN, Starts: deadlines.Event(f.Starts),
		Offset: deadlines.Offset{Unit: deadlines.Unit(f.Unit)}, Birthday: deadlines.Bound(f.Birthday), Responsible: f.Responsible,
		TitleIT: f.TitleIT, TitleEN: f.TitleEN, Completes: deadlines.Event(f.Completes), SourceText: f.SourceText,
		SourceURL: f.SourceURL, Enabled: f.Enabled, Version: f.Version}
	if id := parseID(f.ProgrammeID); id != 0 {
		rule.ProgrammeID = id
	}
	n, err := strconv.Atoi(f.Amount)
	if err != nil {
		problems = append(problems, approdo.FieldError{Field: "offset_amount", Message: "error.deadline.amount"})
	}
	rule.Offset.Amount = n
	return f, rule, problems
}

// renderDeadlineRuleForm shows the form of a rule with status.
func (h *Handler) renderDeadlineRuleForm(w http.ResponseWriter, r *http.Request, status int, f deadlineRuleForm) {
	book, err := h.Cases.DeadlineRules(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Events, f.Units = deadlines.Events, deadlines.Units
	f.Bounds = []deadlines.Bound{deadlines.Latest, deadlines.Earliest}
	f.Responsibles = casework.TeamRoleNames()
	f.Programmes, f.Network = book.Programmes, book.EditsNetwork
	title := "deadline_rules.new"
	if f.Existing {
		title = "deadline_rules.edit"
	}
	h.render(w, r, status, "deadline_rule_form", h.newPage(r, title, f))
}

// saveDeadlineRule reads the posted form of rule code ("" for a new one)
// and saves it with save, then goes back to the rules; problems are shown
// on the form beside their fields with everything typed, and an edit made
// from an older version is refused (409) with the form as typed.
func (h *Handler) saveDeadlineRule(w http.ResponseWriter, r *http.Request, code string, save func(*deadlines.Rule) error) {
	form, rule, problems := readDeadlineRuleForm(r, code)
	var err error
	if len(problems) > 0 {
		// The offset cannot be read: report it with what else is wrong,
		// once the policy has let the actor through to the rule.
		if code != "" {
			_, err = h.Cases.DeadlineRule(r.Context(), auth.ActorFrom(r.Context()), code, rule.ProgrammeID)
		} else {
			_, err = h.Cases.DeadlineRules(r.Context(), auth.ActorFrom(r.Context()))
		}
		if err == nil {
			check := *rule
			check.Normalize()
			err = approdo.Invalid(append(problems, approdo.ErrorFields(check.Validate(casework.TeamRoleNames()[1:]))...)...)
		}
	} else {
		err = save(rule)
	}
	switch c := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/deadline-rules?saved", http.StatusSeeOther)
	case c == approdo.EINVALID || c == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderDeadlineRuleForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
