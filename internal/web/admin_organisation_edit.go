package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editOrganisation shows the form of an existing organisation, with the
// version it was made from.
func (h *Handler) editOrganisation(w http.ResponseWriter, r *http.Request) {
	o, err := h.Admin.Organisation(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderOrganisationForm(w, r, http.StatusOK, newOrganisationForm(o))
}
