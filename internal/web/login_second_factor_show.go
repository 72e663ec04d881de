package web

import (
	"net/http"

	"approdo/internal/auth"
)

// PendingLoginCookie holds the token of a sign-in whose password was right
// and whose second factor is still to come. It opens nothing but the second
// step, and lives a few minutes.
const PendingLoginCookie = "approdo_pending_login"

// loginSecondFactorForm is what the second step of a sign-in shows.
type loginSecondFactorForm struct {
	Next   string
	Errors []formError
}

// FieldError returns the message of the named field, or "".
func (f loginSecondFactorForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showLoginSecondFactor asks for the code of the second factor, or sends
// whoever has no sign-in under way back to the first step.
func (h *Handler) showLoginSecondFactor(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if auth.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie(PendingLoginCookie); err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login_second_factor", h.newPage(r, "login.second_factor.title", loginSecondFactorForm{Next: next}))
}
