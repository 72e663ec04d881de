package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// closeCase closes a case with its reason and outcomes and goes back to it;
// the form comes back with what was chosen when something is missing or the
// case changed meanwhile.
func (h *Handler) closeCase(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseCloseForm{caseForm: caseForm{Version: formVersion(r)}, Reason: r.PostFormValue("closure_reason"),
		Outcomes: r.PostForm["outcomes"]}
	_, err := h.Cases.CloseCase(r.Context(), auth.ActorFrom(r.Context()), id,
		casework.Closure{Version: f.Version, Reason: f.Reason, Outcomes: f.Outcomes}, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current == nil {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderCloseForm(w, r, status, f)
	})
}
