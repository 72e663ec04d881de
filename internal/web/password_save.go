package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// savePasswordChange changes the signed-in user's password: the current one
// must be right and the new one must pass the rules (at least 12
// characters, not a common password). Every other session of the user ends.
func (h *Handler) savePasswordChange(w http.ResponseWriter, r *http.Request) {
	confirm := r.PostFormValue("new_password_confirm")
	change := auth.PasswordChange{Current: r.PostFormValue("current_password"), New: r.PostFormValue("new_password"), Confirm: &confirm}
	err := h.Sessions.ChangePassword(r.Context(), auth.ActorFrom(r.Context()), change, auth.ClientFrom(r.Context()))
	status := http.StatusUnprocessableEntity
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/account/password?changed=1", http.StatusSeeOther)
		return
	case approdo.EINVALID:
	case approdo.ETOOMANY:
		status = http.StatusTooManyRequests
	default:
		h.fail(w, r, err)
		return
	}
	form := passwordChangeForm{Errors: h.formErrors(r, err)}
	h.render(w, r, status, "password", h.newPage(r, "security.password.title", form))
}
