package web

import (
	"net/http"
	"net/url"

	"approdo"
	"approdo/internal/auth"
)

// acceptInvitation sets the password an invited person chose and signs them
// in, as the sign-in form would; a password that breaks a rule, or two that
// differ, show the form again. The passwords are never shown back.
func (h *Handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	token := r.PathValue("token")
	password, confirm := r.PostFormValue("password"), r.PostFormValue("password_confirm")
	u, err := h.Admin.Invitee(ctx, token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form := invitationForm{User: u, Token: token}
	switch {
	case password == "":
		err = approdo.Invalid(approdo.FieldError{Field: "password", Message: "error.field.required"})
	case password != confirm:
		err = approdo.Invalid(approdo.FieldError{Field: "password_confirm", Message: "error.field.password_mismatch"})
	default:
		_, err = h.Admin.AcceptInvitation(ctx, token, password)
	}
	if approdo.ErrorCode(err) == approdo.EINVALID {
		form.Errors = h.formErrors(r, err)
		h.renderInvitation(w, r, http.StatusUnprocessableEntity, form)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	secure := h.Secure(r)
	if old, err := r.Cookie(SessionCookie); err == nil {
		h.Sessions.Logout(ctx, old.Value)
		http.SetCookie(w, ExpiredCookie(SessionCookie, secure))
	}
	res, err := h.Sessions.Login(ctx, auth.Attempt{Username: u.Username, Password: password, Client: auth.ClientFrom(ctx)})
	if err != nil {
		// The password is saved; whatever stopped the sign-in, the sign-in
		// form says it.
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if res.PendingToken != "" {
		http.SetCookie(w, NewCookie(PendingLoginCookie, res.PendingToken, auth.PendingLoginTimeout, secure))
		http.Redirect(w, r, "/login/second-factor?next="+url.QueryEscape("/"), http.StatusSeeOther)
		return
	}
	h.startSession(w, r, res, "/")
}
