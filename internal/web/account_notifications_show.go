package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/store"
)

// notificationSettingsForm is the form where users choose how they get
// notifications by e-mail.
type notificationSettingsForm struct {
	Preference string
	Email      string
	Saved      bool
	Errors     []formError
	Choices    []string
}

// FieldError returns the message of the named field, or "".
func (f notificationSettingsForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showNotificationSettings shows how the signed-in user gets notifications
// by e-mail: never, immediately or in a daily digest.
func (h *Handler) showNotificationSettings(w http.ResponseWriter, r *http.Request) {
	form, err := h.notificationSettings(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Saved = r.URL.Query().Get("saved") == "1"
	h.render(w, r, http.StatusOK, "account_notifications", h.newPage(r, "mail.settings.title", form))
}

// notificationSettings loads the signed-in user's e-mail preference.
func (h *Handler) notificationSettings(r *http.Request) (notificationSettingsForm, error) {
	var rc *store.Recipient
	id := auth.ActorFrom(r.Context()).User.ID
	err := h.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		rc, err = store.FindRecipient(r.Context(), tx, id)
		return err
	})
	if err != nil {
		return notificationSettingsForm{}, err
	}
	return notificationSettingsForm{Preference: string(rc.Preference), Email: rc.Email,
		Choices: []string{string(store.MailImmediately), string(store.MailDaily), string(store.MailNone)}}, nil
}
