package web

import (
	"net/http"
	"time"

	"approdo/internal/auth"
)

// newReport shows the form of a new report of concern, with the reporter's
// area, the usual channel of their organisation and the time now filled in.
func (h *Handler) newReport(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	c, err := h.Cases.ReportChoices(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderReportForm(w, r, http.StatusOK, reportForm{AreaID: c.DefaultAreaID, Channel: string(c.DefaultChannel),
		ReceivedAt: reportLocalTime(time.Now())})
}
