package web

import (
	"net/http"

	"approdo/network"
)

// newOrganisation shows the form of a new organisation.
func (h *Handler) newOrganisation(w http.ResponseWriter, r *http.Request) {
	h.renderOrganisationForm(w, r, http.StatusOK, newOrganisationForm(&network.Organisation{}))
}
