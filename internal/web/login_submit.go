package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
)

// submitLogin checks the credentials. A user without a second factor gets a
// new session with a new token (never reusing one the browser brought,
// against session fixation) and goes where they were going; a user with one
// gets only a short-lived pending sign-in, in its own cookie, and goes to the
// second step. Too many failures answer 429 with the minutes to wait.
func (h *Handler) submitLogin(w http.ResponseWriter, r *http.Request) {
	form := loginForm{
		Username: strings.TrimSpace(r.PostFormValue("username")),
		Next:     localPath(r.PostFormValue("next")),
	}
	password := r.PostFormValue("password")
	var missing []approdo.FieldError
	if form.Username == "" {
		missing = append(missing, approdo.FieldError{Field: "username", Message: "error.field.required"})
	}
	if password == "" {
		missing = append(missing, approdo.FieldError{Field: "password", Message: "error.field.required"})
	}
	if len(missing) > 0 {
		form.Errors = h.formErrors(r, approdo.Invalid(missing...))
		h.render(w, r, http.StatusUnprocessableEntity, "login", h.newPage(r, "login.title", form))
		return
	}
	secure := h.Secure(r)
	old, err := r.Cookie(SessionCookie)
	if err == nil {
		if err := h.Sessions.Logout(r.Context(), old.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	res, err := h.Sessions.Login(r.Context(), auth.Attempt{Username: form.Username, Password: password,
		Client: auth.ClientFrom(r.Context())})
	if old != nil && (err != nil || res.PendingToken != "") {
		http.SetCookie(w, ExpiredCookie(SessionCookie, secure))
	}
	if err != nil {
		h.loginRefused(w, r, form, err)
		return
	}
	if res.PendingToken != "" {
		http.SetCookie(w, NewCookie(PendingLoginCookie, res.PendingToken, auth.PendingLoginTimeout, secure))
		http.Redirect(w, r, "/login/second-factor?next="+url.QueryEscape(form.Next), http.StatusSeeOther)
		return
	}
	h.startSession(w, r, res, form.Next)
}

// loginRefused shows the sign-in form again with why the sign-in failed: 401
// for wrong credentials, 429 while the account or address is locked.
func (h *Handler) loginRefused(w http.ResponseWriter, r *http.Request, form loginForm, err error) {
	status := http.StatusUnauthorized
	switch approdo.ErrorCode(err) {
	case approdo.EUNAUTHORIZED:
	case approdo.ETOOMANY:
		status = http.StatusTooManyRequests
		if d := auth.LockedFor(err); d > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds())))
		}
	default:
		h.fail(w, r, err)
		return
	}
	form.Errors = h.formErrors(r, err)
	h.render(w, r, status, "login", h.newPage(r, "login.title", form))
}

// startSession gives the browser the cookie of a new session and sends the
// user on: to the set-up of a second factor when their role asks for one
// they lack, otherwise to next.
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, res *auth.LoginResult, next string) {
	secure := h.Secure(r)
	http.SetCookie(w, NewCookie(SessionCookie, res.Token, h.Sessions.AbsoluteTimeout, secure))
	http.SetCookie(w, ExpiredCookie(CSRFCookie, secure))
	if _, err := r.Cookie(PendingLoginCookie); err == nil {
		http.SetCookie(w, ExpiredCookie(PendingLoginCookie, secure))
	}
	if c, err := r.Cookie(LanguageCookie); err != nil || c.Value == "" {
		http.SetCookie(w, NewCookie(LanguageCookie, res.Actor.User.Locale, 365*24*time.Hour, secure))
	}
	if res.Actor.MustEnrol {
		next = secondFactorPath
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
