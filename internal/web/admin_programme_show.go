package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// adminProgrammeData is what a programme's page shows: the programme with
// its organisations and areas resolved, and its budget.
type adminProgrammeData struct {
	programmeView
	Lines []budgetLineView
	Total int64
	Saved bool
}

// budgetLineView is a budget line with its organisation resolved.
type budgetLineView struct {
	network.BudgetLine
	Organisation *network.Organisation
}

// showProgramme shows one programme and its budget to an administrator who
// may edit it.
func (h *Handler) showProgramme(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.Admin.Programme(ctx, auth.ActorFrom(ctx), pathID(r, "id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := adminProgrammeData{Saved: r.URL.Query().Has("saved"), Total: p.BudgetCents()}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		data.programmeView = programmeView{Programme: *p, Lead: dir.orgByID[p.LeadOrgID]}
		for _, id := range p.PartnerIDs {
			data.Partners = append(data.Partners, dir.orgByID[id])
		}
		for _, id := range p.AreaIDs {
			data.Areas = append(data.Areas, dir.area(id))
		}
		for _, l := range p.BudgetLines {
			data.Lines = append(data.Lines, budgetLineView{BudgetLine: l, Organisation: dir.orgByID[l.OrganisationID]})
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "admin_programme", h.newPage(r, "admin.programmes.show", data))
}
