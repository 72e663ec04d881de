package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/mediation"
	"approdo/network"
	"approdo/refdata"
)

// languageRows is how many language inputs the profile form offers at
// least, one more than the profile holds.
const languageRows = 4

// mediatorForm is the form of a mediator's profile, as typed. A mediator
// keeping their own availability sees only the slots and the notes (Full
// false).
type mediatorForm struct {
	formState
	Existing bool
	ID       int64
	Version  int
	Name     string // the mediator's, for the title of an edit
	Full     bool
	UserID   string
	// Users are the mediators without a profile, for a new one.
	Users             []option
	Languages         []string // as typed, "Arabo (ar)"
	Dialects          string
	AreaIDs           []int64
	Gender            string
	Active            bool
	Slots             []slotRow
	AvailabilityNotes string

	Areas        []network.Area
	Genders      []mediation.Gender
	LanguageList []option
	MaxDialects  int
	MaxNotes     int
}

// slotRow is one row of the weekly slots: its index among the form's rows,
// its weekday, and the times typed.
type slotRow struct {
	Index    int
	Weekday  int
	Day      string // the weekday's name
	From, To string
	// First marks the first row of its day, which names the day.
	First bool
}

// HasArea reports whether the form serves area id.
func (f mediatorForm) HasArea(id int64) bool { return slices.Contains(f.AreaIDs, id) }

// SlotError returns the message of field name of slot row i, or "".
func (f mediatorForm) SlotError(i int, name string) string {
	return f.FieldError("slots." + strconv.Itoa(i) + "." + name)
}

// mediatorFormOf fills the form of profile v, in lang.
func mediatorFormOf(v *casework.MediatorView, lang string) mediatorForm {
	f := mediatorForm{Existing: true, ID: v.ID, Version: v.Version, Name: v.Name, Full: v.CanManage, Dialects: v.Dialects,
		AreaIDs: v.AreaIDs, Gender: string(v.Gender), Active: v.Active, AvailabilityNotes: v.AvailabilityNotes}
	for _, c := range v.Languages {
		f.Languages = append(f.Languages, languageValue(c, lang))
	}
	var typed []mediation.SlotInput
	for _, s := range v.Slots {
		typed = append(typed, mediation.SlotInput{Weekday: s.Weekday, From: mediation.Clock(s.From), To: mediation.Clock(s.To)})
	}
	f.Slots = slotRows(typed)
	return f
}

// slotRows lays typed slots out by weekday, Monday first: each day's slots
// and one empty row more, at least two rows a day.
func slotRows(typed []mediation.SlotInput) []slotRow {
	var out []slotRow
	for day := 1; day <= 7; day++ {
		var rows []slotRow
		for _, s := range typed {
			if s.Weekday == day && (s.From != "" || s.To != "") {
				rows = append(rows, slotRow{Weekday: day, From: s.From, To: s.To})
			}
		}
		for len(rows) < 2 || rows[len(rows)-1].From != "" || rows[len(rows)-1].To != "" {
			if len(rows) >= 3 {
				break
			}
			rows = append(rows, slotRow{Weekday: day})
		}
		rows[0].First = true
		out = append(out, rows...)
	}
	for i := range out {
		out[i].Index = i
	}
	return out
}

// readSlots reads the weekly slots posted as slots.N.weekday, .from and
// .to, N from 0.
func readSlots(r *http.Request) []mediation.SlotInput {
	var out []mediation.SlotInput
	for i := 0; i < 50; i++ {
		p := "slots." + strconv.Itoa(i) + "."
		w, ok := r.PostForm[p+"weekday"]
		if !ok {
			break
		}
		day, _ := strconv.Atoi(strings.TrimSpace(w[0]))
		out = append(out, mediation.SlotInput{Weekday: day, From: r.PostFormValue(p + "from"), To: r.PostFormValue(p + "to")})
	}
	return out
}

// readMediatorForm reads the posted profile form into the form, to show
// again, and into the profile, to save.
func readMediatorForm(r *http.Request) (mediatorForm, mediation.Profile) {
	f := mediatorForm{Version: formVersion(r), UserID: r.PostFormValue("user_id"), Dialects: r.PostFormValue("dialects"),
		Gender: r.PostFormValue("gender"), Active: r.PostFormValue("active") != "",
		AvailabilityNotes: r.PostFormValue("availability_notes")}
	p := mediation.Profile{Dialects: f.Dialects, Gender: mediation.Gender(f.Gender), Active: f.Active,
		AvailabilityNotes: f.AvailabilityNotes}
	for _, l := range r.PostForm["languages"] {
		if strings.TrimSpace(l) != "" {
			f.Languages = append(f.Languages, l)
			p.Languages = append(p.Languages, languageCode(l))
		}
	}
	for _, s := range r.PostForm["area_ids"] {
		if id := parseID(s); id > 0 {
			f.AreaIDs = append(f.AreaIDs, id)
			p.AreaIDs = append(p.AreaIDs, id)
		}
	}
	p.Slots = readSlots(r)
	// The rows stay as posted, so that a problem named slots.N is shown
	// beside the row N it is about.
	for i, s := range p.Slots {
		f.Slots = append(f.Slots, slotRow{Index: i, Weekday: s.Weekday, From: s.From, To: s.To,
			First: i == 0 || p.Slots[i-1].Weekday != s.Weekday})
	}
	if len(f.Slots) == 0 {
		f.Slots = slotRows(nil)
	}
	return f, p
}

// renderMediatorForm shows the profile form with status.
func (h *Handler) renderMediatorForm(w http.ResponseWriter, r *http.Request, status int, f mediatorForm) {
	l := lang(r.Context())
	ctx := r.Context()
	if err := h.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		f.Areas, err = store.ListAreas(ctx, tx)
		return err
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	if !f.Existing {
		f.Full = true
		users, err := h.Cases.UnlistedMediators(ctx, auth.ActorFrom(ctx))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, u := range users {
			f.Users = append(f.Users, option{Value: strconv.FormatInt(u.ID, 10), Label: u.DisplayName})
		}
	}
	for len(f.Languages) < languageRows || f.Languages[len(f.Languages)-1] != "" {
		f.Languages = append(f.Languages, "")
	}
	for _, x := range refdata.LanguagesByName(l) {
		f.LanguageList = append(f.LanguageList, option{Value: x.Name(l) + " (" + x.Code() + ")"})
	}
	for i := range f.Slots {
		f.Slots[i].Day = h.Catalogue.T(l, "mediation.weekday."+strconv.Itoa(f.Slots[i].Weekday))
	}
	f.Genders, f.MaxDialects, f.MaxNotes = mediation.Genders, mediation.MaxDialects, mediation.MaxNotes
	title := "mediators.new"
	if f.Existing {
		title = "mediators.edit"
	}
	h.render(w, r, status, "mediator_form", h.newPage(r, title, f))
}

// mediatorSaveFailed shows the form again after a save that failed: with
// every problem beside its field and what was typed; after a stale save,
// with the version saved meanwhile, so that saving again applies it.
func (h *Handler) mediatorSaveFailed(w http.ResponseWriter, r *http.Request, f mediatorForm, err error) {
	switch c := approdo.ErrorCode(err); {
	case c == approdo.EINVALID || c == approdo.ECONFLICT:
		f.Errors = h.formErrors(r, err)
		if f.Existing && c == approdo.ECONFLICT {
			if v, verr := h.Cases.Mediator(r.Context(), auth.ActorFrom(r.Context()), f.ID); verr == nil {
				f.Version = v.Version
			}
		}
		h.renderMediatorForm(w, r, formStatus(err), f)
	default:
		h.fail(w, r, err)
	}
}
