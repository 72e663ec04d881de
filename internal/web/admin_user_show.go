package web

import (
	"net/http"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// adminUserData is what a user's page shows: the user, their organisation,
// areas and roles by name, and what the actor may do with them.
type adminUserData struct {
	User         *admin.UserRecord
	Organisation *network.Organisation
	Areas        []*network.Area
	RoleLabels   []string
	CanManage    bool
	Saved        bool
	// Notice is a problem with the last action on this page, translated.
	Notice string
}

// showUser shows one user to an administrator.
func (h *Handler) showUser(w http.ResponseWriter, r *http.Request) {
	h.renderUser(w, r, http.StatusOK, pathID(r, "id"), "")
}

// renderUser shows the page of user id with status and, when not empty, a
// notice of what went wrong.
func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, status int, id int64, notice string) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	u, err := h.Admin.User(ctx, a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := adminUserData{User: u, CanManage: admin.MayManage(a, &u.User), Saved: r.URL.Query().Has("saved"), Notice: notice}
	labels, _, err := h.roleLabels(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, code := range u.Roles {
		data.RoleLabels = append(data.RoleLabels, labels[code])
	}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		data.Organisation = dir.orgByID[u.OrganisationID]
		for _, id := range u.AreaIDs {
			data.Areas = append(data.Areas, dir.area(id))
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "admin_user", h.newPage(r, "admin.users.show", data))
}

// userActionFailed shows the user's page again after an action on it
// failed for a reason the administrator can act on, and any other error as
// an error page.
func (h *Handler) userActionFailed(w http.ResponseWriter, r *http.Request, id int64, err error) {
	switch approdo.ErrorCode(err) {
	case approdo.EINVALID, approdo.ECONFLICT:
		key, args := approdo.ErrorMessage(err)
		h.renderUser(w, r, formStatus(err), id, h.Catalogue.T(lang(r.Context()), key, args...))
	default:
		h.fail(w, r, err)
	}
}
