package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
)

// secondFactorPath is the page where a user sets up their second factor.
const secondFactorPath = "/account/second-factor"

// accountSecurityData is what the account security page shows.
type accountSecurityData struct {
	SecondFactor        *auth.SecondFactorStatus
	CanChangePassword   bool
	CanLogoutEverywhere bool
}

// showAccountSecurity shows the signed-in user how their account is
// protected: their password, their second factor, and signing out on every
// device.
func (h *Handler) showAccountSecurity(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	st, err := h.Sessions.SecondFactorStatus(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := accountSecurityData{
		SecondFactor:        st,
		CanChangePassword:   auth.Allowed(a, access.Update, auth.Target{Resource: access.Users, OwnerID: a.User.ID, OrgID: a.Organisation.ID}),
		CanLogoutEverywhere: auth.Can(a, access.Manage, access.Sessions),
	}
	h.render(w, r, http.StatusOK, "account_security", h.newPage(r, "security.account.title", data))
}
