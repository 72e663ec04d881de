package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/projects"
)

// createIntervention adds an entry to the catalogue of interventions and
// goes back to the catalogue, or shows the form again with its problems and
// everything typed.
func (h *Handler) createIntervention(w http.ResponseWriter, r *http.Request) {
	h.saveIntervention(w, r, "", func(i *projects.Intervention) error {
		return h.Cases.CreateIntervention(r.Context(), auth.ActorFrom(r.Context()), i, auth.ClientFrom(r.Context()))
	})
}
