package web

import (
	"net/http"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
)

// updateOrganisation saves an edited organisation. Invalid input shows the
// form again with its problems; an edit made from an older version shows
// the form with what was saved meanwhile and the current version, so that
// saving again applies it.
func (h *Handler) updateOrganisation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	id := pathID(r, "id")
	form, o := readOrganisationForm(r, id)
	err := h.Admin.UpdateOrganisation(ctx, a, o)
	switch {
	case err == nil:
		http.Redirect(w, r, organisationPath(id)+"?saved", http.StatusSeeOther)
	case admin.IsStale(err):
		current, cerr := h.Admin.Organisation(ctx, a, id)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		h.stale(r, &form.formState, current.Changes(o), h.organisationSaved(r, current))
		h.renderOrganisationForm(w, r, http.StatusConflict, form)
	case approdo.ErrorCode(err) == approdo.EINVALID || approdo.ErrorCode(err) == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderOrganisationForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
