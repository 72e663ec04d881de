package web

import (
	"net/http"
	"net/url"

	"approdo"
	"approdo/internal/auth"
	"approdo/network"
)

// deleteRole removes a role an administrator added that nobody holds, from
// the version its page showed, and goes back to the list of roles.
func (h *Handler) deleteRole(w http.ResponseWriter, r *http.Request) {
	code := network.Role(r.PathValue("code"))
	err := h.Admin.DeleteRole(r.Context(), auth.ActorFrom(r.Context()), code, formVersion(r))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/admin/roles?deleted="+url.QueryEscape(string(code)), http.StatusSeeOther)
	case approdo.EINVALID, approdo.ECONFLICT:
		key, args := approdo.ErrorMessage(err)
		h.renderRole(w, r, formStatus(err), h.Catalogue.T(lang(r.Context()), key, args...))
	default:
		h.fail(w, r, err)
	}
}
