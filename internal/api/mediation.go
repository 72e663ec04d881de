package api

import (
	"net/http"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/internal/store"
	"approdo/mediation"
	"approdo/refdata"
)

// bookingJSON is a booking of a mediator as the API shows it. case_id and
// case_code are null for whoever reads neither the case nor its summary,
// such as the booking's mediator, who sees its logistics only.
type bookingJSON struct {
	ID              int64         `json:"id"`
	State           string        `json:"state"`
	Language        string        `json:"language"`
	Purpose         string        `json:"purpose"`
	Date            string        `json:"date"`
	StartTime       string        `json:"start_time"`
	StartsAt        string        `json:"starts_at"`
	EndsAt          string        `json:"ends_at"`
	DurationMinutes int           `json:"duration_minutes"`
	Remote          bool          `json:"remote"`
	Place           string        `json:"place"`
	Notes           string        `json:"notes"`
	MediatorGender  string        `json:"mediator_gender"`
	Requester       contactJSON   `json:"requester"`
	Mediator        *bookedJSON   `json:"mediator"`
	CaseID          *int64        `json:"case_id"`
	CaseCode        *string       `json:"case_code"`
	WorkedMinutes   int           `json:"worked_minutes"`
	CancelReason    string        `json:"cancel_reason"`
	Declines        []declineJSON `json:"declines"`
	Allowed         []string      `json:"allowed"`
	Version         int           `json:"version"`
}

// contactJSON is who asked for a booking and how to reach them.
type contactJSON struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation"`
}

// bookedJSON is the mediator a booking was given to.
type bookedJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// declineJSON is a mediator's decline of a booking.
type declineJSON struct {
	Mediator   string `json:"mediator"`
	Reason     string `json:"reason"`
	DeclinedAt string `json:"declined_at"`
}

func bookingView(v casework.BookingView) bookingJSON {
	start, end := v.StartsAt.In(approdo.Rome), v.EndsAt()
	out := bookingJSON{ID: v.ID, State: string(v.State), Language: v.Language, Purpose: string(v.Purpose),
		Date: start.Format(mediation.DateLayout), StartTime: start.Format(mediation.TimeLayout),
		StartsAt: v.StartsAt.UTC().Format(time.RFC3339), EndsAt: end.UTC().Format(time.RFC3339),
		DurationMinutes: v.DurationMinutes, Remote: v.Remote, Place: v.Place, Notes: v.Notes,
		MediatorGender: string(v.MediatorGender), Requester: contactJSON{Name: v.RequesterName, Email: v.RequesterEmail,
			Organisation: v.RequesterOrganisation}, WorkedMinutes: v.WorkedMinutes, CancelReason: v.CancelReason,
		Declines: []declineJSON{}, Allowed: []string{}, Version: v.Version}
	if v.MediatorName != "" {
		out.Mediator = &bookedJSON{ID: v.MediatorID, Name: v.MediatorName}
	}
	if v.CaseCode != "" {
		id, code := v.Booking.CaseID, v.CaseCode
		out.CaseID, out.CaseCode = &id, &code
	}
	for _, d := range v.Declines {
		out.Declines = append(out.Declines, declineJSON{Mediator: d.Mediator, Reason: d.Reason,
			DeclinedAt: d.At.UTC().Format(time.RFC3339)})
	}
	for _, x := range []struct {
		step string
		ok   bool
	}{{"cancel", v.CanCancel}, {"assign", v.CanAssign}, {"confirm", v.CanConfirm}, {"decline", v.CanDecline},
		{"hours", v.CanRecord}} {
		if x.ok {
			out.Allowed = append(out.Allowed, x.step)
		}
	}
	return out
}

// bookingListJSON is a list of bookings.
type bookingListJSON struct {
	Items []bookingJSON `json:"items"`
}

func bookingList(list []casework.BookingView) bookingListJSON {
	out := bookingListJSON{Items: []bookingJSON{}}
	for _, v := range list {
		out.Items = append(out.Items, bookingView(v))
	}
	return out
}

// bookingID returns the positive integer path value "booking", or 0.
func bookingID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("booking"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// listCaseBookings returns the bookings of a case, open ones first.
func (a *API) listCaseBookings(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	cm, err := a.Cases.CaseBookings(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, bookingList(cm.Bookings))
}

// bookingRequestJSON is the body that asks for a mediator.
type bookingRequestJSON struct {
	Language        string `json:"language"`
	Purpose         string `json:"purpose"`
	Date            string `json:"date"`
	StartTime       string `json:"start_time"`
	DurationMinutes int    `json:"duration_minutes"`
	Remote          bool   `json:"remote"`
	Place           string `json:"place"`
	Notes           string `json:"notes"`
	MediatorGender  string `json:"mediator_gender"`
}

// requestMediation asks for a mediator for an appointment of a case.
func (a *API) requestMediation(w http.ResponseWriter, r *http.Request) {
	var body bookingRequestJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.RequestMediation(r.Context(), auth.ActorFrom(r.Context()), pathID(r), mediation.Request{
		Language: body.Language, Purpose: mediation.Purpose(body.Purpose), Date: body.Date, StartTime: body.StartTime,
		DurationMinutes: body.DurationMinutes, Remote: body.Remote, Place: body.Place, Notes: body.Notes,
		MediatorGender: mediation.Gender(body.MediatorGender)}, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/mediation/bookings/"+strconv.FormatInt(v.ID, 10))
	respond.JSON(w, http.StatusCreated, bookingView(*v))
}

// reasonJSON is the body of a step that takes a reason.
type reasonJSON struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// cancelMediation calls off a booking of a case, with a reason.
func (a *API) cancelMediation(w http.ResponseWriter, r *http.Request) {
	id := bookingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body reasonJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.CancelMediation(r.Context(), auth.ActorFrom(r.Context()), pathID(r), id, body.Reason, body.Version,
		auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// answerBooking writes a booking after a step, or the step's error.
func (a *API) answerBooking(w http.ResponseWriter, r *http.Request, v *casework.BookingView, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, bookingView(*v))
}

// decodeForBooking reads the body of a step on the booking the path names:
// a malformed id is 404 before the body is read.
func decodeForBooking(r *http.Request, v any) (int64, error) {
	id := bookingID(r)
	if id == 0 {
		return 0, errNotFound()
	}
	return id, decodeJSON(r, v)
}

// listBookings returns the bookings the caller may list, soonest first:
// with mine, only those given to the caller as their mediator; with
// waiting, only the requests waiting for a mediator that the caller may
// assign; those that ended more than a week ago only with past=true.
func (a *API) listBookings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var problems []approdo.FieldError
	flag := func(name string) bool {
		if !q.Has(name) {
			return false
		}
		switch q.Get(name) {
		case "", "true", "1":
			return true
		case "false", "0":
			return false
		}
		problems = append(problems, approdo.FieldError{Field: name, Message: "error.field.unknown_value"})
		return false
	}
	mine, waiting, past := flag("mine"), flag("waiting"), flag("past")
	if mine && waiting {
		problems = append(problems, approdo.FieldError{Field: "waiting", Message: "error.field.unknown_value"})
	}
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	list := casework.BookingsAll
	switch {
	case mine:
		list = casework.BookingsMine
	case waiting:
		list = casework.BookingsToAssign
	}
	out, err := a.Cases.Bookings(r.Context(), auth.ActorFrom(r.Context()), list, past, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, bookingList(out))
}

// showBooking returns one booking.
func (a *API) showBooking(w http.ResponseWriter, r *http.Request) {
	id := bookingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Booking(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// candidateJSON is a mediator who fits a booking and is free then.
type candidateJSON struct {
	mediatorJSON
	WithinSlots    bool `json:"within_slots"`
	SlotsDeclared  bool `json:"slots_declared"`
	DeclinedBefore bool `json:"declined_before"`
}

// candidatesJSON is a booking and the mediators who may be given it.
type candidatesJSON struct {
	Booking bookingJSON     `json:"booking"`
	Items   []candidateJSON `json:"items"`
}

// listCandidates returns the mediators who fit a booking and are free then,
// the best suited first.
func (a *API) listCandidates(w http.ResponseWriter, r *http.Request) {
	id := bookingID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	b, list, err := a.Cases.MediatorCandidates(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := candidatesJSON{Booking: bookingView(*b), Items: []candidateJSON{}}
	for _, c := range list {
		out.Items = append(out.Items, candidateJSON{mediatorJSON: mediatorView(c.MediatorView), WithinSlots: c.WithinSlots,
			SlotsDeclared: c.SlotsDeclared, DeclinedBefore: c.DeclinedBefore})
	}
	respond.JSON(w, http.StatusOK, out)
}

// assignJSON is the body that gives a booking to a mediator.
type assignJSON struct {
	MediatorID int64 `json:"mediator_id"`
	Version    int   `json:"version"`
}

// assignMediator gives a booking to a mediator; one already booked at an
// overlapping time answers 409 and nothing is written.
func (a *API) assignMediator(w http.ResponseWriter, r *http.Request) {
	var body assignJSON
	id, err := decodeForBooking(r, &body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.AssignMediator(r.Context(), auth.ActorFrom(r.Context()), id, body.MediatorID, body.Version,
		auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// bookingVersionJSON is the body of a step that takes nothing but the version.
type bookingVersionJSON struct {
	Version int `json:"version"`
}

// confirmBooking confirms a booking as its mediator.
func (a *API) confirmBooking(w http.ResponseWriter, r *http.Request) {
	var body bookingVersionJSON
	id, err := decodeForBooking(r, &body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.ConfirmBooking(r.Context(), auth.ActorFrom(r.Context()), id, body.Version, auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// declineBooking declines a booking as its mediator, with a reason.
func (a *API) declineBooking(w http.ResponseWriter, r *http.Request) {
	var body reasonJSON
	id, err := decodeForBooking(r, &body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.DeclineBooking(r.Context(), auth.ActorFrom(r.Context()), id, body.Reason, body.Version,
		auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// hoursJSON is the body that closes a booking with the minutes worked.
type hoursJSON struct {
	WorkedMinutes int `json:"worked_minutes"`
	Version       int `json:"version"`
}

// recordBookingHours closes a booking as its mediator with the minutes
// actually worked.
func (a *API) recordBookingHours(w http.ResponseWriter, r *http.Request) {
	var body hoursJSON
	id, err := decodeForBooking(r, &body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.RecordHours(r.Context(), auth.ActorFrom(r.Context()), id, body.WorkedMinutes, body.Version,
		auth.ClientFrom(r.Context()))
	a.answerBooking(w, r, v, err)
}

// mediatorJSON is a profile of the registry of mediators.
type mediatorJSON struct {
	ID                int64      `json:"id"`
	UserID            int64      `json:"user_id"`
	Name              string     `json:"name"`
	Email             string     `json:"email"`
	Organisation      string     `json:"organisation"`
	Languages         []string   `json:"languages"`
	Dialects          string     `json:"dialects"`
	AreaIDs           []int64    `json:"area_ids"`
	Gender            string     `json:"gender"`
	Slots             []slotJSON `json:"slots"`
	AvailabilityNotes string     `json:"availability_notes"`
	Active            bool       `json:"active"`
	TakesBookings     bool       `json:"takes_bookings"`
	Version           int        `json:"version"`
}

// slotJSON is a weekly slot: a weekday from 1 (Monday) to 7 (Sunday) and
// the times it starts and ends, Europe/Rome.
type slotJSON struct {
	Weekday int    `json:"weekday"`
	From    string `json:"from"`
	To      string `json:"to"`
}

func mediatorView(v casework.MediatorView) mediatorJSON {
	out := mediatorJSON{ID: v.ID, UserID: v.UserID, Name: v.Name, Email: v.Email, Organisation: v.Organisation,
		Languages: append([]string{}, v.Languages...), Dialects: v.Dialects, AreaIDs: append([]int64{}, v.AreaIDs...),
		Gender: string(v.Gender), Slots: []slotJSON{}, AvailabilityNotes: v.AvailabilityNotes, Active: v.Active,
		TakesBookings: v.Takes(), Version: v.Version}
	for _, s := range v.Slots {
		out.Slots = append(out.Slots, slotJSON{Weekday: s.Weekday, From: mediation.Clock(s.From), To: mediation.Clock(s.To)})
	}
	return out
}

// mediatorListJSON is a list of profiles.
type mediatorListJSON struct {
	Items []mediatorJSON `json:"items"`
}

// listMediators returns the profiles of the registry, filtered by language
// (an ISO 639 code), area and whether they take bookings (active=true).
func (a *API) listMediators(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var problems []approdo.FieldError
	var f store.MediatorFilter
	if code := q.Get("language"); code != "" {
		if l, ok := refdata.LookupLanguage(code); ok {
			f.Language = l.Code()
		} else {
			problems = append(problems, approdo.FieldError{Field: "language", Message: "error.field.language_code", Args: []any{code}})
		}
	}
	if s := q.Get("area"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			problems = append(problems, approdo.FieldError{Field: "area", Message: "error.field.unknown_value"})
		}
		f.AreaID = id
	}
	switch q.Get("active") {
	case "", "false", "0":
	case "true", "1":
		f.ActiveOnly = true
	default:
		problems = append(problems, approdo.FieldError{Field: "active", Message: "error.field.unknown_value"})
	}
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	list, err := a.Cases.Mediators(r.Context(), auth.ActorFrom(r.Context()), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := mediatorListJSON{Items: []mediatorJSON{}}
	for _, v := range list {
		out.Items = append(out.Items, mediatorView(v))
	}
	respond.JSON(w, http.StatusOK, out)
}

// mediatorID returns the positive integer path value "mediator", or 0.
func mediatorID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("mediator"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// showMediator returns one profile.
func (a *API) showMediator(w http.ResponseWriter, r *http.Request) {
	id := mediatorID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Mediator(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, mediatorView(*v))
}

// profileJSON is the body of a new or saved profile; user_id only for a
// new one, version only for a saved one.
type profileJSON struct {
	UserID            int64      `json:"user_id"`
	Languages         []string   `json:"languages"`
	Dialects          string     `json:"dialects"`
	AreaIDs           []int64    `json:"area_ids"`
	Gender            string     `json:"gender"`
	Slots             []slotJSON `json:"slots"`
	AvailabilityNotes string     `json:"availability_notes"`
	Active            bool       `json:"active"`
	Version           int        `json:"version"`
}

func slotInputs(list []slotJSON) []mediation.SlotInput {
	var out []mediation.SlotInput
	for _, s := range list {
		out = append(out, mediation.SlotInput{Weekday: s.Weekday, From: s.From, To: s.To})
	}
	return out
}

func (p profileJSON) profile() mediation.Profile {
	return mediation.Profile{Languages: p.Languages, Dialects: p.Dialects, AreaIDs: p.AreaIDs,
		Gender: mediation.Gender(p.Gender), Slots: slotInputs(p.Slots), AvailabilityNotes: p.AvailabilityNotes, Active: p.Active}
}

// createMediator adds a profile to the registry.
func (a *API) createMediator(w http.ResponseWriter, r *http.Request) {
	var body profileJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.CreateMediator(r.Context(), auth.ActorFrom(r.Context()), body.UserID, body.profile(), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/mediators/"+strconv.FormatInt(v.ID, 10))
	respond.JSON(w, http.StatusCreated, mediatorView(*v))
}

// updateMediator saves the whole of a profile.
func (a *API) updateMediator(w http.ResponseWriter, r *http.Request) {
	id := mediatorID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	if err := a.mayKeep(r, id, true); err != nil {
		a.fail(w, r, err)
		return
	}
	var body profileJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.UpdateMediator(r.Context(), auth.ActorFrom(r.Context()), id, body.profile(), body.Version, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, mediatorView(*v))
}

// availabilityJSON is the body that saves a mediator's availability.
type availabilityJSON struct {
	Slots             []slotJSON `json:"slots"`
	AvailabilityNotes string     `json:"availability_notes"`
	Version           int        `json:"version"`
}

// updateAvailability saves the weekly slots and notes of a profile.
func (a *API) updateAvailability(w http.ResponseWriter, r *http.Request) {
	id := mediatorID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	if err := a.mayKeep(r, id, false); err != nil {
		a.fail(w, r, err)
		return
	}
	var body availabilityJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Cases.UpdateAvailability(r.Context(), auth.ActorFrom(r.Context()), id, slotInputs(body.Slots),
		body.AvailabilityNotes, body.Version, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, mediatorView(*v))
}

// mayKeep answers ENOTFOUND unless the caller manages profile id, or, when
// whole is false, keeps its availability: authorisation comes before the
// body is read.
func (a *API) mayKeep(r *http.Request, id int64, whole bool) error {
	v, err := a.Cases.Mediator(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if !v.CanManage && (whole || !v.CanUpdate) {
		return errNotFound()
	}
	return nil
}
