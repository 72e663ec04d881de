package api

import (
	"net/http"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/web"
)

// Signing in through the API sets the same cookies as the web interface: a
// client keeps them in its cookie jar, as a browser does, and sends the
// session's anti-forgery token, returned here, in X-CSRF-Token.

// credentialsJSON is the body of POST /api/v1/session.
type credentialsJSON struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// otpCodeJSON is the body of the requests that carry a second-factor code.
type otpCodeJSON struct {
	OTPCode string `json:"otp_code"`
}

// passwordChangeJSON is the body of POST /api/v1/me/password.
type passwordChangeJSON struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// sessionJSON says how a step of a sign-in ended.
type sessionJSON struct {
	// Status is "signed_in", or "second_factor_required" when the code of
	// the second factor is to be sent to /api/v1/session/second-factor.
	Status    string     `json:"status"`
	CSRFToken string     `json:"csrf_token,omitempty"`
	MustEnrol bool       `json:"must_enrol_second_factor"`
	Me        *meJSON    `json:"me,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// secondFactorJSON is where the signed-in user stands with their second
// factor.
type secondFactorJSON struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabled_at,omitempty"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
	Required          bool       `json:"required"`
}

// secondFactorSetupJSON is a second factor being set up.
type secondFactorSetupJSON struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// recoveryCodesJSON holds the recovery codes, shown once.
type recoveryCodesJSON struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// createSession signs in with a username and password. Without a second
// factor it opens a session; with one it answers "second_factor_required"
// and sets the short-lived cookie of the pending sign-in.
func (a *API) createSession(w http.ResponseWriter, r *http.Request) {
	var body credentialsJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	var missing []approdo.FieldError
	if body.Username == "" {
		missing = append(missing, approdo.FieldError{Field: "username", Message: "error.field.required"})
	}
	if body.Password == "" {
		missing = append(missing, approdo.FieldError{Field: "password", Message: "error.field.required"})
	}
	if len(missing) > 0 {
		a.fail(w, r, approdo.Invalid(missing...))
		return
	}
	if old, err := r.Cookie(web.SessionCookie); err == nil {
		if err := a.Sessions.Logout(r.Context(), old.Value); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	res, err := a.Sessions.Login(r.Context(), auth.Attempt{Username: body.Username, Password: body.Password,
		Client: auth.ClientFrom(r.Context())})
	if err != nil {
		a.failSignIn(w, r, err)
		return
	}
	if res.PendingToken != "" {
		http.SetCookie(w, web.NewCookie(web.PendingLoginCookie, res.PendingToken, auth.PendingLoginTimeout, a.secure(r)))
		respond.JSON(w, http.StatusOK, sessionJSON{Status: "second_factor_required", ExpiresAt: &res.PendingExpires})
		return
	}
	a.startSession(w, r, res)
}

// completeSession checks the second factor of a pending sign-in, a code or
// a recovery code, and opens the session.
func (a *API) completeSession(w http.ResponseWriter, r *http.Request) {
	var body otpCodeJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := r.Cookie(web.PendingLoginCookie)
	if err != nil || c.Value == "" {
		a.fail(w, r, approdo.Errorf(approdo.EUNAUTHORIZED, "error.login_pending_expired"))
		return
	}
	res, err := a.Sessions.CompleteLogin(r.Context(), c.Value, body.OTPCode, auth.ClientFrom(r.Context()))
	if err != nil {
		if code := approdo.ErrorCode(err); code != approdo.EINVALID && len(approdo.ErrorFields(err)) == 0 {
			http.SetCookie(w, web.ExpiredCookie(web.PendingLoginCookie, a.secure(r)))
		}
		a.failSignIn(w, r, err)
		return
	}
	a.startSession(w, r, res)
}

// startSession sets the cookie of a new session and describes it.
func (a *API) startSession(w http.ResponseWriter, r *http.Request, res *auth.LoginResult) {
	secure := a.secure(r)
	http.SetCookie(w, web.NewCookie(web.SessionCookie, res.Token, a.Sessions.AbsoluteTimeout, secure))
	if _, err := r.Cookie(web.PendingLoginCookie); err == nil {
		http.SetCookie(w, web.ExpiredCookie(web.PendingLoginCookie, secure))
	}
	me := meJSON{User: userView(res.Actor.User), Organisation: organisationView(res.Actor.Organisation)}
	respond.JSON(w, http.StatusOK, sessionJSON{Status: "signed_in", CSRFToken: res.Actor.Session.CSRFToken,
		MustEnrol: res.Actor.MustEnrol, Me: &me})
}

// deleteSession signs out of the current session.
func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) {
	if err := a.Sessions.SignOut(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	http.SetCookie(w, web.ExpiredCookie(web.SessionCookie, a.secure(r)))
	w.WriteHeader(http.StatusNoContent)
}

// deleteSessions signs the user out everywhere: every session ends and
// every API token is revoked.
func (a *API) deleteSessions(w http.ResponseWriter, r *http.Request) {
	if err := a.Sessions.LogoutEverywhere(r.Context(), auth.ActorFrom(r.Context()).User.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	http.SetCookie(w, web.ExpiredCookie(web.SessionCookie, a.secure(r)))
	w.WriteHeader(http.StatusNoContent)
}

// changePassword changes the signed-in user's own password and ends their
// other sessions.
func (a *API) changePassword(w http.ResponseWriter, r *http.Request) {
	var body passwordChangeJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	change := auth.PasswordChange{Current: body.CurrentPassword, New: body.NewPassword}
	if err := a.Sessions.ChangePassword(r.Context(), auth.ActorFrom(r.Context()), change, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getSecondFactor says where the signed-in user stands with their second
// factor.
func (a *API) getSecondFactor(w http.ResponseWriter, r *http.Request) {
	st, err := a.Sessions.SecondFactorStatus(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := secondFactorJSON{Enabled: st.Enabled, RecoveryCodesLeft: st.RecoveryCodesLeft, Required: st.Required}
	if st.Enabled {
		out.EnabledAt = &st.EnabledAt
	}
	respond.JSON(w, http.StatusOK, out)
}

// beginSecondFactor begins, or takes up again, the set-up of a second
// factor and returns its secret.
func (a *API) beginSecondFactor(w http.ResponseWriter, r *http.Request) {
	setup, err := a.Sessions.BeginEnrolment(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, secondFactorSetupJSON{Secret: setup.Secret, OTPAuthURL: setup.URL})
}

// confirmSecondFactor puts the second factor in use with a first code and
// returns the recovery codes, this once.
func (a *API) confirmSecondFactor(w http.ResponseWriter, r *http.Request) {
	var body otpCodeJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	codes, err := a.Sessions.ConfirmEnrolment(r.Context(), auth.ActorFrom(r.Context()), body.OTPCode, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, recoveryCodesJSON{RecoveryCodes: codes})
}

// resetSecondFactor removes a user's second factor, for an administrator.
func (a *API) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	if err := a.Sessions.ResetSecondFactor(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// failSignIn writes the error of a sign-in, with Retry-After when a lock
// refused it.
func (a *API) failSignIn(w http.ResponseWriter, r *http.Request, err error) {
	if d := auth.LockedFor(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds())))
	}
	a.fail(w, r, err)
}

// secure reports whether r came over TLS, for the Secure flag of cookies.
func (a *API) secure(r *http.Request) bool {
	if a.Secure != nil {
		return a.Secure(r)
	}
	return r.TLS != nil
}
