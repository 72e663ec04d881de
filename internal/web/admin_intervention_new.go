package web

import (
	"net/http"

	"approdo/projects"
)

// newIntervention shows the form of a new entry of the catalogue of
// interventions, offered in new projects.
func (h *Handler) newIntervention(w http.ResponseWriter, r *http.Request) {
	h.renderInterventionForm(w, r, http.StatusOK, interventionFormOf(&projects.Intervention{Active: true}, lang(r.Context())))
}
