package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// adminAreaData is what an area's page shows: the area, and the
// organisations and programmes that work in it.
type adminAreaData struct {
	Area          *network.Area
	Organisations []network.Organisation
	Programmes    []programmeView
	Saved         bool
}

// showArea shows one area to an administrator who may edit it.
func (h *Handler) showArea(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	area, err := h.Admin.Area(ctx, auth.ActorFrom(ctx), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := adminAreaData{Area: area, Saved: r.URL.Query().Has("saved")}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		for _, o := range dir.organisations {
			if o.AreaID == area.ID {
				data.Organisations = append(data.Organisations, o)
			}
		}
		for _, p := range dir.programmes {
			for _, id := range p.AreaIDs {
				if id == area.ID {
					data.Programmes = append(data.Programmes, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "admin_area", h.newPage(r, "admin.areas.show", data))
}
