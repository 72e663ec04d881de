package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// submitBreakGlass opens a case outside the actor's scope after they wrote
// why, and takes them to it. The form comes back with what was typed when
// something is missing or no case has the code.
func (h *Handler) submitBreakGlass(w http.ResponseWriter, r *http.Request) {
	form := breakGlassForm{Code: r.PostFormValue("case_code"), Reason: r.PostFormValue("reason"),
		Hours: int(h.Cases.BreakGlassFor.Hours())}
	c, err := h.Cases.BreakGlass(r.Context(), auth.ActorFrom(r.Context()), form.Code, form.Reason, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
		return
	case approdo.EINVALID:
		form.Errors = h.formErrors(r, err)
		h.render(w, r, http.StatusUnprocessableEntity, "break_glass", h.newPage(r, "break_glass.title", form))
		return
	case approdo.ENOTFOUND:
		form.Errors = h.formErrors(r, approdo.Invalid(approdo.FieldError{Field: "case_code", Message: "error.case_code_unknown"}))
		h.render(w, r, http.StatusNotFound, "break_glass", h.newPage(r, "break_glass.title", form))
		return
	}
	h.fail(w, r, err)
}
