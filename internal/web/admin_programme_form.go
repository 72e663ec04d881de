package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/network"
)

// programmeForm is the form of a new or edited programme, as typed.
type programmeForm struct {
	formState
	ID          int64 // 0 for a new programme
	Version     int
	Code        string
	Name        string
	Funder      string
	StartsOn    string
	EndsOn      string
	LeadOrgID   int64
	PartnerIDs  []int64
	AreaIDs     []int64
	Description string
	Lines       []budgetLineRow

	Organisations  []network.Organisation
	Areas          []network.Area
	MaxCode        int
	MaxName        int
	MaxDescription int
}

// budgetLineRow is one row of the budget in the form. Its index numbers the
// fields of the row, "budget_lines.N.code" and so on.
type budgetLineRow struct {
	Index          int
	Number         int   // Index + 1, as people count rows
	ID             int64 // 0 for a line not saved yet
	Code           string
	Label          string
	Amount         string // in euro, as typed
	OrganisationID int64
	Remove         bool
}

// blankLines is how many empty budget rows a form offers for new lines.
const blankLines = 3

// maxLineRows bounds the rows a posted form may number.
const maxLineRows = 500

// Partner reports whether the form lists organisation id as a partner.
func (f programmeForm) Partner(id int64) bool { return slices.Contains(f.PartnerIDs, id) }

// InArea reports whether the form lists area id.
func (f programmeForm) InArea(id int64) bool { return slices.Contains(f.AreaIDs, id) }

func newProgrammeForm(p *network.Programme, lang string) programmeForm {
	f := programmeForm{ID: p.ID, Version: p.Version, Code: p.Code, Name: p.Name, Funder: p.Funder,
		StartsOn: isoDate(p.StartsOn), EndsOn: isoDate(p.EndsOn), LeadOrgID: p.LeadOrgID,
		PartnerIDs: p.PartnerIDs, AreaIDs: p.AreaIDs, Description: p.Description}
	for i, l := range p.BudgetLines {
		f.Lines = append(f.Lines, budgetLineRow{Index: i, Number: i + 1, ID: l.ID, Code: l.Code, Label: l.Label,
			Amount: plainEuro(l.AmountCents, lang), OrganisationID: l.OrganisationID})
	}
	return f
}

// readProgrammeForm reads the posted form into the form, to show again, and
// the programme, to save. Problems only the form can have, such as a
// malformed date or amount, are returned apart. Rows left blank, and saved
// lines marked for removal, are not part of the programme; rowOf maps the
// programme's lines back to the form's rows.
func readProgrammeForm(r *http.Request, id int64) (f programmeForm, p *network.Programme, rowOf []int, problems []approdo.FieldError) {
	l := lang(r.Context())
	f = programmeForm{ID: id, Version: formVersion(r), Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Funder: r.PostFormValue("funder"), StartsOn: r.PostFormValue("starts_on"), EndsOn: r.PostFormValue("ends_on"),
		LeadOrgID: formID(r, "lead_organisation_id"), PartnerIDs: formIDs(r, "partner_ids"), AreaIDs: formIDs(r, "area_ids"),
		Description: r.PostFormValue("description")}
	p = &network.Programme{ID: id, Version: f.Version, Code: f.Code, Name: f.Name, Funder: f.Funder,
		LeadOrgID: f.LeadOrgID, PartnerIDs: f.PartnerIDs, AreaIDs: f.AreaIDs, Description: f.Description}
	p.StartsOn = parseDate(f.StartsOn, "starts_on", &problems)
	p.EndsOn = parseDate(f.EndsOn, "ends_on", &problems)
	rows := -1
	for key := range r.PostForm {
		if rest, ok := strings.CutPrefix(key, "budget_lines."); ok {
			num, _, _ := strings.Cut(rest, ".")
			if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < maxLineRows {
				rows = max(rows, n)
			}
		}
	}
	for i := 0; i <= rows; i++ {
		field := func(name string) string { return fmt.Sprintf("budget_lines.%d.%s", i, name) }
		row := budgetLineRow{Index: i, Number: i + 1, ID: parseID(r.PostFormValue(field("id"))), Code: r.PostFormValue(field("code")),
			Label: r.PostFormValue(field("label")), Amount: strings.TrimSpace(r.PostFormValue(field("amount_cents"))),
			OrganisationID: parseID(r.PostFormValue(field("organisation_id"))), Remove: r.PostFormValue(field("remove")) != ""}
		blank := row.ID == 0 && strings.TrimSpace(row.Code) == "" && strings.TrimSpace(row.Label) == "" && row.Amount == "" && row.OrganisationID == 0
		if blank {
			continue
		}
		f.Lines = append(f.Lines, row)
		if row.Remove {
			continue
		}
		line := network.BudgetLine{ID: max(row.ID, 0), Code: row.Code, Label: row.Label, OrganisationID: row.OrganisationID}
		if row.Amount == "" {
			problems = append(problems, approdo.FieldError{Field: field("amount_cents"), Message: "error.field.required"})
		} else if cents, ok := parseEuro(row.Amount, l); ok {
			line.AmountCents = cents
		} else {
			problems = append(problems, approdo.FieldError{Field: field("amount_cents"), Message: "error.field.amount"})
		}
		p.BudgetLines = append(p.BudgetLines, line)
		rowOf = append(rowOf, i)
	}
	return f, p, rowOf, problems
}

// lineRows renames the problems of a programme's lines after the form's
// rows.
func lineRows(err error, rowOf []int) error {
	return remapFields(err, func(field string) string {
		rest, ok := strings.CutPrefix(field, "budget_lines.")
		if !ok {
			return field
		}
		num, name, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n >= len(rowOf) {
			return field
		}
		return fmt.Sprintf("budget_lines.%d.%s", rowOf[n], name)
	})
}

// renderProgrammeForm shows the programme form with status, with blank
// rows for new budget lines.
func (h *Handler) renderProgrammeForm(w http.ResponseWriter, r *http.Request, status int, f programmeForm) {
	var err error
	if f.Areas, f.Organisations, err = h.areasAndOrganisations(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	next := 0
	for _, l := range f.Lines {
		next = max(next, l.Index+1)
	}
	for i := 0; i < blankLines; i++ {
		f.Lines = append(f.Lines, budgetLineRow{Index: next + i, Number: next + i + 1})
	}
	f.MaxCode, f.MaxName, f.MaxDescription = network.MaxCode, network.MaxName, network.MaxDescription
	title := "admin.programmes.new"
	if f.ID != 0 {
		title = "admin.programmes.edit"
	}
	h.render(w, r, status, "admin_programme_form", h.newPage(r, title, f))
}

// saveProgramme reads the posted programme form and saves it with save.
// Problems of the form and of the programme are shown together on the form,
// each beside its field, with everything typed; an edit made from an older
// version shows what was saved meanwhile.
func (h *Handler) saveProgramme(w http.ResponseWriter, r *http.Request, id int64, save func(*network.Programme) error) {
	form, p, rowOf, problems := readProgrammeForm(r, id)
	err := h.submitProgramme(r, id, p, rowOf, problems, save)
	switch code := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, programmePath(p.ID)+"?saved", http.StatusSeeOther)
	case id != 0 && admin.IsStale(err):
		current, cerr := h.Admin.Programme(r.Context(), auth.ActorFrom(r.Context()), id)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		h.stale(r, &form.formState, current.Changes(p), h.programmeSaved(r, current))
		h.renderProgrammeForm(w, r, http.StatusConflict, form)
	case code == approdo.EINVALID || code == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderProgrammeForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// submitProgramme saves p, the programme id (0 for a new one), with save,
// and returns the error with its problems named after the form's rows. A
// form with problems of its own, such as a malformed date, cannot be saved:
// they are returned with what else is wrong, but only once the actor is
// known to reach the programme, so that one that does not exist, or is out
// of reach, is not found before its input is judged.
func (h *Handler) submitProgramme(r *http.Request, id int64, p *network.Programme, rowOf []int,
	problems []approdo.FieldError, save func(*network.Programme) error) error {
	if len(problems) == 0 {
		return lineRows(save(p), rowOf)
	}
	if id != 0 {
		if _, err := h.Admin.Programme(r.Context(), auth.ActorFrom(r.Context()), id); err != nil {
			return err
		}
	}
	check := *p
	check.Normalize()
	return approdo.Invalid(append(problems, approdo.ErrorFields(lineRows(check.Validate(), rowOf))...)...)
}

// programmeSaved writes a saved value of a programme's field for a conflict
// note.
func (h *Handler) programmeSaved(r *http.Request, p *network.Programme) func(string) string {
	l := lang(r.Context())
	// A note that cannot name what it refers to is still worth showing:
	// without the directory, organisations and areas are left blank.
	dir, _ := h.readDirectory(r.Context())
	org := func(id int64) string {
		if dir != nil && dir.orgByID[id] != nil {
			return dir.orgByID[id].Name
		}
		return ""
	}
	return func(field string) string {
		var parts []string
		switch field {
		case "code":
			return p.Code
		case "name":
			return p.Name
		case "funder":
			return p.Funder
		case "starts_on":
			return isoDate(p.StartsOn)
		case "ends_on":
			return isoDate(p.EndsOn)
		case "lead_organisation_id":
			return org(p.LeadOrgID)
		case "description":
			return p.Description
		case "partner_ids":
			for _, id := range p.PartnerIDs {
				parts = append(parts, org(id))
			}
		case "area_ids":
			for _, id := range p.AreaIDs {
				if dir != nil && dir.area(id) != nil {
					parts = append(parts, dir.area(id).Name)
				}
			}
		case "budget_lines":
			for _, line := range p.BudgetLines {
				parts = append(parts, line.Code+" "+line.Label+" "+formatEuro(line.AmountCents, l))
			}
		}
		return strings.Join(parts, "; ")
	}
}

func programmePath(id int64) string { return "/admin/programmes/" + strconv.FormatInt(id, 10) }
