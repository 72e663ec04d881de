package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/network"
)

// caseTransferForm is the form that asks another organisation to take over
// a case.
type caseTransferForm struct {
	caseForm
	ToOrgID        int64
	Reason         string
	RequesterStays bool
	Organisations  []network.Organisation
	MaxReason      int
}

// showTransferForm shows the form that asks another organisation to take
// over a case, offering the organisations where someone may accept it.
func (h *Handler) showTransferForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Manage)
	if !ok {
		return
	}
	h.renderTransferForm(w, r, http.StatusOK, caseTransferForm{caseForm: caseForm{Case: c, Version: c.Version},
		RequesterStays: true})
}

// renderTransferForm shows the transfer form with status.
func (h *Handler) renderTransferForm(w http.ResponseWriter, r *http.Request, status int, f caseTransferForm) {
	var err error
	if f.Organisations, err = h.Cases.TransferDestinations(r.Context(), f.Case); err != nil {
		h.fail(w, r, err)
		return
	}
	f.MaxReason = cases.MaxReasonChars
	h.render(w, r, status, "case_transfer", h.newPage(r, "case_transfer.title", f))
}
