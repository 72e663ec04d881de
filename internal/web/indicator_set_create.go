package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// createIndicatorSet saves a new screening checklist and goes back to the
// list, or shows the form again with its problems and everything typed.
func (h *Handler) createIndicatorSet(w http.ResponseWriter, r *http.Request) {
	form, set, rename := readIndicatorSetForm(r, "")
	err := h.Cases.CreateIndicatorSet(r.Context(), auth.ActorFrom(r.Context()), set, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/admin/indicator-sets?saved", http.StatusSeeOther)
	case approdo.EINVALID, approdo.ECONFLICT:
		form.Errors = h.formErrors(r, remapFields(err, rename))
		h.renderIndicatorSetForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
