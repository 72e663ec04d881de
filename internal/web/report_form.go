package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// reportForm is the form of a new report, or of a screener's correction of
// one, as typed.
type reportForm struct {
	formState
	ID             int64 // 0 for a new report
	Code           string
	Version        int
	RecordedCall   bool
	Reporter       string
	Subject        string
	Observed       string
	ReceivedAt     string // as a datetime-local field sends it, in Rome time
	Channel        string
	Urgency        string
	AreaID         int64
	AddressedOrgID int64
	SubjectPerson  string
	// ObservedWithheld says that the editor may not see what was observed,
	// which is then kept as it was.
	ObservedWithheld bool
	Choices          *casework.ReportChoices
	Channels         []cases.Channel
	Urgencies        []cases.Urgency
	Limits           reportLimits
}

// reportLimits are the longest texts a report takes, for maxlength.
type reportLimits struct{ Reporter, Subject, Observed int }

// FieldError returns the message of the named field, or "".
func (f reportForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// reportTimeLayout is how a datetime-local field writes a time.
const reportTimeLayout = "2006-01-02T15:04"

// reportLocalTime writes t in Rome time for a datetime-local field.
func reportLocalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(approdo.Rome).Format(reportTimeLayout)
}

// parseReportTime reads a datetime-local value in Rome time. An empty value
// is the zero time; a malformed one adds a problem on field.
func parseReportTime(s, field string, problems *[]approdo.FieldError) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(reportTimeLayout, s, approdo.Rome)
	if err != nil {
		if t, err = time.ParseInLocation("2006-01-02T15:04:05", s, approdo.Rome); err != nil {
			*problems = append(*problems, approdo.FieldError{Field: field, Message: "error.field.datetime"})
		}
	}
	return t
}

// readReportForm reads the posted report form into the form, to show again,
// and into the input of the service, with the problems of values that are
// not even of the right shape.
func readReportForm(r *http.Request) (reportForm, casework.ReportInput, []approdo.FieldError) {
	var problems []approdo.FieldError
	f := reportForm{ID: pathID(r, "id"), Version: formVersion(r), RecordedCall: r.PostFormValue("recorded_call") != "",
		Reporter: r.PostFormValue("reporter"), Subject: r.PostFormValue("subject"), Observed: r.PostFormValue("observed"),
		ReceivedAt: r.PostFormValue("received_at"), Channel: r.PostFormValue("channel"), Urgency: r.PostFormValue("urgency"),
		AreaID: formID(r, "area_id"), AddressedOrgID: formID(r, "addressed_org_id"), SubjectPerson: r.PostFormValue("subject_person_id")}
	in := casework.ReportInput{RecordedCall: f.RecordedCall, Reporter: f.Reporter, Subject: f.Subject, Observed: f.Observed,
		ReceivedAt: parseReportTime(f.ReceivedAt, "received_at", &problems), Channel: cases.Channel(f.Channel),
		Urgency: cases.Urgency(f.Urgency), AreaID: f.AreaID, AddressedOrgID: f.AddressedOrgID,
		SubjectPersonID: parseID(f.SubjectPerson), Version: f.Version}
	return f, in, problems
}

// withChoices adds what the report form offers to f.
func (h *Handler) withChoices(r *http.Request, f *reportForm) error {
	c, err := h.Cases.ReportChoices(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	f.Choices, f.Channels, f.Urgencies = c, cases.Channels, cases.Urgencies
	f.Limits = reportLimits{Reporter: cases.MaxReporterLength, Subject: cases.MaxSubjectLength, Observed: cases.MaxObservedLength}
	return nil
}

// renderReportForm shows the report form with status.
func (h *Handler) renderReportForm(w http.ResponseWriter, r *http.Request, status int, f reportForm) {
	if err := h.withChoices(r, &f); err != nil {
		h.fail(w, r, err)
		return
	}
	title := "reports.new"
	if f.ID != 0 {
		title = "reports.edit"
	}
	h.render(w, r, status, "report_form", h.newPage(r, title, f))
}

// reportPath is the page of report id.
func reportPath(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) }

// urgencyClass is the badge class of an urgency: the colours of risk, with
// the urgency always written out beside them.
func urgencyClass(u cases.Urgency) string {
	switch u {
	case cases.Immediate:
		return "risk-critical"
	case cases.Urgent:
		return "risk-high"
	case cases.Soon:
		return "risk-medium"
	}
	return "risk-low"
}
