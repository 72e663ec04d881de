package web

import (
	"net/http"
	"slices"

	"approdo/access"
	"approdo/cases"
)

// caseCloseForm is the form that closes a case: why, and what the person
// achieved.
type caseCloseForm struct {
	caseForm
	Reason   string
	Outcomes []string

	Reasons        []caseOption
	OutcomeOptions []caseOption
	// Refusal says, translated, why the case cannot close now.
	Refusal string
}

// showCloseForm shows the form that closes a case, or says why the case
// cannot close from where it stands.
func (h *Handler) showCloseForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Manage)
	if !ok {
		return
	}
	h.renderCloseForm(w, r, http.StatusOK, caseCloseForm{caseForm: caseForm{Case: c, Version: c.Version}})
}

// renderCloseForm shows the closure form with status.
func (h *Handler) renderCloseForm(w http.ResponseWriter, r *http.Request, status int, f caseCloseForm) {
	l := lang(r.Context())
	switch {
	case f.Case.Closed():
		f.Refusal = h.Catalogue.T(l, "error.stage.already_closed")
	case !f.Case.Stage.MayClose():
		f.Refusal = h.Catalogue.T(l, "error.stage.close_too_early_case")
	}
	if f.Refusal != "" {
		f.Errors = nil
	}
	f.Reasons, f.OutcomeOptions = nil, nil
	for _, code := range cases.ClosureReasons {
		f.Reasons = append(f.Reasons, caseOption{Value: code, Label: h.Catalogue.T(l, "closure_reason."+code), Checked: code == f.Reason})
	}
	for _, code := range cases.ClosureOutcomes {
		f.OutcomeOptions = append(f.OutcomeOptions, caseOption{Value: code, Label: h.Catalogue.T(l, "outcome."+code),
			Checked: slices.Contains(f.Outcomes, code)})
	}
	h.render(w, r, status, "case_close", h.newPage(r, "case_close.title", f))
}
