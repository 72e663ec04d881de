package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
)

// caseReopenForm is the form that reopens a closed case with a reason.
type caseReopenForm struct {
	caseForm
	Reason    string
	MaxReason int
	// Refusal says, translated, that the case is open.
	Refusal string
}

// showReopenForm shows the form that reopens a closed case.
func (h *Handler) showReopenForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Manage)
	if !ok {
		return
	}
	h.renderReopenForm(w, r, http.StatusOK, caseReopenForm{caseForm: caseForm{Case: c, Version: c.Version}})
}

// renderReopenForm shows the reopening form with status.
func (h *Handler) renderReopenForm(w http.ResponseWriter, r *http.Request, status int, f caseReopenForm) {
	f.MaxReason = cases.MaxReasonChars
	if !f.Case.Closed() {
		f.Refusal = h.Catalogue.T(lang(r.Context()), "error.stage.not_closed")
		f.Errors = nil
	}
	h.render(w, r, status, "case_reopen", h.newPage(r, "case_reopen.title", f))
}
