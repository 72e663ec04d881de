package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// saveNotificationSettings records how the signed-in user gets
// notifications by e-mail.
func (h *Handler) saveNotificationSettings(w http.ResponseWriter, r *http.Request) {
	pref := store.MailPreference(r.PostFormValue("email_notifications"))
	id := auth.ActorFrom(r.Context()).User.ID
	err := h.DB.Write(r.Context(), func(tx *store.Tx) error { return store.SetMailPreference(r.Context(), tx, id, pref) })
	if err == nil {
		http.Redirect(w, r, "/account/notifications?saved=1", http.StatusSeeOther)
		return
	}
	if approdo.ErrorCode(err) != approdo.EINVALID {
		h.fail(w, r, err)
		return
	}
	form, ferr := h.notificationSettings(r)
	if ferr != nil {
		h.fail(w, r, ferr)
		return
	}
	form.Errors = h.formErrors(r, err)
	h.render(w, r, http.StatusUnprocessableEntity, "account_notifications", h.newPage(r, "mail.settings.title", form))
}
