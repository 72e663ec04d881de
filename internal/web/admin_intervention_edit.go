package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editIntervention shows the form of an entry of the catalogue of
// interventions, with the version it was made from.
func (h *Handler) editIntervention(w http.ResponseWriter, r *http.Request) {
	i, err := h.Cases.Intervention(r.Context(), auth.ActorFrom(r.Context()), r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderInterventionForm(w, r, http.StatusOK, interventionFormOf(i, lang(r.Context())))
}
