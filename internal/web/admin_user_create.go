package web

import (
	"net/http"
	"time"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/network"
)

// invitedData is what the page after an invitation shows: whom it is for
// and the link to hand over, shown this once.
type invitedData struct {
	User    *network.User
	Link    string
	Expires time.Time
	New     bool // the user was just created, rather than invited again
}

// createUser creates a user from the form and shows the invitation link to
// hand over, or shows the form again with its problems and everything
// typed. The page with the link is the answer to the post itself, since the
// link is never stored and cannot be shown again.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	form, u := readUserForm(r, 0)
	inv, err := h.Admin.InviteUser(r.Context(), auth.ActorFrom(r.Context()), u)
	switch approdo.ErrorCode(err) {
	case "":
		h.renderInvited(w, r, u, inv, true)
	case approdo.EINVALID, approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderUserForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// renderInvited shows the invitation link of user u.
func (h *Handler) renderInvited(w http.ResponseWriter, r *http.Request, u *network.User, inv *admin.Invitation, isNew bool) {
	scheme := "http"
	if h.Secure(r) {
		scheme = "https"
	}
	data := invitedData{User: u, Link: scheme + "://" + r.Host + inv.Path(), Expires: inv.ExpiresAt, New: isNew}
	h.render(w, r, http.StatusOK, "admin_user_invited", h.newPage(r, "admin.users.invited", data))
}
