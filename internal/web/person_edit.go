package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editPerson shows the form of a person of a case, with the version it was
// made from. Groups of fields the actor may not see are left out of it and
// keep their saved values.
func (h *Handler) editPerson(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	caseID := pathID(r, "id")
	c, sees, err := h.Cases.UpdatableCase(r.Context(), a, caseID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, v, err := h.Cases.CasePerson(r.Context(), a, caseID, pathID(r, "pid"), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newPersonForm(v, lang(r.Context()))
	f.Case, f.Sees = c, sees
	h.renderPersonForm(w, r, http.StatusOK, f)
}
