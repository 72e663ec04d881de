package web

import (
	"net/http"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/store"
)

// changeLanguage switches the interface language, remembers it in a cookie
// and, for a signed-in user, in their profile, then returns to the page.
func (h *Handler) changeLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.PostFormValue("lang")
	if !i18n.Supported(l) {
		h.fail(w, r, approdo.Invalid(approdo.FieldError{Field: "lang", Message: "error.field.unknown_value"}))
		return
	}
	a := auth.ActorFrom(r.Context())
	if auth.Allowed(a, access.Update, auth.Target{Resource: access.Users, OwnerID: a.UserID()}) {
		err := h.DB.Write(r.Context(), func(tx *store.Tx) error {
			return store.SetUserLocale(r.Context(), tx, a.User.ID, l)
		})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		// The user's language is part of the actor signed-in requests carry.
		auth.AccessChanged()
	}
	http.SetCookie(w, NewCookie(LanguageCookie, l, 365*24*time.Hour, h.Secure(r)))
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}
