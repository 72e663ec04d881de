package web

import (
	"net/http"
	"slices"
	"strings"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/network"
)

// caseEditForm is the form that changes a case's risk level, protection
// concerns and programme. It carries the values it was made from (Orig*),
// so that saving applies only what the operator changed, and so that,
// after someone else saved the case meanwhile, the form comes back with the
// operator's own changes over the new values, ready to save again.
type caseEditForm struct {
	caseForm
	Risk          cases.Risk
	Concerns      []string
	ProgrammeID   int64
	OrigRisk      cases.Risk
	OrigConcerns  string
	OrigProgramme int64

	Risks          []cases.Risk
	ConcernOptions []caseOption
	Programmes     []network.Programme
	CanManage      bool
}

// newCaseEditForm returns the form filled with the case's values.
func newCaseEditForm(c *cases.Case) caseEditForm {
	f := caseEditForm{caseForm: caseForm{Case: c, Version: c.Version}, Risk: c.Risk, Concerns: c.Concerns,
		ProgrammeID: c.ProgrammeID}
	f.setOrigin(c)
	return f
}

// setOrigin makes c the values the form was made from.
func (f *caseEditForm) setOrigin(c *cases.Case) {
	f.OrigRisk, f.OrigConcerns, f.OrigProgramme = c.Risk, strings.Join(c.Concerns, ","), c.ProgrammeID
}

// editCase shows the form that changes a case's risk, concerns and
// programme.
func (h *Handler) editCase(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Update)
	if !ok {
		return
	}
	h.renderCaseEdit(w, r, http.StatusOK, newCaseEditForm(c))
}

// renderCaseEdit shows the edit form with status.
func (h *Handler) renderCaseEdit(w http.ResponseWriter, r *http.Request, status int, f caseEditForm) {
	l := lang(r.Context())
	f.Risks = cases.Risks
	f.ConcernOptions = nil
	for _, code := range cases.Concerns {
		f.ConcernOptions = append(f.ConcernOptions, caseOption{Value: code, Label: h.Catalogue.T(l, "concern."+code),
			Checked: slices.Contains(f.Concerns, code)})
	}
	f.CanManage = auth.Allowed(auth.ActorFrom(r.Context()), access.Manage, casework.Target(f.Case, access.Cases))
	if f.CanManage {
		var err error
		if f.Programmes, err = h.Cases.ProgrammesFor(r.Context(), f.Case); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "case_edit", h.newPage(r, "case_edit.title", f))
}
