package api

import (
	"net/http"
	"strconv"
	"time"

	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
)

// consultationSessionJSON is a session of a consultation; attendees is empty to a
// reader without the health field group.
type consultationSessionJSON struct {
	ID        int64  `json:"id"`
	HeldAt    string `json:"held_at"`
	Attendees string `json:"attendees"`
}

// consultationJSON is a consultation as its reader sees it: health says
// whether the question, attendees and advice are shown.
type consultationJSON struct {
	ID           int64                     `json:"id"`
	CaseID       int64                     `json:"case_id"`
	Organisation string                    `json:"organisation"`
	RequestedBy  string                    `json:"requested_by"`
	RequestedAt  string                    `json:"requested_at"`
	State        string                    `json:"state"`
	Health       bool                      `json:"health"`
	Question     string                    `json:"question"`
	Advice       string                    `json:"advice"`
	AdviceAt     *string                   `json:"advice_at"`
	Sessions     []consultationSessionJSON `json:"sessions"`
	CanAnswer    bool                      `json:"can_answer"`
}

func consultationView(v casework.ConsultationView) consultationJSON {
	out := consultationJSON{ID: v.ID, CaseID: v.CaseID, Organisation: v.Organisation, RequestedBy: v.RequestedBy,
		RequestedAt: v.RequestedAt.UTC().Format(time.RFC3339), State: string(v.State), Health: v.Health,
		Question: v.Question, Advice: v.Advice, Sessions: []consultationSessionJSON{}, CanAnswer: v.CanAnswer}
	if !v.AdviceAt.IsZero() {
		at := v.AdviceAt.UTC().Format(time.RFC3339)
		out.AdviceAt = &at
	}
	for _, s := range v.Sessions {
		out.Sessions = append(out.Sessions, consultationSessionJSON{ID: s.ID, HeldAt: s.HeldAt.UTC().Format(time.RFC3339), Attendees: s.Attendees})
	}
	return out
}

// listCaseConsultations returns the consultations of a case.
func (a *API) listCaseConsultations(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	cc, err := a.Cases.Consultations(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := []consultationJSON{}
	for _, c := range cc.Consultations {
		items = append(items, consultationView(c))
	}
	respond.JSON(w, http.StatusOK, newList(items))
}

// consultationInputJSON is the body of a new consultation.
type consultationInputJSON struct {
	OrganisationID int64  `json:"organisation_id"`
	Question       string `json:"question"`
}

// consultationID reads the consultation named in the path, or 0.
func consultationID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("consultation"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// consultationAnswer returns consultation cid of case id as the caller
// now sees it, with status.
func (a *API) consultationAnswer(w http.ResponseWriter, r *http.Request, id, cid int64, status int) {
	cc, err := a.Cases.Consultations(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, c := range cc.Consultations {
		if c.ID == cid {
			respond.JSON(w, status, consultationView(c))
			return
		}
	}
	a.fail(w, r, errNotFound())
}

// requestConsultation asks for a consultation on a case.
func (a *API) requestConsultation(w http.ResponseWriter, r *http.Request) {
	var body consultationInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	id := pathID(r)
	cid, err := a.Cases.RequestConsultation(r.Context(), auth.ActorFrom(r.Context()), id,
		casework.ConsultationInput{OrganisationID: body.OrganisationID, Question: body.Question}, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/consultations")
	a.consultationAnswer(w, r, id, cid, http.StatusCreated)
}

// sessionInputJSON is the body of a session.
type sessionInputJSON struct {
	HeldAt    string `json:"held_at"`
	Attendees string `json:"attendees"`
}

// recordConsultationSession records a session of a consultation.
func (a *API) recordConsultationSession(w http.ResponseWriter, r *http.Request) {
	id, cid := pathID(r), consultationID(r)
	if id == 0 || cid == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body sessionInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.SessionInput{Attendees: body.Attendees}
	in.HeldAt = readTime(body.HeldAt, "held_at", &in.Problems)
	if err := a.Cases.RecordSession(r.Context(), auth.ActorFrom(r.Context()), id, cid, in, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.consultationAnswer(w, r, id, cid, http.StatusCreated)
}

// adviceJSON is the body of a consultation's advice.
type adviceJSON struct {
	Advice string `json:"advice"`
}

// giveConsultationAdvice records the advice of a consultation.
func (a *API) giveConsultationAdvice(w http.ResponseWriter, r *http.Request) {
	id, cid := pathID(r), consultationID(r)
	if id == 0 || cid == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body adviceJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.Cases.GiveAdvice(r.Context(), auth.ActorFrom(r.Context()), id, cid, body.Advice, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	a.consultationAnswer(w, r, id, cid, http.StatusOK)
}
