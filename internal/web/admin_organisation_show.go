package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// adminOrganisationData is what an organisation's page shows: the
// organisation, its area, the programmes it leads or joins and its users.
type adminOrganisationData struct {
	Organisation *network.Organisation
	Area         *network.Area
	Programmes   []programmeView
	Users        int
	Saved        bool
}

// showOrganisation shows one organisation to an administrator who may edit
// it.
func (h *Handler) showOrganisation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := h.Admin.Organisation(ctx, auth.ActorFrom(ctx), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := adminOrganisationData{Organisation: o, Saved: r.URL.Query().Has("saved")}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		data.Area = dir.area(o.AreaID)
		for _, p := range dir.programmes {
			if p.involves(o.ID) {
				data.Programmes = append(data.Programmes, p)
			}
		}
		users, err := store.ListUsers(ctx, tx)
		for _, u := range users {
			if u.OrganisationID == o.ID {
				data.Users++
			}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "admin_organisation", h.newPage(r, "admin.organisations.show", data))
}
