package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// editReport shows a report's form to one of the services that receive it,
// to correct it while it waits for a decision, with the version it was made
// from.
func (h *Handler) editReport(w http.ResponseWriter, r *http.Request) {
	v, err := h.Cases.ReportForEdit(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderReportForm(w, r, http.StatusOK, reportFormOf(v))
}

// reportFormOf fills the form of an existing report.
func reportFormOf(v *casework.ReportView) reportForm {
	rep := v.Report
	f := reportForm{ID: rep.ID, Code: rep.Code, Version: rep.Version, RecordedCall: rep.ReporterUserID == 0,
		Reporter: rep.Reporter, Subject: rep.Subject, Observed: rep.Observed, ReceivedAt: reportLocalTime(rep.ReceivedAt),
		Channel: string(rep.Channel), Urgency: string(rep.Urgency), AreaID: rep.AreaID, AddressedOrgID: rep.AddressedOrgID,
		ObservedWithheld: v.ObservedWithheld}
	if rep.SubjectPersonID != 0 {
		f.SubjectPerson = strconv.FormatInt(rep.SubjectPersonID, 10)
	}
	return f
}
