package web

import (
	"net/http"
	"strings"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/projects"
)

// adminInterventionsData is what the catalogue of interventions shows: the
// filter, as it stands in the URL, and the entries that pass it.
type adminInterventionsData struct {
	Query string
	// Status is "active", "retired" or "" for every entry.
	Status        string
	Interventions []projects.Intervention
	Total         int
	Saved         bool
	CanAdd        bool
}

// listAdminInterventions shows the catalogue of interventions, offered and
// retired, with their case kinds and caps, filtered by name or code and by
// status.
func (h *Handler) listAdminInterventions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	q := r.URL.Query()
	data := adminInterventionsData{Query: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Saved: q.Has("saved"),
		CanAdd: auth.Can(a, access.Create, access.Interventions)}
	if data.Status != "active" && data.Status != "retired" {
		data.Status = ""
	}
	all, err := h.Cases.Interventions(ctx, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Total = len(all)
	needle := strings.ToLower(data.Query)
	for _, i := range all {
		if needle != "" && !strings.Contains(strings.ToLower(i.Code+" "+i.NameIT+" "+i.NameEN), needle) {
			continue
		}
		if data.Status == "active" && !i.Active || data.Status == "retired" && i.Active {
			continue
		}
		data.Interventions = append(data.Interventions, i)
	}
	h.render(w, r, http.StatusOK, "admin_interventions", h.newPage(r, "interventions.title", data))
}
