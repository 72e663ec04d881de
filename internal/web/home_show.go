package web

import (
	"net/http"
	"slices"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/network"
)

// homeData is what the home page shows: the actor's organisation and
// programmes, and one panel per role they hold.
type homeData struct {
	Organisation network.Organisation
	Area         *network.Area
	Programmes   []programmeView
	Panels       []network.Role
	// RoleLabels names the actor's roles, built-in or added by an
	// administrator.
	RoleLabels []string
	Counts     *networkCounts // for administrators
	// Stages counts the cases the actor may list, per stage; nil when they
	// may list none.
	Stages        []casework.StageCount
	CaseTotal     int
	CaseSummaries bool
	Notifications []store.Notification
	// Reports are the reports the actor filed and those waiting for their
	// service; nil when they neither file nor screen reports.
	Reports *homeReports
}

// casePanels are the roles whose home panel is the case counts themselves.
var casePanels = []network.Role{network.SocialWorker, network.PartnerOperator}

// networkCounts sums up the network for an administrator's home.
type networkCounts struct {
	Areas, Organisations, Programmes, Users int
}

// showHome shows the home page of the signed-in user's roles.
func (h *Handler) showHome(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	ctx := r.Context()
	data := homeData{Organisation: a.Organisation}
	labels, _, err := h.roleLabels(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, role := range a.User.Roles {
		data.RoleLabels = append(data.RoleLabels, labels[role])
		// Roles an administrator added have no panel of their own, the
		// case counts stand for the panels of case workers, and the list of
		// their reports for the reporter's.
		if role.Valid() && !slices.Contains(casePanels, role) && role != network.Reporter {
			data.Panels = append(data.Panels, role)
		}
	}
	if auth.Can(a, access.List, access.Cases) || auth.Can(a, access.List, access.CaseSummaries) {
		data.Stages, data.CaseSummaries, err = h.Cases.CountByStage(ctx, a)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, c := range data.Stages {
			data.CaseTotal += c.Count
		}
	}
	if data.Reports, err = h.homeReports(r); err != nil {
		h.fail(w, r, err)
		return
	}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if data.Notifications, err = store.ListNotifications(ctx, tx, a.User.ID, 10); err != nil {
			return err
		}
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		data.Area = dir.area(a.Organisation.AreaID)
		for _, p := range dir.programmes {
			if p.involves(a.Organisation.ID) {
				data.Programmes = append(data.Programmes, p)
			}
		}
		if a.User.Has(network.Administrator) {
			users, err := store.CountUsers(ctx, tx)
			if err != nil {
				return err
			}
			data.Counts = &networkCounts{Areas: len(dir.areas), Organisations: len(dir.organisations),
				Programmes: len(dir.programmes), Users: users}
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "home", h.newPage(r, "home.title", data))
}
