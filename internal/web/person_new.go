package web

import (
	"net/http"

	"approdo/cases"
	"approdo/internal/auth"
)

// newPerson shows the form of a new person of a case: the main person when
// the case has none yet, otherwise a child or relative.
func (h *Handler) newPerson(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	c, sees, err := h.Cases.UpdatableCase(r.Context(), a, pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := personForm{Case: c, Sees: sees, BirthPrecision: string(cases.UnknownDate)}
	h.renderPersonForm(w, r, http.StatusOK, f)
}
