package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// reassignCase hands a case to the case worker chosen and goes back to it;
// the form comes back with the choice when it is not allowed or the case
// changed meanwhile.
func (h *Handler) reassignCase(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseReassignForm{caseForm: caseForm{Version: formVersion(r)}, CaseWorkerID: formID(r, "case_worker_id")}
	_, err := h.Cases.Reassign(r.Context(), auth.ActorFrom(r.Context()), id,
		casework.Reassignment{Version: f.Version, CaseWorkerID: f.CaseWorkerID}, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current == nil {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderReassignForm(w, r, status, f)
	})
}
