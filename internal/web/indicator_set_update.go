package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// updateIndicatorSet saves a screening checklist and its indicators, and
// goes back to the list, or shows the form again with its problems and
// everything typed. A checklist that does not exist is not found before
// its input is judged.
func (h *Handler) updateIndicatorSet(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("set")
	form, set, rename := readIndicatorSetForm(r, code)
	err := h.Cases.UpdateIndicatorSet(r.Context(), auth.ActorFrom(r.Context()), set, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/admin/indicator-sets?saved", http.StatusSeeOther)
	case approdo.EINVALID:
		form.Errors = h.formErrors(r, remapFields(err, rename))
		h.renderIndicatorSetForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
