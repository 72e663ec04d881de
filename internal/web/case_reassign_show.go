package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/network"
)

// caseReassignForm is the form that hands a case to another case worker of
// its organisation.
type caseReassignForm struct {
	caseForm
	CaseWorkerID int64
	Workers      []network.User
}

// showReassignForm shows the form that hands a case to another case
// worker, offering those of the owner organisation who may hold cases.
func (h *Handler) showReassignForm(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caseFormFor(w, r, access.Manage)
	if !ok {
		return
	}
	h.renderReassignForm(w, r, http.StatusOK, caseReassignForm{caseForm: caseForm{Case: c, Version: c.Version},
		CaseWorkerID: c.CaseWorkerID})
}

// renderReassignForm shows the reassignment form with status.
func (h *Handler) renderReassignForm(w http.ResponseWriter, r *http.Request, status int, f caseReassignForm) {
	var err error
	if f.Workers, err = h.Cases.CaseWorkers(r.Context(), auth.ActorFrom(r.Context()), f.Case.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "case_reassign", h.newPage(r, "case_reassign.title", f))
}
