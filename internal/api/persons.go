package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
)

// personJSON is a person of a case (schemas Person and PersonInput): one
// shape that the API answers with and takes as the body of a write. A
// field of a sensitive group the caller may not see is null, its group is
// listed in "hidden", and whatever a write sends for it is ignored: the
// saved value stays. Derived fields (presumed_minor, the ages and the 18th
// birthdays) are read and ignored.
type personJSON struct {
	ID                 int64          `json:"id"`
	CaseRole           string         `json:"case_role"`
	Version            int            `json:"version"`
	Sex                string         `json:"sex"`
	BirthPrecision     string         `json:"birth_precision"`
	BirthDate          string         `json:"birth_date,omitempty"`
	BirthMin           *string        `json:"birth_min"`
	BirthMax           *string        `json:"birth_max"`
	PresumedMinor      bool           `json:"presumed_minor"`
	AgeMin             *int           `json:"age_min"`
	AgeMax             *int           `json:"age_max"`
	EarliestEighteenth *string        `json:"earliest_eighteenth"`
	LatestEighteenth   *string        `json:"latest_eighteenth"`
	Nationality        string         `json:"nationality"`
	Languages          []string       `json:"languages"`
	ArrivedOn          *string        `json:"arrived_on"`
	Unaccompanied      bool           `json:"unaccompanied"`
	Names              []cases.Name   `json:"names"`
	ArrivalPlace       *string        `json:"arrival_place"`
	CUI                *string        `json:"cui"`
	CodiceFiscale      *string        `json:"codice_fiscale"`
	Guardian           guardianJSON   `json:"guardian"`
	Gender             *string        `json:"gender"`
	Religion           *string        `json:"religion"`
	Documents          []documentJSON `json:"documents"`
	Permits            []permitJSON   `json:"permits"`
	Links              []linkJSON     `json:"links"`
	Hidden             []string       `json:"hidden"`
	// ConfirmDistinct, on a new person, says that the caller compared the
	// possible duplicates and the person is someone else.
	ConfirmDistinct bool `json:"confirm_distinct,omitempty"`
}

type guardianJSON struct {
	Name        *string `json:"name"`
	Court       *string `json:"court"`
	AppointedOn *string `json:"appointed_on"`
}

type documentJSON struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	Number    *string `json:"number"`
	Issuer    string  `json:"issuer"`
	IssuedOn  *string `json:"issued_on"`
	ExpiresOn *string `json:"expires_on"`
}

type permitJSON struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	IssuedOn  *string `json:"issued_on"`
	ExpiresOn *string `json:"expires_on"`
}

type linkJSON struct {
	ID            int64   `json:"id"`
	Relation      string  `json:"relation"`
	OtherPersonID *int64  `json:"other_person_id"`
	Note          *string `json:"note"`
}

// day writes a date as "2006-01-02", or null for the zero time.
func day(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// shown returns &s when seen, and null otherwise.
func shown(seen bool, s string) *string {
	if !seen {
		return nil
	}
	return &s
}

func personView(v *casework.PersonView) personJSON {
	p := v.Person
	id, jud := v.Sees.Identity, v.Sees.Judicial
	out := personJSON{ID: p.ID, CaseRole: string(v.Role), Version: p.Version, Sex: string(p.Sex),
		BirthPrecision: string(p.Birth.Precision), BirthDate: cases.FormatBirthDate(p.Birth),
		PresumedMinor: v.PresumedMinor(), Nationality: p.Nationality, Languages: p.Languages, ArrivedOn: day(p.ArrivedOn),
		Unaccompanied: p.Unaccompanied, ArrivalPlace: shown(id, p.Identity.ArrivalPlace), CUI: shown(id, p.Identity.CUI),
		CodiceFiscale: shown(id, p.Identity.CodiceFiscale), Gender: shown(v.Sees.SexualLife, p.Gender),
		Religion: shown(v.Sees.Religion, p.Religion), Hidden: v.Sees.Hidden(),
		Guardian:  guardianJSON{Name: shown(id, p.Guardian.Name), Court: shown(jud, p.Guardian.Court)},
		Documents: []documentJSON{}, Permits: []permitJSON{}, Links: []linkJSON{}}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	if jud {
		out.Guardian.AppointedOn = day(p.Guardian.AppointedOn)
	}
	if id {
		out.Names = p.Identity.Names
		if out.Names == nil {
			out.Names = []cases.Name{}
		}
	}
	if p.Birth.Known() {
		out.BirthMin, out.BirthMax = day(p.Birth.Min), day(p.Birth.Max)
		young, old := v.AgeRange()
		out.AgeMin, out.AgeMax = &young, &old
		out.EarliestEighteenth, out.LatestEighteenth = day(p.Birth.EarliestEighteenth()), day(p.Birth.LatestEighteenth())
	}
	for _, d := range p.Documents {
		out.Documents = append(out.Documents, documentJSON{ID: d.ID, Kind: d.Kind, Number: shown(id, d.Number), Issuer: d.Issuer,
			IssuedOn: day(d.IssuedOn), ExpiresOn: day(d.ExpiresOn)})
	}
	for _, q := range p.Permits {
		out.Permits = append(out.Permits, permitJSON{ID: q.ID, Kind: q.Kind, IssuedOn: day(q.IssuedOn), ExpiresOn: day(q.ExpiresOn)})
	}
	for _, l := range p.Links {
		out.Links = append(out.Links, linkJSON{ID: l.ID, Relation: l.Relation, OtherPersonID: optionalID(l.OtherPersonID),
			Note: shown(id, l.Note)})
	}
	return out
}

// input returns the person of a body, as person id, with the problems only
// the body can have, such as a malformed date.
func (in personJSON) input(id int64) (*casework.PersonInput, []approdo.FieldError) {
	var problems []approdo.FieldError
	date := func(s *string, field string) time.Time {
		if s == nil || *s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, *s)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: field, Message: "error.field.date"})
		}
		return t
	}
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	out := &casework.PersonInput{Role: cases.CaseRole(in.CaseRole), ConfirmDistinct: in.ConfirmDistinct}
	p := &out.Person
	p.ID, p.Version, p.Sex, p.Nationality, p.Languages = id, in.Version, cases.Sex(in.Sex), in.Nationality, in.Languages
	p.Unaccompanied, p.Gender, p.Religion = in.Unaccompanied, text(in.Gender), text(in.Religion)
	p.Identity = cases.Identity{Names: in.Names, ArrivalPlace: text(in.ArrivalPlace), CUI: text(in.CUI),
		CodiceFiscale: text(in.CodiceFiscale)}
	p.Guardian = cases.Guardian{Name: text(in.Guardian.Name), Court: text(in.Guardian.Court)}
	p.Guardian.AppointedOn = date(in.Guardian.AppointedOn, "guardian.appointed_on")
	p.ArrivedOn = date(in.ArrivedOn, "arrived_on")
	var birth []approdo.FieldError
	p.Birth, birth = cases.ParseBirth(in.BirthPrecision, in.BirthDate, text(in.BirthMin), text(in.BirthMax))
	problems = append(problems, birth...)
	for i, d := range in.Documents {
		field := "documents." + strconv.Itoa(i) + "."
		p.Documents = append(p.Documents, cases.Document{Kind: d.Kind, Number: text(d.Number), Issuer: d.Issuer,
			IssuedOn: date(d.IssuedOn, field+"issued_on"), ExpiresOn: date(d.ExpiresOn, field+"expires_on")})
	}
	for i, q := range in.Permits {
		field := "permits." + strconv.Itoa(i) + "."
		p.Permits = append(p.Permits, cases.Permit{Kind: q.Kind, IssuedOn: date(q.IssuedOn, field+"issued_on"),
			ExpiresOn: date(q.ExpiresOn, field+"expires_on")})
	}
	for _, l := range in.Links {
		p.Links = append(p.Links, cases.Link{Relation: l.Relation, OtherPersonID: max(referenceID(l.OtherPersonID), 0), Note: text(l.Note)})
	}
	return out, problems
}

// bodyFields names the problems of the guardian as the body nests them
// ("guardian.court" rather than the form's "guardian_court").
func bodyFields(err error) error {
	e, ok := err.(*approdo.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]approdo.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if rest, ok := strings.CutPrefix(f.Field, "guardian_"); ok {
			f.Field = "guardian." + rest
		}
		c.Fields[i] = f
	}
	return &c
}

// personPath returns the case and person ids of a person's path, 0 when
// malformed.
func personPath(r *http.Request) (int64, int64) {
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil || pid <= 0 {
		return pathID(r), 0
	}
	return pathID(r), pid
}

// listPersons returns the persons of a case, the main person first, as the
// caller may see them.
func (a *API) listPersons(w http.ResponseWriter, r *http.Request) {
	_, views, err := a.Cases.CasePersons(r.Context(), auth.ActorFrom(r.Context()), pathID(r), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []personJSON{}
	for i := range views {
		out = append(out, personView(&views[i]))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// getPerson returns one person of a case.
func (a *API) getPerson(w http.ResponseWriter, r *http.Request) {
	caseID, id := personPath(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	_, v, err := a.Cases.CasePerson(r.Context(), auth.ActorFrom(r.Context()), caseID, id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, personView(v))
}

// createPerson adds a person to a case, after the duplicate check across
// the network: a possible duplicate is 409 unless the body confirms that
// the person is someone else.
func (a *API) createPerson(w http.ResponseWriter, r *http.Request) {
	var body personJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx, actor, client := r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())
	in, problems := body.input(0)
	var err error
	if len(problems) > 0 {
		// A malformed body is judged only on a case the caller may change.
		if _, _, err = a.Cases.UpdatableCase(ctx, actor, pathID(r)); err == nil {
			err = approdo.Invalid(problems...)
		}
	} else {
		_, err = a.Cases.AddPerson(ctx, actor, pathID(r), in, client)
	}
	if err != nil {
		a.fail(w, r, bodyFields(err))
		return
	}
	_, v, err := a.Cases.CasePerson(ctx, actor, pathID(r), in.Person.ID, client)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, personView(v))
}

// updatePerson changes a person of a case from the version the body names.
func (a *API) updatePerson(w http.ResponseWriter, r *http.Request) {
	caseID, id := personPath(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body personJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx, actor, client := r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())
	in, problems := body.input(id)
	var err error
	if len(problems) > 0 {
		if _, _, err = a.Cases.CasePerson(ctx, actor, caseID, id, client); err == nil {
			err = approdo.Invalid(problems...)
		}
	} else {
		err = a.Cases.UpdatePerson(ctx, actor, caseID, in, client)
	}
	if err != nil {
		a.fail(w, r, bodyFields(err))
		return
	}
	_, v, err := a.Cases.CasePerson(ctx, actor, caseID, id, client)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, personView(v))
}

// duplicatesJSON is the answer of a duplicate check (schema Duplicates).
type duplicatesJSON struct {
	InScope   []matchJSON  `json:"in_scope"`
	Elsewhere []heldByJSON `json:"elsewhere"`
}

type matchJSON struct {
	PersonID       int64         `json:"person_id"`
	Version        int           `json:"version"`
	Name           *string       `json:"name"`
	BirthPrecision string        `json:"birth_precision"`
	BirthMin       *string       `json:"birth_min"`
	BirthMax       *string       `json:"birth_max"`
	Nationality    string        `json:"nationality"`
	Score          float64       `json:"score"`
	Likely         bool          `json:"likely"`
	CanMerge       bool          `json:"can_merge"`
	Cases          []caseRefJSON `json:"cases"`
}

type caseRefJSON struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Kind string `json:"kind"`
	Role string `json:"role"`
}

type heldByJSON struct {
	OrganisationID int64  `json:"organisation_id"`
	Organisation   string `json:"organisation"`
}

func duplicatesView(d *casework.Duplicates) duplicatesJSON {
	out := duplicatesJSON{InScope: []matchJSON{}, Elsewhere: []heldByJSON{}}
	if d == nil {
		return out
	}
	for _, m := range d.InScope {
		j := matchJSON{PersonID: m.PersonID, Version: m.Version, BirthPrecision: string(m.Birth.Precision),
			Nationality: m.Nationality, Score: m.Score, Likely: m.Likely, CanMerge: m.CanMerge, Cases: []caseRefJSON{}}
		if m.Name != "" {
			j.Name = &m.Name
		}
		if m.Birth.Known() {
			j.BirthMin, j.BirthMax = day(m.Birth.Min), day(m.Birth.Max)
		}
		for _, c := range m.Cases {
			j.Cases = append(j.Cases, caseRefJSON{ID: c.ID, Code: c.Code, Kind: string(c.Kind), Role: string(c.Role)})
		}
		out.InScope = append(out.InScope, j)
	}
	for _, h := range d.Elsewhere {
		out.Elsewhere = append(out.Elsewhere, heldByJSON{OrganisationID: h.OrganisationID, Organisation: h.Organisation})
	}
	return out
}

// probe returns what a duplicate check of the body compares, leaving out
// what does not read.
func (in personJSON) probe() casework.Probe {
	x, _ := in.input(in.ID)
	p := x.Person
	if p.Birth.Precision == cases.Assessed && (p.Birth.Min.IsZero() || p.Birth.Max.IsZero()) {
		p.Birth = cases.BirthDate{Precision: cases.UnknownDate}
	}
	probe := casework.ProbeOf(&p)
	probe.PersonID = max(in.ID, 0)
	return probe
}

// findDuplicates looks the person of the body up across the network: its
// names in any script, birth date, nationality and identifiers. Matches in
// the caller's cases come with their cases; matches held only elsewhere
// name only the organisation that holds them.
func (a *API) findDuplicates(w http.ResponseWriter, r *http.Request) {
	var body personJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := a.Cases.FindDuplicates(r.Context(), auth.ActorFrom(r.Context()), pathID(r), body.probe(), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, duplicatesView(d))
}

// accessRequestJSON is the body of a request for access (schema
// AccessRequest): the organisation holding a possible duplicate, and the
// person it is a duplicate of, on file (person_id) or as typed (person).
type accessRequestJSON struct {
	OrganisationID int64       `json:"organisation_id"`
	PersonID       int64       `json:"person_id,omitempty"`
	Person         *personJSON `json:"person,omitempty"`
}

// requestAccess asks the social workers of the organisation holding a
// possible duplicate to get in touch about the caller's case.
func (a *API) requestAccess(w http.ResponseWriter, r *http.Request) {
	var body accessRequestJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx, actor, client := r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())
	var probe casework.Probe
	switch {
	case body.PersonID > 0:
		_, v, err := a.Cases.CasePerson(ctx, actor, pathID(r), body.PersonID, client)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		probe = casework.ProbeOf(&v.Person)
	case body.Person != nil:
		probe = body.Person.probe()
	}
	org, err := a.Cases.RequestAccess(ctx, actor, pathID(r), body.OrganisationID, probe, client)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, heldByJSON{OrganisationID: body.OrganisationID, Organisation: org})
}

// mergeJSON is the body of a merge (schema PersonMerge).
type mergeJSON struct {
	OtherPersonID int64 `json:"other_person_id"`
	Version       int   `json:"version"`
	OtherVersion  int   `json:"other_version"`
}

// mergePersons merges into a person of a case another person found to be
// the same, and returns the person kept.
func (a *API) mergePersons(w http.ResponseWriter, r *http.Request) {
	caseID, id := personPath(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body mergeJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx, actor, client := r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context())
	in := casework.MergeInput{KeepID: id, GoneID: body.OtherPersonID, KeepVersion: body.Version, GoneVersion: body.OtherVersion}
	if in.GoneID < 0 {
		in.GoneID = -1
	}
	if err := a.Cases.MergePersons(ctx, actor, caseID, in, client); err != nil {
		a.fail(w, r, err)
		return
	}
	_, v, err := a.Cases.CasePerson(ctx, actor, caseID, id, client)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, personView(v))
}
