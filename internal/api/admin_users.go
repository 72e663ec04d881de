package api

import (
	"net/http"
	"strconv"
	"time"

	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/network"
)

// adminUserJSON is a user as administrators see them: the user, where they
// stand, and until when their invitation works (schema AdminUser). It is
// also the body that invites a user or updates one (schema UserInput): on
// an update the username is ignored, as it never changes, and so are id,
// state, active and invitation_expires_at, which have their own operations.
type adminUserJSON struct {
	userJSON
	State             string  `json:"state"`
	InvitationExpires *string `json:"invitation_expires_at"`
}

func adminUserView(u admin.UserRecord) adminUserJSON {
	v := adminUserJSON{userJSON: userView(u.User), State: string(u.State)}
	if !u.InvitationExpires.IsZero() {
		s := u.InvitationExpires.UTC().Format(time.RFC3339)
		v.InvitationExpires = &s
	}
	return v
}

// invitationJSON is an invitation link, shown once.
type invitationJSON struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}

// invitedJSON answers the creation of a user, or a new invitation: the user
// and the link to hand over, which is never shown again.
type invitedJSON struct {
	User       adminUserJSON  `json:"user"`
	Invitation invitationJSON `json:"invitation"`
}

// versionInput is the body of an action on a record that names the version
// it was taken from.
type versionInput struct {
	Version int `json:"version"`
}

// listUsers returns the users the caller may list, filtered by the query's
// q (name, username or e-mail address), organisation, role and state.
func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := admin.UserFilter{Query: q.Get("q"), Role: network.Role(q.Get("role")), State: admin.UserState(q.Get("state"))}
	f.OrganisationID, _ = strconv.ParseInt(q.Get("organisation"), 10, 64)
	users, err := a.Admin.Users(r.Context(), auth.ActorFrom(r.Context()), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]adminUserJSON, 0, len(users))
	for _, u := range users {
		out = append(out, adminUserView(u))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// getUser returns one user.
func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.Admin.User(r.Context(), auth.ActorFrom(r.Context()), pathID(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, adminUserView(*u))
}

// inviteUser creates a user and an invitation by which they choose their
// password, and returns the link to hand over.
func (a *API) inviteUser(w http.ResponseWriter, r *http.Request) {
	var in adminUserJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	inv, err := a.Admin.InviteUser(ctx, actor, in.user(0))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.invited(w, r, actor, inv)
}

// invited answers with the invited user and their link.
func (a *API) invited(w http.ResponseWriter, r *http.Request, actor *auth.Actor, inv *admin.Invitation) {
	u, err := a.Admin.User(r.Context(), actor, inv.UserID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	scheme := "http"
	if a.Secure != nil && a.Secure(r) {
		scheme = "https"
	}
	respond.JSON(w, http.StatusCreated, invitedJSON{User: adminUserView(*u), Invitation: invitationJSON{
		URL: scheme + "://" + r.Host + inv.Path(), ExpiresAt: inv.ExpiresAt.UTC().Format(time.RFC3339)}})
}

// updateUser updates a user's profile, organisation, areas and roles from
// the version the body names.
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) {
	var in adminUserJSON
	if err := a.decodeFor(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	u := in.user(pathID(r))
	if err := a.Admin.UpdateUser(ctx, actor, u); err != nil {
		a.fail(w, r, err)
		return
	}
	a.getUser(w, r)
}

// deactivateUser deactivates a user, ending their sessions.
func (a *API) deactivateUser(w http.ResponseWriter, r *http.Request) { a.setUserActive(w, r, false) }

// reactivateUser lets a deactivated user sign in again.
func (a *API) reactivateUser(w http.ResponseWriter, r *http.Request) { a.setUserActive(w, r, true) }

// setUserActive deactivates or reactivates the user of the path from the
// version the body names.
func (a *API) setUserActive(w http.ResponseWriter, r *http.Request, active bool) {
	var in versionInput
	if err := a.decodeFor(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := a.Admin.SetUserActive(r.Context(), auth.ActorFrom(r.Context()), pathID(r), in.Version, active)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, adminUserView(*u))
}

// reinviteUser issues a new invitation link to a user; earlier links stop
// working.
func (a *API) reinviteUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	inv, err := a.Admin.ReinviteUser(ctx, actor, pathID(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.invited(w, r, actor, inv)
}
