package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
)

// homeReports is the home page's part about reports: the newest reports the
// actor filed, with their outcomes, and how many reports wait for the
// actor's service to screen them.
type homeReports struct {
	Mine      []reportRow
	MineTotal int
	CanCreate bool
	// Waiting counts the reports the actor may screen that wait for a
	// decision; Screens says whether they screen any at all.
	Waiting int
	Screens bool
}

// homeReportsShown is how many of their own reports the home page lists.
const homeReportsShown = 5

// homeReports reads the home page's part about reports, or nil when the
// actor neither files nor screens reports.
func (h *Handler) homeReports(r *http.Request) (*homeReports, error) {
	a := auth.ActorFrom(r.Context())
	out := &homeReports{CanCreate: auth.Can(a, access.Create, access.Reports), Screens: auth.Can(a, access.Update, access.Reports)}
	if !out.CanCreate && !out.Screens {
		return nil, nil
	}
	if out.CanCreate {
		rows, total, err := h.Cases.MyReports(r.Context(), a, homeReportsShown)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			out.Mine = append(out.Mine, reportRow{row})
		}
		out.MineTotal = total
	}
	if out.Screens {
		n, err := h.Cases.ReportsWaiting(r.Context(), a)
		if err != nil {
			return nil, err
		}
		out.Waiting = n
	}
	return out, nil
}
