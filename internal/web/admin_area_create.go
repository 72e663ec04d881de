package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// createArea saves a new area and shows it, or shows the form again with
// its problems and everything typed.
func (h *Handler) createArea(w http.ResponseWriter, r *http.Request) {
	form, area := readAreaForm(r, 0)
	err := h.Admin.CreateArea(r.Context(), auth.ActorFrom(r.Context()), area)
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, areaPath(area.ID)+"?saved", http.StatusSeeOther)
	case approdo.EINVALID, approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderAreaForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
