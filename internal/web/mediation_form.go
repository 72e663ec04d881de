package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/casework"
	"approdo/mediation"
)

// mediationFieldPrefix prefixes the ids of the fields of the form that asks
// for a mediator, which shares the case page with other sections' forms.
const mediationFieldPrefix = "mediation-"

// mediationForm is the form that asks for a mediator, as the user filled
// it in.
type mediationForm struct {
	Language        string
	Purpose         string
	Date            string
	StartTime       string
	DurationMinutes string
	Remote          bool
	Place           string
	Notes           string
	MediatorGender  string
}

// newMediationForm is the empty form: an hour-long interview.
func newMediationForm() mediationForm {
	return mediationForm{Purpose: string(mediation.Interview), DurationMinutes: "60"}
}

// readMediationForm reads the form that asks for a mediator.
func readMediationForm(r *http.Request) mediationForm {
	return mediationForm{Language: r.PostFormValue("language"), Purpose: r.PostFormValue("purpose"),
		Date: r.PostFormValue("date"), StartTime: r.PostFormValue("start_time"),
		DurationMinutes: strings.TrimSpace(r.PostFormValue("duration_minutes")), Remote: r.PostFormValue("remote") != "",
		Place: r.PostFormValue("place"), Notes: r.PostFormValue("notes"), MediatorGender: r.PostFormValue("mediator_gender")}
}

// request turns the form into what the service takes. A duration that is
// not a number is sent as none, which the service refuses naming the
// field.
func (f mediationForm) request() mediation.Request {
	minutes, _ := strconv.Atoi(f.DurationMinutes)
	return mediation.Request{Language: f.Language, Purpose: mediation.Purpose(f.Purpose), Date: f.Date,
		StartTime: f.StartTime, DurationMinutes: minutes, Remote: f.Remote, Place: f.Place, Notes: f.Notes,
		MediatorGender: mediation.Gender(f.MediatorGender)}
}

// bookingRow is a booking as the pages show it: its day, times and
// language written out for the reader.
type bookingRow struct {
	casework.BookingView
	Day          string // "lunedì 23/11/2026"
	From, To     string // "09:30"
	LanguageName string
	// Worked writes the minutes worked as hours and minutes.
	Worked string
}

// bookingRows writes bookings for the reader of r.
func (h *Handler) bookingRows(r *http.Request, list []casework.BookingView) []bookingRow {
	out := make([]bookingRow, 0, len(list))
	for _, v := range list {
		out = append(out, h.bookingRow(r, v))
	}
	return out
}

func (h *Handler) bookingRow(r *http.Request, v casework.BookingView) bookingRow {
	l := lang(r.Context())
	start, end := v.StartsAt.In(approdo.Rome), v.EndsAt().In(approdo.Rome)
	weekday := int(start.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	row := bookingRow{BookingView: v, From: start.Format(mediation.TimeLayout), To: end.Format(mediation.TimeLayout),
		LanguageName: languageName(v.Language, l),
		Day:          h.Catalogue.T(l, "mediation.weekday."+strconv.Itoa(weekday)) + " " + formatDate(start, l)}
	if v.WorkedMinutes > 0 {
		row.Worked = hoursAndMinutes(h, l, v.WorkedMinutes)
	}
	return row
}

// hoursAndMinutes writes minutes as "1 h 45 min" in lang.
func hoursAndMinutes(h *Handler, l string, minutes int) string {
	return h.Catalogue.T(l, "mediation.hours_minutes", minutes/60, minutes%60)
}

// bookingActionErrors are the problems of a form that acted on one booking,
// shown beside it: its id, what was typed, and the problems.
type bookingActionErrors struct {
	ID     int64
	Action string // "cancel", "decline", "hours"
	Typed  string
	Errors []formError
}

// For returns the problems of action on booking id, or nil.
func (e bookingActionErrors) For(id int64, action string) []formError {
	if e.ID != id || e.Action != action {
		return nil
	}
	return e.Errors
}

// FieldError returns the message of field name of the form that took
// action on booking id, or "".
func (e bookingActionErrors) FieldError(id int64, action, name string) string {
	return fieldError(e.For(id, action), bookingFieldPrefix(id, action)+name)
}

// bookingFieldPrefix prefixes the ids of the fields of the form that takes
// action on booking id.
func bookingFieldPrefix(id int64, action string) string {
	return "booking-" + strconv.FormatInt(id, 10) + "-" + action + "-"
}

// defaultRequestDay is the day a new request proposes: tomorrow.
func defaultRequestDay(now time.Time) string {
	return now.In(approdo.Rome).AddDate(0, 0, 1).Format(mediation.DateLayout)
}

// languageNames writes language codes as their names in lang, joined.
func languageNames(codes []string, lang string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		names = append(names, languageName(c, lang))
	}
	return strings.Join(names, ", ")
}
