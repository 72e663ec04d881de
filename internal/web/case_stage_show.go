package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
)

// caseStageForm is the form that moves a case to another stage: forward
// one stage, or back one stage with a reason.
type caseStageForm struct {
	caseForm
	To     cases.Stage
	Kind   cases.MoveKind
	Reason string
	// Refusal says, translated, why the move is not possible from where
	// the case stands; the page then offers no form.
	Refusal   string
	MaxReason int
}

// showStageForm shows the form that moves a case to the stage the URL
// names (?stage=), or says why the protocol does not allow it.
func (h *Handler) showStageForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Manage)
	if !ok {
		return
	}
	f := caseStageForm{caseForm: caseForm{Case: c, Version: c.Version}, To: cases.Stage(r.URL.Query().Get("stage"))}
	if f.To == "" {
		f.To = c.Stage.Previous()
	}
	h.renderStageForm(w, r, http.StatusOK, f)
}

// renderStageForm shows the stage form with status.
func (h *Handler) renderStageForm(w http.ResponseWriter, r *http.Request, status int, f caseStageForm) {
	f.MaxReason = cases.MaxReasonChars
	kind, err := cases.CheckMove(f.Case.Stage, f.To)
	switch {
	case err != nil:
		f.Refusal = h.formErrors(r, err)[0].Message
	case kind == cases.Close:
		f.Refusal = h.Catalogue.T(lang(r.Context()), "error.stage.use_close", h.fieldLabel(r, "stage"))
	case kind == cases.Reopen:
		f.Refusal = h.Catalogue.T(lang(r.Context()), "error.stage.use_reopen", h.fieldLabel(r, "stage"))
	}
	if f.Refusal != "" {
		// The refusal says it all; the stage is no field of the form.
		f.Errors = nil
	}
	f.Kind = kind
	h.render(w, r, status, "case_stage", h.newPage(r, "case_stage.title", f))
}
