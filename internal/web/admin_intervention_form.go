package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/cases"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/projects"
)

// interventionForm is the form of a new or edited entry of the catalogue of
// interventions, as typed.
type interventionForm struct {
	formState
	Existing   bool // an edit of a saved entry, whose code is fixed
	Version    int
	Code       string
	NameIT     string
	NameEN     string
	Kinds      []string
	CapMonths  string
	CapCents   string // in euro, as typed
	BudgetLine string
	Position   string
	Active     bool

	CaseKinds     []cases.Kind
	MaxCode       int
	MaxName       int
	MaxBudgetLine int
}

// HasKind reports whether the form serves cases of kind k.
func (f interventionForm) HasKind(k cases.Kind) bool { return slices.Contains(f.Kinds, string(k)) }

// interventionFormOf fills the form of entry i, in lang's way of writing
// amounts.
func interventionFormOf(i *projects.Intervention, lang string) interventionForm {
	f := interventionForm{Existing: i.Code != "", Version: i.Version, Code: i.Code, NameIT: i.NameIT, NameEN: i.NameEN,
		BudgetLine: i.BudgetLine, Active: i.Active}
	for _, k := range i.Kinds {
		f.Kinds = append(f.Kinds, string(k))
	}
	if i.CapMonths != 0 {
		f.CapMonths = strconv.Itoa(i.CapMonths)
	}
	if i.CapCents != 0 {
		f.CapCents = plainEuro(i.CapCents, lang)
	}
	if i.Position != 0 {
		f.Position = strconv.Itoa(i.Position)
	}
	return f
}

// readInterventionForm reads the posted form into the form, to show again,
// and into the entry, to save; code is the entry's for an edit, "" for a new
// one. Problems only the form can have, such as an amount it cannot read,
// are returned apart.
func readInterventionForm(r *http.Request, code string) (interventionForm, *projects.Intervention, []approdo.FieldError) {
	var problems []approdo.FieldError
	f := interventionForm{Existing: code != "", Version: formVersion(r), Code: code, NameIT: r.PostFormValue("name_it"),
		NameEN: r.PostFormValue("name_en"), Kinds: r.PostForm["kinds"], CapMonths: strings.TrimSpace(r.PostFormValue("cap_months")),
		CapCents: strings.TrimSpace(r.PostFormValue("cap_cents")), BudgetLine: r.PostFormValue("budget_line"),
		Position: strings.TrimSpace(r.PostFormValue("position")), Active: r.PostFormValue("active") != ""}
	if code == "" {
		f.Code = r.PostFormValue("code")
	}
	i := &projects.Intervention{Code: f.Code, NameIT: f.NameIT, NameEN: f.NameEN, BudgetLine: f.BudgetLine, Active: f.Active,
		Version: f.Version}
	for _, k := range f.Kinds {
		i.Kinds = append(i.Kinds, cases.Kind(k))
	}
	if f.CapMonths != "" {
		n, err := strconv.Atoi(f.CapMonths)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: "cap_months", Message: "error.field.months"})
		}
		i.CapMonths = n
	}
	if f.CapCents != "" {
		cents, ok := parseEuro(f.CapCents, lang(r.Context()))
		if !ok {
			problems = append(problems, approdo.FieldError{Field: "cap_cents", Message: "error.field.amount"})
		}
		i.CapCents = cents
	}
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: "position", Message: "error.field.unknown_value"})
		}
		i.Position = n
	}
	return f, i, problems
}

// renderInterventionForm shows the form of an entry with status.
func (h *Handler) renderInterventionForm(w http.ResponseWriter, r *http.Request, status int, f interventionForm) {
	f.CaseKinds = cases.Kinds
	f.MaxCode, f.MaxName, f.MaxBudgetLine = projects.MaxInterventionCode, projects.MaxInterventionName, projects.MaxBudgetLineText
	title := "interventions.new"
	if f.Existing {
		title = "interventions.edit"
	}
	h.render(w, r, status, "admin_intervention_form", h.newPage(r, title, f))
}

// saveIntervention reads the posted form of entry code ("" for a new one)
// and saves it with save. Problems of the form and of the entry are shown
// together on the form, each beside its field, with everything typed; an
// edit made from an older version shows what was saved meanwhile and
// carries the current version, so that saving again applies it.
func (h *Handler) saveIntervention(w http.ResponseWriter, r *http.Request, code string, save func(*projects.Intervention) error) {
	form, in, problems := readInterventionForm(r, code)
	err := h.submitIntervention(r, code, in, problems, save)
	switch c := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/admin/interventions?saved", http.StatusSeeOther)
	case code != "" && admin.IsStale(err):
		current, cerr := h.Cases.Intervention(r.Context(), auth.ActorFrom(r.Context()), code)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		h.stale(r, &form.formState, current.Changes(in), h.interventionSaved(r, current))
		h.renderInterventionForm(w, r, http.StatusConflict, form)
	case c == approdo.EINVALID || c == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderInterventionForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// submitIntervention saves in, the entry code ("" for a new one), with
// save. A form with problems of its own, such as an amount it cannot read,
// cannot be saved: they are returned with what else is wrong, but only once
// the actor is known to reach the entry, so that an entry that does not
// exist is not found before its input is judged.
func (h *Handler) submitIntervention(r *http.Request, code string, in *projects.Intervention, problems []approdo.FieldError,
	save func(*projects.Intervention) error) error {
	if len(problems) == 0 {
		return save(in)
	}
	if code != "" {
		if _, err := h.Cases.Intervention(r.Context(), auth.ActorFrom(r.Context()), code); err != nil {
			return err
		}
	}
	check := *in
	check.Normalize()
	return approdo.Invalid(append(problems, approdo.ErrorFields(check.Validate())...)...)
}

// interventionSaved writes a saved value of an entry's field for a conflict
// note.
func (h *Handler) interventionSaved(r *http.Request, i *projects.Intervention) func(string) string {
	l := lang(r.Context())
	return func(field string) string {
		switch field {
		case "name_it":
			return i.NameIT
		case "name_en":
			return i.NameEN
		case "kinds":
			var names []string
			for _, k := range i.Kinds {
				names = append(names, h.Catalogue.T(l, "case_kind."+string(k)))
			}
			return strings.Join(names, ", ")
		case "cap_months":
			return strconv.Itoa(i.CapMonths)
		case "cap_cents":
			return formatEuro(i.CapCents, l)
		case "budget_line":
			return i.BudgetLine
		case "position":
			return strconv.Itoa(i.Position)
		case "active":
			if i.Active {
				return h.Catalogue.T(l, "interventions.offered")
			}
			return h.Catalogue.T(l, "interventions.retired")
		}
		return ""
	}
}
