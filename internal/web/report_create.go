package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// createReport files a new report and shows it to its author, or shows the
// form again with its problems and everything typed.
func (h *Handler) createReport(w http.ResponseWriter, r *http.Request) {
	form, in, problems := readReportForm(r)
	if len(problems) > 0 {
		form.Errors = h.formErrors(r, approdo.Invalid(problems...))
		h.renderReportForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	rep, err := h.Cases.FileReport(r.Context(), auth.ActorFrom(r.Context()), in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, reportPath(rep.ID)+"?filed", http.StatusSeeOther)
	case approdo.EINVALID:
		form.Errors = h.formErrors(r, err)
		h.renderReportForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
