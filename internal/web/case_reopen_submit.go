package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// reopenCase reopens a closed case, back to monitoring, and goes back to
// it; the form comes back with the reason as written when it is missing or
// the case changed meanwhile.
func (h *Handler) reopenCase(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseReopenForm{caseForm: caseForm{Version: formVersion(r)}, Reason: r.PostFormValue("reason")}
	_, err := h.Cases.ReopenCase(r.Context(), auth.ActorFrom(r.Context()), id,
		casework.Reopening{Version: f.Version, Reason: f.Reason}, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current == nil {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderReopenForm(w, r, status, f)
	})
}
