package api

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// meJSON is the signed-in user with their organisation.
type meJSON struct {
	User         userJSON         `json:"user"`
	Organisation organisationJSON `json:"organisation"`
}

// getMe returns the signed-in user.
func (a *API) getMe(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	respond.JSON(w, http.StatusOK, meJSON{User: userView(actor.User), Organisation: organisationView(actor.Organisation)})
}

// listAreas returns the territorial areas of the network the caller may
// read.
func (a *API) listAreas(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	var out []areaJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		areas, err := store.ListAreas(ctx, tx)
		for _, x := range areas {
			if auth.Allowed(actor, access.Read, auth.DirectoryArea(x.ID)) {
				out = append(out, areaView(x))
			}
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// listOrganisations returns the organisations of the network the caller may
// read.
func (a *API) listOrganisations(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	var out []organisationJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		orgs, err := store.ListOrganisations(ctx, tx)
		for _, o := range orgs {
			if auth.Allowed(actor, access.Read, auth.DirectoryOrganisation(&o)) {
				out = append(out, organisationView(o))
			}
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// getOrganisation returns one organisation.
func (a *API) getOrganisation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var out organisationJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		o, err := store.FindOrganisation(ctx, tx, pathID(r))
		if err != nil {
			return err
		}
		if !auth.Allowed(auth.ActorFrom(ctx), access.Read, auth.DirectoryOrganisation(o)) {
			return errNotFound()
		}
		out = organisationView(*o)
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, out)
}

// listProgrammes returns the programmes of the network the caller may read.
func (a *API) listProgrammes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	var out []programmeJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ps, err := store.ListProgrammes(ctx, tx)
		for _, p := range ps {
			if auth.SeesProgramme(actor, &p) {
				out = append(out, programmeView(p))
			}
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}
