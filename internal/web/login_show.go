package web

import (
	"net/http"

	"approdo/internal/auth"
)

// loginForm is what the sign-in page shows.
type loginForm struct {
	Username string
	Next     string
	Errors   []formError
}

// FieldError returns the message of the named field, or "".
func (f loginForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showLogin shows the sign-in form, or sends a signed-in user home.
func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request) {
	if auth.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login", h.newPage(r, "login.title", loginForm{Next: localPath(r.URL.Query().Get("next"))}))
}
