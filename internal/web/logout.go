package web

import (
	"net/http"

	"approdo/internal/auth"
)

// logout ends the current session, audited, and shows the sign-in page. A
// sign-in half done is dropped too.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	secure := h.Secure(r)
	if a := auth.ActorFrom(r.Context()); a != nil {
		if err := h.Sessions.SignOut(r.Context(), a, auth.ClientFrom(r.Context())); err != nil {
			h.fail(w, r, err)
			return
		}
	} else if c, err := r.Cookie(SessionCookie); err == nil {
		if err := h.Sessions.Logout(r.Context(), c.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if _, err := r.Cookie(PendingLoginCookie); err == nil {
		http.SetCookie(w, ExpiredCookie(PendingLoginCookie, secure))
	}
	http.SetCookie(w, ExpiredCookie(SessionCookie, secure))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// logoutEverywhere ends every session of the signed-in user, on every device,
// audited.
func (h *Handler) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	if err := h.Sessions.LogoutEverywhere(r.Context(), a.User.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, ExpiredCookie(SessionCookie, h.Secure(r)))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
