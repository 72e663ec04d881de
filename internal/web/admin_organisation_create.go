package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// createOrganisation saves a new organisation and shows it, or shows the
// form again with its problems and everything typed.
func (h *Handler) createOrganisation(w http.ResponseWriter, r *http.Request) {
	form, o := readOrganisationForm(r, 0)
	err := h.Admin.CreateOrganisation(r.Context(), auth.ActorFrom(r.Context()), o)
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, organisationPath(o.ID)+"?saved", http.StatusSeeOther)
	case approdo.EINVALID, approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderOrganisationForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
