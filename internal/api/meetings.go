package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/meetings"
)

// meetingRowJSON is a meeting in a list: logistics only.
type meetingRowJSON struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	StartsAt     string `json:"starts_at"`
	Place        string `json:"place"`
	Link         string `json:"link"`
	Organiser    string `json:"organiser"`
	Participants int    `json:"participants"`
	Cases        int    `json:"cases"`
}

// participantJSON is a participant of a meeting.
type participantJSON struct {
	UserID       int64  `json:"user_id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// decisionJSON is a decision of a meeting.
type decisionJSON struct {
	ID            int64  `json:"id"`
	CaseID        int64  `json:"case_id"`
	CaseCode      string `json:"case_code"`
	Text          string `json:"text"`
	ResponsibleID int64  `json:"responsible_id"`
	Responsible   string `json:"responsible"`
	DueAt         string `json:"due_at"`
	TaskID        int64  `json:"task_id"`
	CreatedAt     string `json:"created_at"`
}

// agendaJSON is a case on a meeting's agenda; a redacted one carries no
// case id, code, minutes or decisions.
type agendaJSON struct {
	Redacted  bool           `json:"redacted"`
	CaseID    *int64         `json:"case_id"`
	CaseCode  string         `json:"case_code"`
	Minutes   string         `json:"minutes"`
	Decisions []decisionJSON `json:"decisions"`
}

// meetingJSON is a meeting as its reader sees it.
type meetingJSON struct {
	ID           int64             `json:"id"`
	Kind         string            `json:"kind"`
	Title        string            `json:"title"`
	StartsAt     string            `json:"starts_at"`
	Place        string            `json:"place"`
	Link         string            `json:"link"`
	OrganiserID  int64             `json:"organiser_id"`
	Organiser    string            `json:"organiser"`
	Participants []participantJSON `json:"participants"`
	Minutes      string            `json:"minutes"`
	Agenda       []agendaJSON      `json:"agenda"`
	CanWrite     bool              `json:"can_write"`
	Version      int               `json:"version"`
}

func decisionView(d casework.DecisionView) decisionJSON {
	return decisionJSON{ID: d.ID, CaseID: d.CaseID, CaseCode: d.CaseCode, Text: d.Text, ResponsibleID: d.ResponsibleID,
		Responsible: d.Responsible, DueAt: d.DueAt.UTC().Format(time.RFC3339), TaskID: d.TaskID,
		CreatedAt: d.CreatedAt.UTC().Format(time.RFC3339)}
}

func meetingView(v *casework.MeetingView) meetingJSON {
	out := meetingJSON{ID: v.ID, Kind: string(v.Kind), Title: v.Title, StartsAt: v.StartsAt.UTC().Format(time.RFC3339),
		Place: v.Place, Link: v.Link, OrganiserID: v.OrganiserID, Organiser: v.Organiser, Participants: []participantJSON{},
		Minutes: v.Minutes, Agenda: []agendaJSON{}, CanWrite: v.CanWrite, Version: v.Version}
	for _, p := range v.Participants {
		out.Participants = append(out.Participants, participantJSON{UserID: p.UserID, Name: p.Name, Organisation: p.Organisation})
	}
	for _, a := range v.Agenda {
		item := agendaJSON{Redacted: a.Redacted, Decisions: []decisionJSON{}}
		if !a.Redacted {
			id := a.CaseID
			item.CaseID, item.CaseCode, item.Minutes = &id, a.Code, a.Minutes
			for _, d := range a.Decisions {
				item.Decisions = append(item.Decisions, decisionView(d))
			}
		}
		out.Agenda = append(out.Agenda, item)
	}
	return out
}

// meetingID reads the meeting named in the path, or 0.
func meetingID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("meeting"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// readTime reads an RFC 3339 time of field, adding a problem when it
// cannot.
func readTime(s, field string, problems *[]approdo.FieldError) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		*problems = append(*problems, approdo.FieldError{Field: field, Message: "error.field.datetime"})
	}
	return t
}

// listMeetings returns the meetings the caller organises or takes part in.
func (a *API) listMeetings(w http.ResponseWriter, r *http.Request) {
	rows, err := a.Cases.Meetings(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := []meetingRowJSON{}
	for _, m := range rows {
		items = append(items, meetingRowJSON{ID: m.ID, Kind: string(m.Kind), Title: m.Title,
			StartsAt: m.StartsAt.UTC().Format(time.RFC3339), Place: m.Place, Link: m.Link, Organiser: m.Organiser,
			Participants: m.Participants, Cases: m.Cases})
	}
	respond.JSON(w, http.StatusOK, newList(items))
}

// meetingInputJSON is the body of a new meeting.
type meetingInputJSON struct {
	Kind         string  `json:"kind"`
	Title        string  `json:"title"`
	StartsAt     string  `json:"starts_at"`
	Place        string  `json:"place"`
	Link         string  `json:"link"`
	Participants []int64 `json:"participants"`
	Cases        []int64 `json:"cases"`
}

// createMeeting records a new meeting organised by the caller.
func (a *API) createMeeting(w http.ResponseWriter, r *http.Request) {
	var body meetingInputJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.MeetingInput{Kind: meetings.Kind(body.Kind), Title: body.Title, Place: body.Place, Link: body.Link,
		ParticipantIDs: body.Participants, CaseIDs: body.Cases}
	in.StartsAt = readTime(body.StartsAt, "starts_at", &in.Problems)
	actor := auth.ActorFrom(r.Context())
	m, err := a.Cases.CreateMeeting(r.Context(), actor, in, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.Meeting(r.Context(), actor, m.ID, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/meetings/"+strconv.FormatInt(m.ID, 10))
	respond.JSON(w, http.StatusCreated, meetingView(v))
}

// getMeeting returns a meeting as the caller sees it.
func (a *API) getMeeting(w http.ResponseWriter, r *http.Request) {
	id := meetingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Meeting(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, meetingView(v))
}

// minutesJSON is the body of minutes: general without case_id.
type minutesJSON struct {
	CaseID  int64  `json:"case_id"`
	Minutes string `json:"minutes"`
}

// recordMinutes writes a meeting's minutes and returns the meeting.
func (a *API) recordMinutes(w http.ResponseWriter, r *http.Request) {
	id := meetingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body minutesJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	actor := auth.ActorFrom(r.Context())
	if err := a.Cases.RecordMinutes(r.Context(), actor, id, casework.MinutesInput{CaseID: body.CaseID, Minutes: body.Minutes},
		auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.Meeting(r.Context(), actor, id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, meetingView(v))
}

// decisionInputJSON is the body of a decision.
type decisionInputJSON struct {
	CaseID        int64  `json:"case_id"`
	Text          string `json:"text"`
	ResponsibleID int64  `json:"responsible_id"`
	DueAt         string `json:"due_at"`
}

// addDecision records a decision of a meeting, which becomes a task.
func (a *API) addDecision(w http.ResponseWriter, r *http.Request) {
	id := meetingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body decisionInputJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.DecisionInput{CaseID: body.CaseID, Text: body.Text, ResponsibleID: body.ResponsibleID}
	in.DueAt = readTime(body.DueAt, "due_at", &in.Problems)
	d, err := a.Cases.AddDecision(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, decisionView(*d))
}
