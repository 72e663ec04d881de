package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/network"
)

// adminOrganisationsData is what the organisations' administration shows:
// what the directory's list shows (the filters, as they stand in the URL,
// and the organisations that pass them), and whether the actor may add one.
type adminOrganisationsData struct {
	organisationsData
	CanAdd bool
}

// listAdminOrganisations lists the organisations an administrator may edit,
// filtered by name or code, kind and area.
func (h *Handler) listAdminOrganisations(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	q := r.URL.Query()
	data := adminOrganisationsData{CanAdd: auth.Can(a, access.Create, access.Organisations),
		organisationsData: organisationsData{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Kinds: network.Kinds}}
	data.AreaID, _ = strconv.ParseInt(q.Get("area"), 10, 64)
	orgs, err := h.Admin.Organisations(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	dir, err := h.readDirectory(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Areas, data.Total = dir.areas, len(orgs)
	needle := strings.ToLower(data.Query)
	for _, o := range orgs {
		if data.Kind != "" && string(o.Kind) != data.Kind || data.AreaID != 0 && o.AreaID != data.AreaID ||
			needle != "" && !strings.Contains(strings.ToLower(o.Name), needle) && !strings.Contains(strings.ToLower(o.Code), needle) {
			continue
		}
		data.Organisations = append(data.Organisations, organisationRow{Organisation: o, Area: dir.area(o.AreaID)})
	}
	h.render(w, r, http.StatusOK, "admin_organisations", h.newPage(r, "admin.organisations.title", data))
}
