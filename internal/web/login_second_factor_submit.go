package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// submitLoginSecondFactor checks the code of the second factor, or a
// recovery code, and on success opens the session, with a new token, and
// uses up the pending sign-in. A wrong code asks again; an expired pending
// sign-in or a lock sends the user back to the first step with the reason.
func (h *Handler) submitLoginSecondFactor(w http.ResponseWriter, r *http.Request) {
	form := loginSecondFactorForm{Next: localPath(r.PostFormValue("next"))}
	c, err := r.Cookie(PendingLoginCookie)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	code := r.PostFormValue("otp_code")
	if code == "" {
		form.Errors = h.formErrors(r, approdo.Invalid(approdo.FieldError{Field: "otp_code", Message: "error.field.required"}))
		h.render(w, r, http.StatusUnprocessableEntity, "login_second_factor", h.newPage(r, "login.second_factor.title", form))
		return
	}
	res, err := h.Sessions.CompleteLogin(r.Context(), c.Value, code, auth.ClientFrom(r.Context()))
	switch {
	case err == nil:
		h.startSession(w, r, res, form.Next)
	case approdo.ErrorCode(err) == approdo.EUNAUTHORIZED && len(approdo.ErrorFields(err)) > 0:
		form.Errors = h.formErrors(r, err)
		h.render(w, r, http.StatusUnauthorized, "login_second_factor", h.newPage(r, "login.second_factor.title", form))
	case approdo.ErrorCode(err) == approdo.EINVALID:
		form.Errors = h.formErrors(r, err)
		h.render(w, r, http.StatusUnprocessableEntity, "login_second_factor", h.newPage(r, "login.second_factor.title", form))
	default:
		http.SetCookie(w, ExpiredCookie(PendingLoginCookie, h.Secure(r)))
		h.loginRefused(w, r, loginForm{Next: form.Next}, err)
	}
}
