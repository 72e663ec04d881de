package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// requestTransfer asks another organisation to take over a case and goes
// back to it, where the pending transfer shows; the form comes back with
// what was written when something is missing or the case changed
// meanwhile.
func (h *Handler) requestTransfer(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseTransferForm{caseForm: caseForm{Version: formVersion(r)}, ToOrgID: formID(r, "to_organisation_id"),
		Reason: r.PostFormValue("reason"), RequesterStays: r.PostFormValue("requester_stays") != ""}
	_, err := h.Cases.RequestTransfer(r.Context(), auth.ActorFrom(r.Context()), id, casework.TransferRequest{
		Version: f.Version, ToOrgID: f.ToOrgID, Reason: f.Reason, RequesterStays: f.RequesterStays}, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current == nil {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderTransferForm(w, r, status, f)
	})
}
