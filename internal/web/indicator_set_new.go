package web

import (
	"net/http"

	"approdo/cases"
)

// newIndicatorSet shows the form of a new screening checklist.
func (h *Handler) newIndicatorSet(w http.ResponseWriter, r *http.Request) {
	h.renderIndicatorSetForm(w, r, http.StatusOK, indicatorSetFormOf(&cases.IndicatorSet{Active: true, Position: 10}))
}
