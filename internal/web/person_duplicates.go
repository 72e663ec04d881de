package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/refdata"
)

// duplicatesData is the panel of possible duplicates of a person: matches
// in the actor's cases, with their cases, and organisations holding
// matches the actor may not read, with nothing else.
type duplicatesData struct {
	CaseID int64
	// PersonID and Version are the person on file the check is about, with
	// the version to merge from; 0 at intake.
	PersonID      int64
	Version       int
	InScope       []shownMatch
	Elsewhere     []casework.HeldBy
	CanBreakGlass bool
	Checked       bool
}

// shownMatch is a possible duplicate written out in the reader's language.
type shownMatch struct {
	casework.Match
	Birth, Nationality, Sex string
	Href                    string
}

// duplicatesData writes out the possible duplicates d for the panel of
// case caseID.
func (h *Handler) duplicatesData(r *http.Request, caseID int64, d *casework.Duplicates) *duplicatesData {
	l := lang(r.Context())
	a := auth.ActorFrom(r.Context())
	out := &duplicatesData{CaseID: caseID, Checked: true, CanBreakGlass: auth.Can(a, access.BreakGlass, access.Cases)}
	if d == nil {
		return out
	}
	out.Elsewhere = d.Elsewhere
	for _, m := range d.InScope {
		card := h.personCard(l, &casework.PersonView{Person: cases.Person{Birth: m.Birth, Sex: m.Sex}})
		s := shownMatch{Match: m, Birth: card.Birth, Sex: card.Sex}
		if c, ok := refdata.LookupCountry(m.Nationality); ok {
			s.Nationality = c.Name(l)
		}
		if len(m.Cases) > 0 {
			s.Href = personPath(m.Cases[0].ID, m.PersonID)
		}
		out.InScope = append(out.InScope, s)
	}
	return out
}

// checkDuplicates answers the duplicate check of the person form as the
// operator types: the names, birth date, nationality and identifiers
// posted are looked up across the network and the panel of possible
// duplicates is shown. Fields that do not read yet (a date half typed) are
// left out of the check rather than refused.
func (h *Handler) checkDuplicates(w http.ResponseWriter, r *http.Request) {
	caseID := pathID(r, "id")
	a := auth.ActorFrom(r.Context())
	probe := probeFromForm(r)
	d, err := h.Cases.FindDuplicates(r.Context(), a, caseID, probe, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := h.duplicatesData(r, caseID, d)
	data.PersonID = probe.PersonID
	h.renderSection(w, r, http.StatusOK, "person_duplicates", h.newPage(r, "person.duplicates.title", data))
}

// probeFromForm reads what a duplicate check compares from a posted person
// form, leaving out what does not read.
func probeFromForm(r *http.Request) casework.Probe {
	f, in, _, _ := readPersonForm(r, parseID(r.PostFormValue("person_id")))
	p := in.Person
	if _, problems := cases.ParseBirth(f.BirthPrecision, f.BirthDate, f.BirthMin, f.BirthMax); len(problems) > 0 ||
		p.Birth.Precision != cases.Assessed && p.Birth.Min.IsZero() || p.Birth.Max.Before(p.Birth.Min) {
		p.Birth = cases.BirthDate{Precision: cases.UnknownDate}
	}
	if p.Birth.Precision == cases.Assessed && (p.Birth.Min.IsZero() || p.Birth.Max.IsZero()) {
		p.Birth = cases.BirthDate{Precision: cases.UnknownDate}
	}
	if _, ok := refdata.LookupCountry(p.Nationality); !ok {
		p.Nationality = ""
	}
	probe := casework.ProbeOf(&p)
	probe.PersonID = max(p.ID, 0)
	return probe
}
