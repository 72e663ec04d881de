package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/projects"
)

// updateIntervention saves an edited entry of the catalogue of
// interventions (retiring it, or offering it again, with its "active" box),
// and goes back to the catalogue, or shows the form again: with its
// problems, or, for an edit made from an older version, with what was saved
// meanwhile and the current version, so that saving again applies it.
func (h *Handler) updateIntervention(w http.ResponseWriter, r *http.Request) {
	h.saveIntervention(w, r, r.PathValue("code"), func(i *projects.Intervention) error {
		return h.Cases.UpdateIntervention(r.Context(), auth.ActorFrom(r.Context()), i, auth.ClientFrom(r.Context()))
	})
}
