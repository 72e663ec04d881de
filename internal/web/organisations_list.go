package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// organisationsData is what the organisations page shows: the filters, as
// they stand in the URL, and the organisations that pass them.
type organisationsData struct {
	Query         string
	Kind          string
	AreaID        int64
	Kinds         []network.Kind
	Areas         []network.Area
	Organisations []organisationRow
	Total         int
}

// organisationRow is one line of the organisations table.
type organisationRow struct {
	network.Organisation
	Area       *network.Area
	Programmes []string
}

// listOrganisations shows the organisations of the network, filtered by
// name, kind and area through the URL so that a list can be bookmarked.
func (h *Handler) listOrganisations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := organisationsData{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Kinds: network.Kinds}
	data.AreaID, _ = strconv.ParseInt(q.Get("area"), 10, 64)
	if !network.Kind(data.Kind).Valid() {
		data.Kind = ""
	}
	ctx := r.Context()
	err := h.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		dir := all.readableBy(auth.ActorFrom(ctx))
		data.Areas = dir.areas
		data.Total = len(dir.organisations)
		needle := strings.ToLower(data.Query)
		for _, o := range dir.organisations {
			if data.Kind != "" && string(o.Kind) != data.Kind ||
				data.AreaID != 0 && o.AreaID != data.AreaID ||
				needle != "" && !strings.Contains(strings.ToLower(o.Name), needle) {
				continue
			}
			row := organisationRow{Organisation: o, Area: dir.area(o.AreaID)}
			for _, p := range dir.programmes {
				if p.involves(o.ID) {
					row.Programmes = append(row.Programmes, p.Name)
				}
			}
			data.Organisations = append(data.Organisations, row)
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "organisations", h.newPage(r, "organisations.title", data))
}
