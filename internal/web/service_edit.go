package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	servicedir "approdo/internal/directory"
)

// editService shows the form of a service the actor may edit, with the
// version it was made from; any other service is not found.
func (h *Handler) editService(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	s, err := h.serviceDirectory().Find(r.Context(), actor, pathID(r, "service"))
	if err == nil && !servicedir.CanEdit(actor, s) {
		err = approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderServiceForm(w, r, http.StatusOK, serviceFormOf(s, lang(r.Context())))
}
