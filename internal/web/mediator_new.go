package web

import (
	"net/http"
)

// newMediator shows the empty form of a new profile of the registry, for a
// user with the mediator role who has none yet.
func (h *Handler) newMediator(w http.ResponseWriter, r *http.Request) {
	h.renderMediatorForm(w, r, http.StatusOK, mediatorForm{Active: true, Slots: slotRows(nil)})
}
