package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editIndicatorSet shows the form of a screening checklist with all its
// indicators, active or not, and empty rows for new ones.
func (h *Handler) editIndicatorSet(w http.ResponseWriter, r *http.Request) {
	set, err := h.Cases.IndicatorSet(r.Context(), auth.ActorFrom(r.Context()), r.PathValue("set"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderIndicatorSetForm(w, r, http.StatusOK, indicatorSetFormOf(set))
}
