package web

import (
	"net/http"
	"net/url"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// teamData is what the page of a case's team shows: its members, and to
// whoever manages the case the forms that change it.
type teamData struct {
	*casework.TeamView
	Errors []formError
	// Form is what was typed in the refused form, and Form.Get("user_id")
	// tells which member's form it was ("" for the form that adds one).
	Form   url.Values
	Adding bool
	Saved  bool
}

// Roles lists the roles a member may be given: every role but owner.
func (teamData) Roles() []cases.TeamRole { return cases.TeamRoles[1:] }

// FieldError returns the message of field name of the form of member
// user ("" for the form that adds one), or "".
func (d teamData) FieldError(user, name string) string {
	if d.Errors == nil || d.Form.Get("form") != user {
		return ""
	}
	return fieldError(d.Errors, teamFieldID(user, name))
}

// Typed returns what was typed in field name of the form of member user,
// once refused.
func (d teamData) Typed(user, name string) string {
	if d.Form.Get("form") != user {
		return ""
	}
	return d.Form.Get(name)
}

// teamFieldID is the id of field name in the form of member user ("" for
// the form that adds one).
func teamFieldID(user, name string) string {
	if user == "" {
		return "team-new-" + name
	}
	return "team-" + user + "-" + name
}

// showTeam shows the team of a case.
func (h *Handler) showTeam(w http.ResponseWriter, r *http.Request) {
	h.renderTeam(w, r, http.StatusOK, teamData{Saved: r.URL.Query().Has("saved")})
}

// renderTeam loads the team of the case in the path and shows its page with
// status.
func (h *Handler) renderTeam(w http.ResponseWriter, r *http.Request, status int, d teamData) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	v, err := h.Cases.Team(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.TeamView = v
	h.render(w, r, status, "team", h.newPage(r, "team.title", d))
}
