package web

import (
	"net/http"
	"strings"

	"approdo/access"
	"approdo/internal/auth"
)

// adminProgrammesData is what the programmes' administration shows: the
// filter, as it stands in the URL, and the programmes that pass it.
type adminProgrammesData struct {
	Query      string
	Programmes []programmeView
	Total      int
	CanAdd     bool
}

// listAdminProgrammes lists the programmes an administrator may edit, with
// their period, lead entity and budget, filtered by name, code or funder.
func (h *Handler) listAdminProgrammes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	data := adminProgrammesData{Query: strings.TrimSpace(r.URL.Query().Get("q")), CanAdd: auth.Can(a, access.Create, access.Programmes)}
	ps, err := h.Admin.Programmes(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	dir, err := h.readDirectory(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Total = len(ps)
	needle := strings.ToLower(data.Query)
	for _, p := range ps {
		if needle != "" && !strings.Contains(strings.ToLower(p.Name+" "+p.Code+" "+p.Funder), needle) {
			continue
		}
		data.Programmes = append(data.Programmes, programmeView{Programme: p, Lead: dir.orgByID[p.LeadOrgID]})
	}
	h.render(w, r, http.StatusOK, "admin_programmes", h.newPage(r, "admin.programmes.title", data))
}
