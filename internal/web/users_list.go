package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/network"
)

// usersData is what the users' administration shows: the filters, as they
// stand in the URL, and the users who pass them.
type usersData struct {
	Query          string
	OrganisationID int64
	Role           string
	State          string
	Organisations  []network.Organisation
	RoleChoices    []roleChoice
	States         []admin.UserState
	Users          []userRow
	CanInvite      bool
}

// userRow is one line of the users table.
type userRow struct {
	admin.UserRecord
	Organisation *network.Organisation
	RoleLabels   []string
	// CanManage reports whether the actor may manage the user, and so
	// reset their second factor.
	CanManage bool
}

// listUsers shows the people who may sign in, with their organisation,
// roles and state, to administrators, filtered through the URL by name,
// organisation, role and state.
func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	q := r.URL.Query()
	data := usersData{Query: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), State: q.Get("state"),
		States: admin.UserStates, CanInvite: auth.Can(a, access.Create, access.Users)}
	data.OrganisationID, _ = strconv.ParseInt(q.Get("organisation"), 10, 64)
	users, err := h.Admin.Users(ctx, a, admin.UserFilter{Query: data.Query, OrganisationID: data.OrganisationID,
		Role: network.Role(data.Role), State: admin.UserState(data.State)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	labels, choices, err := h.roleLabels(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.RoleChoices = choices
	dir, err := h.readDirectory(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Organisations = dir.organisations
	for _, u := range users {
		row := userRow{UserRecord: u, Organisation: dir.orgByID[u.OrganisationID], CanManage: admin.MayManage(a, &u.User)}
		for _, code := range u.Roles {
			row.RoleLabels = append(row.RoleLabels, labels[code])
		}
		data.Users = append(data.Users, row)
	}
	h.render(w, r, http.StatusOK, "users", h.newPage(r, "users.title", data))
}
