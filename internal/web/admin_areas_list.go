package web

import (
	"net/http"
	"slices"
	"strings"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/network"
)

// adminAreasData is what the areas' administration shows: the filters, as
// they stand in the URL, and the areas that pass them.
type adminAreasData struct {
	Query   string
	Region  string
	Regions []string
	Areas   []network.Area
	Total   int
	CanAdd  bool
}

// listAdminAreas lists the territorial areas an administrator may edit,
// filtered by name or code and by region.
func (h *Handler) listAdminAreas(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	q := r.URL.Query()
	data := adminAreasData{Query: strings.TrimSpace(q.Get("q")), Region: q.Get("region"), CanAdd: auth.Can(a, access.Create, access.Areas)}
	areas, err := h.Admin.Areas(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Total = len(areas)
	needle := strings.ToLower(data.Query)
	for _, x := range areas {
		if !slices.Contains(data.Regions, x.Region) {
			data.Regions = append(data.Regions, x.Region)
		}
		if data.Region != "" && x.Region != data.Region ||
			needle != "" && !strings.Contains(strings.ToLower(x.Name), needle) && !strings.Contains(strings.ToLower(x.Code), needle) {
			continue
		}
		data.Areas = append(data.Areas, x)
	}
	slices.Sort(data.Regions)
	h.render(w, r, http.StatusOK, "admin_areas", h.newPage(r, "admin.areas.title", data))
}
