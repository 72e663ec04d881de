package web

import (
	"net/http"

	"approdo/services"
)

// newService shows the form of a new entry of the service directory,
// active, for the actor's own organisation when they may add services to it.
func (h *Handler) newService(w http.ResponseWriter, r *http.Request) {
	h.renderServiceForm(w, r, http.StatusOK, serviceFormOf(&services.Service{Active: true}, lang(r.Context())))
}
