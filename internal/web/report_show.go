package web

import (
	"net/http"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// reportData is what a report's page shows.
type reportData struct {
	*casework.ReportView
	Filed, Saved bool
	// Sets are the checklists, to name the indicators a screening found.
	Sets []cases.IndicatorSet
}

// UrgencyClass is the badge class of the report's urgency.
func (d reportData) UrgencyClass() string { return urgencyClass(d.Report.Urgency) }

// showReport shows a report: to its author, what they wrote and the
// outcome; to the services that receive it, everything they may see, with
// the screening and the case opened from it. Every view is recorded in the
// audit log; a report out of reach is not found.
func (h *Handler) showReport(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	v, err := h.Cases.OpenReport(r.Context(), a, pathID(r, "id"), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := reportData{ReportView: v, Filed: r.URL.Query().Has("filed"), Saved: r.URL.Query().Has("saved")}
	if v.Screening != nil {
		if data.Sets, err = h.Cases.IndicatorSets(r.Context(), a); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "report", h.newPage(r, "reports.report_title", data))
}
