package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// updateReport saves a screener's correction of a report. Invalid input
// shows the form again with its problems; a correction made from an older
// version shows the form with what was saved meanwhile and the current
// version, keeping what was typed, so that saving again applies it.
func (h *Handler) updateReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	id := pathID(r, "id")
	form, in, problems := readReportForm(r)
	current, err := h.Cases.ReportForEdit(ctx, a, id, auth.ClientFrom(ctx))
	if err != nil {
		h.fail(w, r, err) // a report out of reach is not found before its input is judged
		return
	}
	form.Code, form.RecordedCall, form.ObservedWithheld = current.Report.Code, current.Report.ReporterUserID == 0, current.ObservedWithheld
	if len(problems) > 0 {
		form.Errors = h.formErrors(r, approdo.Invalid(problems...))
		h.renderReportForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	_, err = h.Cases.UpdateReport(ctx, a, id, in, auth.ClientFrom(ctx))
	switch {
	case err == nil:
		http.Redirect(w, r, reportPath(id)+"?saved", http.StatusSeeOther)
	case admin.IsStale(err):
		form.Version = current.Report.Version
		saved := reportFormOf(current)
		typed := form
		var changed []string
		for _, f := range []struct {
			name        string
			saved, form string
		}{
			{"received_at", saved.ReceivedAt, typed.ReceivedAt}, {"channel", saved.Channel, typed.Channel},
			{"urgency", saved.Urgency, typed.Urgency}, {"area_id", strconv.FormatInt(saved.AreaID, 10), strconv.FormatInt(typed.AreaID, 10)},
			{"addressed_org_id", strconv.FormatInt(saved.AddressedOrgID, 10), strconv.FormatInt(typed.AddressedOrgID, 10)},
			{"reporter", saved.Reporter, typed.Reporter}, {"subject", saved.Subject, typed.Subject},
			{"observed", saved.Observed, typed.Observed}, {"subject_person_id", saved.SubjectPerson, typed.SubjectPerson},
		} {
			if f.saved != f.form && !(f.name == "observed" && current.ObservedWithheld) {
				changed = append(changed, f.name)
			}
		}
		h.stale(r, &form.formState, changed, savedReportValue(h, r, current))
		h.renderReportForm(w, r, http.StatusConflict, form)
	case approdo.ErrorCode(err) == approdo.EINVALID || approdo.ErrorCode(err) == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderReportForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// savedReportValue writes a saved value of a report's field for a conflict
// note, in the reader's language.
func savedReportValue(h *Handler, r *http.Request, v *casework.ReportView) func(string) string {
	l := lang(r.Context())
	rep := v.Report
	return func(field string) string {
		switch field {
		case "received_at":
			return rep.ReceivedAt.In(approdo.Rome).Format("02/01/2006 15:04")
		case "channel":
			return h.Catalogue.T(l, "channel."+string(rep.Channel))
		case "urgency":
			return h.Catalogue.T(l, "urgency."+string(rep.Urgency))
		case "area_id":
			return v.Area.Name
		case "addressed_org_id":
			return v.Addressed.Name
		case "reporter":
			return rep.Reporter
		case "subject":
			return rep.Subject
		case "observed":
			return rep.Observed
		case "subject_person_id":
			if rep.SubjectPersonID == 0 {
				return ""
			}
			return strconv.FormatInt(rep.SubjectPersonID, 10)
		}
		return ""
	}
}
