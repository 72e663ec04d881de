package web

import (
	"net/http"

	"approdo/cases"
	"approdo/internal/auth"
)

// editAssessment shows the form that saves one section of a case's
// assessment, filled with what the actor may see of it.
func (h *Handler) editAssessment(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	ca, err := h.Cases.AssessmentForChange(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := ca.Section(cases.AssessmentSection(r.PathValue("section")))
	if v == nil {
		h.notFound(w, r)
		return
	}
	h.renderAssessmentForm(w, r, http.StatusOK, newAssessmentForm(ca, v, lang(r.Context())), ca.Team, v.Hidden)
}
