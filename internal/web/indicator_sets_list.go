package web

import (
	"net/http"

	"approdo/internal/auth"
)

// listIndicatorSets shows the screening checklists, active or not, with
// their indicators, to those who edit them.
func (h *Handler) listIndicatorSets(w http.ResponseWriter, r *http.Request) {
	sets, err := h.Cases.IndicatorSets(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "indicators", h.newPage(r, "indicators.title", sets))
}
