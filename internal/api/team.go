package api

import (
	"net/http"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
)

// memberJSON is a member of a case's team.
type memberJSON struct {
	UserID       int64  `json:"user_id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Role         string `json:"role"`
	AddedAt      string `json:"added_at"`
}

// teamJSON is a case's team.
type teamJSON struct {
	Items []memberJSON `json:"items"`
}

func teamView(v *casework.TeamView) teamJSON {
	out := teamJSON{Items: []memberJSON{}}
	for _, m := range v.Members {
		out.Items = append(out.Items, memberJSON{UserID: m.UserID, Name: m.Name, Organisation: m.Organisation, Role: string(m.Role),
			AddedAt: m.AddedAt.UTC().Format(time.RFC3339)})
	}
	return out
}

// getTeam returns the team of a case.
func (a *API) getTeam(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Team(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, teamView(v))
}

// teamChangeJSON is a change to a case's team.
type teamChangeJSON struct {
	UserID int64  `json:"user_id"`
	Role   string `json:"role"`
	Reason string `json:"reason"`
}

// changeTeam adds a member to a case's team, gives one another role, or,
// with an empty role, removes one, and returns the team.
func (a *API) changeTeam(w http.ResponseWriter, r *http.Request) {
	var body teamChangeJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.TeamChange{UserID: body.UserID, Role: cases.TeamRole(body.Role), Reason: body.Reason}
	if in.UserID <= 0 {
		in.Problems = append(in.Problems, approdo.FieldError{Field: "user_id", Message: "error.field.required"})
	}
	actor, client := auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())
	if err := a.Cases.ChangeTeam(r.Context(), actor, pathID(r), in, client); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.Team(r.Context(), actor, pathID(r), client)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, teamView(v))
}
