package web

import (
	"net/http"
)

// passwordChangeForm is what the change-password page shows. The passwords
// typed are never sent back.
type passwordChangeForm struct {
	Changed bool
	Errors  []formError
}

// FieldError returns the message of the named field, or "".
func (f passwordChangeForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showPasswordChange shows the form to change one's own password, and the
// confirmation after a change.
func (h *Handler) showPasswordChange(w http.ResponseWriter, r *http.Request) {
	form := passwordChangeForm{Changed: r.URL.Query().Get("changed") == "1"}
	h.render(w, r, http.StatusOK, "password", h.newPage(r, "security.password.title", form))
}
