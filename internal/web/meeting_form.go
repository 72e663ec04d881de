package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/meetings"
)

// meetingForm is the form of a new meeting as the organiser filled it in.
type meetingForm struct {
	Kind         string
	Title        string
	StartsAt     string
	Place        string
	Link         string
	Participants []string
	Cases        []string
}

// Has reports whether the multiple choice values holds id, for the form's
// selects.
func (f meetingForm) Has(values []string, id int64) bool {
	return slices.Contains(values, strconv.FormatInt(id, 10))
}

// readMeetingForm reads the form of a new meeting.
func readMeetingForm(r *http.Request) meetingForm {
	_ = r.ParseForm()
	return meetingForm{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("meeting_title"), StartsAt: r.PostFormValue("starts_at"),
		Place: r.PostFormValue("place"), Link: r.PostFormValue("link"), Participants: r.PostForm["participants"],
		Cases: r.PostForm["cases"]}
}

// input turns the form into what the service takes, with the problems of a
// date or a choice that could not be read.
func (f meetingForm) input() casework.MeetingInput {
	in := casework.MeetingInput{Kind: meetings.Kind(f.Kind), Title: f.Title, Place: f.Place, Link: f.Link}
	in.StartsAt = readDateTime(f.StartsAt, "starts_at", &in.Problems)
	in.ParticipantIDs = readIDs(f.Participants, "participants", &in.Problems)
	in.CaseIDs = readIDs(f.Cases, "cases", &in.Problems)
	return in
}

// readDateTime reads a date and time of a form in Rome's time, adding a
// problem on field when it cannot.
func readDateTime(s, field string, problems *[]approdo.FieldError) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(occurredLayout, s, approdo.Rome)
	if err != nil {
		*problems = append(*problems, approdo.FieldError{Field: field, Message: "error.field.datetime"})
	}
	return t
}

// readIDs reads the ids of a multiple choice, adding a problem on field
// for one that is not an id.
func readIDs(values []string, field string, problems *[]approdo.FieldError) []int64 {
	var out []int64
	for _, v := range values {
		switch id := parseID(v); {
		case id > 0:
			out = append(out, id)
		case id < 0:
			*problems = append(*problems, approdo.FieldError{Field: field, Message: "error.field.unknown_value"})
			return out
		}
	}
	return out
}

// meetingFormData is what the form of a new meeting shows.
type meetingFormData struct {
	*casework.MeetingChoices
	Form   meetingForm
	Errors []formError
}

// FieldError returns the message of field name, or "".
func (d meetingFormData) FieldError(name string) string { return fieldError(d.Errors, name) }

// renderMeetingForm shows the form of a new meeting with status.
func (h *Handler) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, form meetingForm, errs []formError) {
	choices, err := h.Cases.MeetingChoices(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "meeting_form", h.newPage(r, "meetings.new", meetingFormData{MeetingChoices: choices, Form: form, Errors: errs}))
}
