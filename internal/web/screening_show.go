package web

import (
	"net/http"

	"approdo/internal/auth"
)

// showScreening shows the screening of a report to the services that
// receive it: the report, the active checklists with the answers so far,
// and the decision; once decided, the screening as it was recorded.
func (h *Handler) showScreening(w http.ResponseWriter, r *http.Request) {
	p, err := h.Cases.ScreeningForm(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := screeningForm{ScreeningPage: p, CaseStage: "taken_charge", Saved: r.URL.Query().Has("saved")}
	f.fillFromScreening(p.Report.Screening)
	h.renderScreening(w, r, http.StatusOK, f)
}
