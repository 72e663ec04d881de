package web

import (
	"net/http"

	"approdo/internal/auth"
)

// serviceShowPage is what a service's page shows.
type serviceShowPage struct {
	serviceRow
	Saved bool
}

// showService shows a service of the directory: what it offers, to whom,
// where, in which languages, when, how to refer someone and whom to call.
func (h *Handler) showService(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	s, err := h.serviceDirectory().Find(r.Context(), actor, pathID(r, "service"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	areas, orgs, err := h.areasAndOrganisations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, saved := r.URL.Query()["saved"]
	d := serviceShowPage{serviceRow: serviceRowOf(s, actor, areas, orgs, lang(r.Context())), Saved: saved}
	h.render(w, r, http.StatusOK, "service", h.newPage(r, "services.show", d))
}
