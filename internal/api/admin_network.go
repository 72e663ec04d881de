package api

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// The administration of areas, organisations and programmes. Reads of one
// record are the directory's; writes go through the administration service,
// which checks, stores and audits them. A body has the shape of the record
// as the API shows it. Every update names the version it was made from and
// answers 409 when the record moved on.

// getArea returns one area.
func (a *API) getArea(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var out areaJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		x, err := store.FindArea(ctx, tx, pathID(r))
		if err != nil {
			return err
		}
		if !auth.Allowed(auth.ActorFrom(ctx), access.Read, auth.DirectoryArea(x.ID)) {
			return errNotFound()
		}
		out = areaView(*x)
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, out)
}

// createArea creates an area.
func (a *API) createArea(w http.ResponseWriter, r *http.Request) {
	var in areaJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	x := in.area(0)
	if err := a.Admin.CreateArea(r.Context(), auth.ActorFrom(r.Context()), x); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, areaView(*x))
}

// updateArea updates an area from the version the body names.
func (a *API) updateArea(w http.ResponseWriter, r *http.Request) {
	var in areaJSON
	if err := a.decodeFor(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	x := in.area(pathID(r))
	if err := a.Admin.UpdateArea(r.Context(), auth.ActorFrom(r.Context()), x); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, areaView(*x))
}

// createOrganisation creates an organisation.
func (a *API) createOrganisation(w http.ResponseWriter, r *http.Request) {
	var in organisationJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	o := in.organisation(0)
	if err := a.Admin.CreateOrganisation(r.Context(), auth.ActorFrom(r.Context()), o); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, organisationView(*o))
}

// updateOrganisation updates an organisation from the version the body
// names.
func (a *API) updateOrganisation(w http.ResponseWriter, r *http.Request) {
	var in organisationJSON
	if err := a.decodeFor(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	o := in.organisation(pathID(r))
	if err := a.Admin.UpdateOrganisation(r.Context(), auth.ActorFrom(r.Context()), o); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, organisationView(*o))
}

// getProgramme returns one programme with its budget.
func (a *API) getProgramme(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var out programmeJSON
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		p, err := store.FindProgramme(ctx, tx, pathID(r))
		if err != nil {
			return err
		}
		if !auth.SeesProgramme(auth.ActorFrom(ctx), p) {
			return errNotFound()
		}
		out = programmeView(*p)
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, out)
}

// createProgramme creates a programme with its budget.
func (a *API) createProgramme(w http.ResponseWriter, r *http.Request) {
	var in programmeJSON
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := in.programme(0)
	if err == nil {
		err = a.Admin.CreateProgramme(r.Context(), auth.ActorFrom(r.Context()), p)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, programmeView(*p))
}

// updateProgramme updates a programme and its budget from the version the
// body names.
func (a *API) updateProgramme(w http.ResponseWriter, r *http.Request) {
	var in programmeJSON
	if err := a.decodeFor(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	actor := auth.ActorFrom(ctx)
	p, err := in.programme(pathID(r))
	if err != nil {
		// A malformed date is judged only on a programme the caller may
		// edit: one that does not exist, or is out of reach, is not found.
		if _, ferr := a.Admin.Programme(ctx, actor, pathID(r)); ferr != nil {
			err = ferr
		}
	} else {
		err = a.Admin.UpdateProgramme(ctx, actor, p)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, programmeView(*p))
}
