package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/refdata"
)

// personForm is the form of a new or edited person of a case, as typed.
type personForm struct {
	formState
	Case    *cases.Case
	ID      int64 // 0 for a new person
	Version int
	Role    string

	Names          []nameRow
	Sex            string
	Gender         string
	BirthPrecision string
	BirthDate      string
	BirthMin       string
	BirthMax       string
	Nationality    string
	Languages      []string
	ArrivedOn      string
	ArrivalPlace   string
	Unaccompanied  bool
	CUI            string
	CodiceFiscale  string
	Religion       string
	GuardianName   string
	GuardianCourt  string
	GuardianOn     string
	Documents      []documentRow
	Permits        []permitRow
	Links          []linkRow

	// ConfirmDistinct is the actor's word that the possible duplicates
	// shown are someone else.
	ConfirmDistinct bool
	Duplicates      *duplicatesData
	Sees            casework.Visibility

	Choices personChoices
}

// nameRow is one name of the form; Index numbers its fields
// ("names.N.text") and Number counts rows from 1, as people do.
type nameRow struct {
	Index, Number int
	Kind, Text    string
}

// documentRow is one identity document of the form.
type documentRow struct {
	Index, Number                            int
	Kind, DocNumber, Issuer, Issued, Expires string
}

// permitRow is one residence permit of the form.
type permitRow struct {
	Index, Number         int
	Kind, Issued, Expires string
}

// linkRow is one family link of the form.
type linkRow struct {
	Index, Number int
	Relation      string
	OtherPersonID int64
	Note          string
}

// option is one choice of a select or datalist.
type option struct {
	Value, Label string
}

// personChoices are the lists the person form offers.
type personChoices struct {
	Roles, NameKinds, Sexes, Precisions, DocumentKinds, PermitKinds, Relations []string
	Countries, Languages                                                       []option
	// Others are the other persons of the case, for family links.
	Others []option
	Max    map[string]int
}

// blankPersonRows is how many empty rows each list of the form offers.
const blankPersonRows = 2

// maxPersonRows bounds the rows a posted form may number.
const maxPersonRows = 100

// newPersonForm returns the form of a person as an actor sees them.
func newPersonForm(v *casework.PersonView, lang string) personForm {
	p := v.Person
	f := personForm{ID: p.ID, Version: p.Version, Role: string(v.Role), Sex: string(p.Sex), Gender: p.Gender,
		BirthPrecision: string(p.Birth.Precision), BirthDate: cases.FormatBirthDate(p.Birth),
		Nationality: countryValue(p.Nationality, lang), ArrivedOn: isoDate(p.ArrivedOn),
		ArrivalPlace: p.Identity.ArrivalPlace, Unaccompanied: p.Unaccompanied, CUI: p.Identity.CUI,
		CodiceFiscale: p.Identity.CodiceFiscale, Religion: p.Religion, GuardianName: p.Guardian.Name,
		GuardianCourt: p.Guardian.Court, GuardianOn: isoDate(p.Guardian.AppointedOn), Sees: v.Sees}
	if p.Birth.Precision == cases.Assessed {
		f.BirthMin, f.BirthMax = isoDate(p.Birth.Min), isoDate(p.Birth.Max)
	}
	for _, l := range p.Languages {
		f.Languages = append(f.Languages, languageValue(l, lang))
	}
	for i, n := range p.Identity.Names {
		f.Names = append(f.Names, nameRow{Index: i, Number: i + 1, Kind: string(n.Kind), Text: n.Text})
	}
	for i, d := range p.Documents {
		f.Documents = append(f.Documents, documentRow{Index: i, Number: i + 1, Kind: d.Kind, DocNumber: d.Number,
			Issuer: d.Issuer, Issued: isoDate(d.IssuedOn), Expires: isoDate(d.ExpiresOn)})
	}
	for i, q := range p.Permits {
		f.Permits = append(f.Permits, permitRow{Index: i, Number: i + 1, Kind: q.Kind, Issued: isoDate(q.IssuedOn),
			Expires: isoDate(q.ExpiresOn)})
	}
	for i, l := range p.Links {
		f.Links = append(f.Links, linkRow{Index: i, Number: i + 1, Relation: l.Relation, OtherPersonID: l.OtherPersonID, Note: l.Note})
	}
	return f
}

// rowNumbers returns the row numbers N that the posted form uses for
// fields "list.N.…", in order.
func rowNumbers(r *http.Request, list string) []int {
	var out []int
	for key := range r.PostForm {
		rest, ok := strings.CutPrefix(key, list+".")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < maxPersonRows && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// personRows maps the rows of a person's lists back to the rows of the form
// they came from, since blank rows are left out.
type personRows map[string][]int

// readPersonForm reads the posted form into the form, to show again, and
// into the input, to save; problems only the form can have, such as a
// malformed date, are returned apart, named after the form's rows.
func readPersonForm(r *http.Request, id int64) (personForm, *casework.PersonInput, personRows, []approdo.FieldError) {
	v := r.PostFormValue
	f := personForm{ID: id, Version: formVersion(r), Role: v("case_role"), Sex: v("sex"), Gender: v("gender"),
		BirthPrecision: v("birth_precision"), BirthDate: v("birth_date"), BirthMin: v("birth_min"), BirthMax: v("birth_max"),
		Nationality: v("nationality"), ArrivedOn: v("arrived_on"), ArrivalPlace: v("arrival_place"),
		Unaccompanied: v("unaccompanied") != "", CUI: v("cui"), CodiceFiscale: v("codice_fiscale"), Religion: v("religion"),
		GuardianName: v("guardian_name"), GuardianCourt: v("guardian_court"), GuardianOn: v("guardian_appointed_on"),
		ConfirmDistinct: v("confirm_distinct") != ""}
	in := &casework.PersonInput{Role: cases.CaseRole(f.Role), ConfirmDistinct: f.ConfirmDistinct}
	p := &in.Person
	p.ID, p.Version, p.Sex, p.Gender, p.Religion = id, f.Version, cases.Sex(f.Sex), f.Gender, f.Religion
	p.Unaccompanied = f.Unaccompanied
	p.Identity = cases.Identity{ArrivalPlace: f.ArrivalPlace, CUI: f.CUI, CodiceFiscale: f.CodiceFiscale}
	p.Guardian = cases.Guardian{Name: f.GuardianName, Court: f.GuardianCourt}
	p.Nationality = countryCode(f.Nationality)
	var problems []approdo.FieldError
	p.Birth, problems = cases.ParseBirth(f.BirthPrecision, f.BirthDate, f.BirthMin, f.BirthMax)
	p.ArrivedOn = parseDate(f.ArrivedOn, "arrived_on", &problems)
	p.Guardian.AppointedOn = parseDate(f.GuardianOn, "guardian_appointed_on", &problems)
	for _, s := range r.PostForm["languages"] {
		f.Languages = append(f.Languages, s)
		if code := languageCode(s); code != "" {
			p.Languages = append(p.Languages, code)
		}
	}
	rows := personRows{}
	for _, n := range rowNumbers(r, "names") {
		field := func(name string) string { return fmt.Sprintf("names.%d.%s", n, name) }
		row := nameRow{Index: n, Number: n + 1, Kind: v(field("kind")), Text: v(field("text"))}
		if strings.TrimSpace(row.Text) == "" {
			continue
		}
		f.Names = append(f.Names, row)
		p.Identity.Names = append(p.Identity.Names, cases.Name{Kind: cases.NameKind(row.Kind), Text: row.Text})
		rows["names"] = append(rows["names"], n)
	}
	for _, n := range rowNumbers(r, "documents") {
		field := func(name string) string { return fmt.Sprintf("documents.%d.%s", n, name) }
		row := documentRow{Index: n, Number: n + 1, Kind: v(field("kind")), DocNumber: v(field("number")),
			Issuer: v(field("issuer")), Issued: v(field("issued_on")), Expires: v(field("expires_on"))}
		if strings.TrimSpace(row.Kind+row.DocNumber+row.Issuer+row.Issued+row.Expires) == "" {
			continue
		}
		f.Documents = append(f.Documents, row)
		d := cases.Document{Kind: row.Kind, Number: row.DocNumber, Issuer: row.Issuer}
		d.IssuedOn = parseDate(row.Issued, field("issued_on"), &problems)
		d.ExpiresOn = parseDate(row.Expires, field("expires_on"), &problems)
		p.Documents = append(p.Documents, d)
		rows["documents"] = append(rows["documents"], n)
	}
	for _, n := range rowNumbers(r, "permits") {
		field := func(name string) string { return fmt.Sprintf("permits.%d.%s", n, name) }
		row := permitRow{Index: n, Number: n + 1, Kind: v(field("kind")), Issued: v(field("issued_on")), Expires: v(field("expires_on"))}
		if strings.TrimSpace(row.Kind+row.Issued+row.Expires) == "" {
			continue
		}
		f.Permits = append(f.Permits, row)
		q := cases.Permit{Kind: row.Kind}
		q.IssuedOn = parseDate(row.Issued, field("issued_on"), &problems)
		q.ExpiresOn = parseDate(row.Expires, field("expires_on"), &problems)
		p.Permits = append(p.Permits, q)
		rows["permits"] = append(rows["permits"], n)
	}
	for _, n := range rowNumbers(r, "links") {
		field := func(name string) string { return fmt.Sprintf("links.%d.%s", n, name) }
		row := linkRow{Index: n, Number: n + 1, Relation: v(field("relation")), OtherPersonID: parseID(v(field("other_person_id"))),
			Note: v(field("note"))}
		if strings.TrimSpace(row.Relation+row.Note) == "" && row.OtherPersonID == 0 {
			continue
		}
		f.Links = append(f.Links, row)
		p.Links = append(p.Links, cases.Link{Relation: row.Relation, OtherPersonID: max(row.OtherPersonID, 0), Note: row.Note})
		if row.OtherPersonID < 0 {
			problems = append(problems, approdo.FieldError{Field: field("other_person_id"), Message: "error.field.unknown_reference"})
		}
		rows["links"] = append(rows["links"], n)
	}
	return f, in, rows, problems
}

// formFields renames the problems of a person's lists after the form's
// rows.
func (rows personRows) formFields(err error) error {
	return remapFields(err, func(field string) string {
		list, rest, ok := strings.Cut(field, ".")
		if !ok {
			return field
		}
		num, name, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n >= len(rows[list]) {
			return field
		}
		return fmt.Sprintf("%s.%d.%s", list, rows[list][n], name)
	})
}

var codeInParentheses = regexp.MustCompile(`\(([A-Za-z]{2,3})\)\s*$`)

// countryCode reads a nationality as the form's datalist gives it
// ("Egitto (EG)"), as a code ("EG") or as a name in Italian or English,
// and returns its ISO code, or what was typed, for validation to report.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if m := codeInParentheses.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	if c, ok := refdata.LookupCountry(s); ok {
		return c.Alpha2
	}
	for _, c := range refdata.Countries() {
		if strings.EqualFold(c.Italian, s) || strings.EqualFold(c.English, s) {
			return c.Alpha2
		}
	}
	return s
}

// languageCode reads a language as countryCode reads a country.
func languageCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if m := codeInParentheses.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	if l, ok := refdata.LookupLanguage(s); ok {
		return l.Code()
	}
	for _, l := range refdata.Languages() {
		if strings.EqualFold(l.Italian, s) || strings.EqualFold(l.English, s) {
			return l.Code()
		}
	}
	return s
}

// countryValue writes a country code as the form shows it: "Egitto (EG)".
func countryValue(code, lang string) string {
	if c, ok := refdata.LookupCountry(code); ok {
		return c.Name(lang) + " (" + c.Alpha2 + ")"
	}
	return code
}

// languageValue writes a language code as the form shows it: "Arabo (ar)".
func languageValue(code, lang string) string {
	if l, ok := refdata.LookupLanguage(code); ok {
		return l.Name(lang) + " (" + l.Code() + ")"
	}
	return code
}

// personChoicesFor returns the lists of the person form in lang, with the
// other persons of the case for family links.
func personChoicesFor(lang string, others []option) personChoices {
	c := personChoices{NameKinds: kindsOf(cases.NameKinds), Precisions: kindsOf(cases.Precisions),
		Roles: kindsOf(cases.CaseRoles), Sexes: []string{string(cases.Female), string(cases.Male), string(cases.OtherSex)},
		DocumentKinds: cases.DocumentKinds, PermitKinds: cases.PermitKinds, Relations: cases.Relations, Others: others,
		Max: map[string]int{"name": cases.MaxNameLength, "cui": cases.MaxCUILength, "number": cases.MaxNumberLen,
			"note": cases.MaxLinkNote, "group": cases.MaxGroupLength}}
	for _, x := range refdata.CountriesByName(lang) {
		c.Countries = append(c.Countries, option{Value: x.Name(lang) + " (" + x.Alpha2 + ")"})
	}
	for _, x := range refdata.LanguagesByName(lang) {
		c.Languages = append(c.Languages, option{Value: x.Name(lang) + " (" + x.Code() + ")"})
	}
	return c
}

func kindsOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, k := range list {
		out[i] = string(k)
	}
	return out
}

// renderPersonForm shows the person form with status, with blank rows to
// add names, documents, permits and links.
func (h *Handler) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, f personForm) {
	l := lang(r.Context())
	var others []option
	_, persons, err := h.Cases.CasePersons(r.Context(), auth.ActorFrom(r.Context()), f.Case.ID, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range persons {
		if p.ID != f.ID {
			others = append(others, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Identity.DisplayName()})
		}
	}
	f.Choices = personChoicesFor(l, others)
	next := func(n int, last int) int { return max(n, last+1) }
	lastOf := func(indexes ...int) int {
		m := -1
		for _, i := range indexes {
			m = max(m, i)
		}
		return m
	}
	var idx []int
	for _, n := range f.Names {
		idx = append(idx, n.Index)
	}
	start := next(0, lastOf(idx...))
	for i := 0; i < blankPersonRows+boolInt(len(f.Names) == 0); i++ {
		kind := string(cases.Alias)
		if len(f.Names) == 0 && i == 0 {
			kind = string(cases.PrimaryName)
		}
		f.Names = append(f.Names, nameRow{Index: start + i, Number: start + i + 1, Kind: kind})
	}
	idx = idx[:0]
	for _, d := range f.Documents {
		idx = append(idx, d.Index)
	}
	start = next(0, lastOf(idx...))
	for i := 0; i < blankPersonRows; i++ {
		f.Documents = append(f.Documents, documentRow{Index: start + i, Number: start + i + 1})
	}
	idx = idx[:0]
	for _, q := range f.Permits {
		idx = append(idx, q.Index)
	}
	start = next(0, lastOf(idx...))
	for i := 0; i < blankPersonRows; i++ {
		f.Permits = append(f.Permits, permitRow{Index: start + i, Number: start + i + 1})
	}
	idx = idx[:0]
	for _, k := range f.Links {
		idx = append(idx, k.Index)
	}
	start = next(0, lastOf(idx...))
	for i := 0; i < blankPersonRows; i++ {
		f.Links = append(f.Links, linkRow{Index: start + i, Number: start + i + 1})
	}
	for len(f.Languages) < 4 {
		f.Languages = append(f.Languages, "")
	}
	title := "person.new"
	if f.ID != 0 {
		title = "person.edit"
	}
	h.render(w, r, status, "person_form", h.newPage(r, title, f))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// savePerson reads the posted person form of case caseID and saves it with
// save. Problems of the form and of the person are shown together on the
// form, each beside its field, with everything typed; possible duplicates
// are shown with the box to confirm a different person; an edit made from
// an older version shows what was saved meanwhile.
func (h *Handler) savePerson(w http.ResponseWriter, r *http.Request, id int64,
	save func(*casework.PersonInput) (*casework.Duplicates, error)) {
	caseID := pathID(r, "id")
	a := auth.ActorFrom(r.Context())
	form, in, rows, problems := readPersonForm(r, id)
	var dups *casework.Duplicates
	var err error
	if len(problems) == 0 {
		dups, err = save(in)
		err = rows.formFields(err)
	} else {
		err = h.checkPersonForm(r, caseID, id, in, rows, problems)
	}
	c, sees, cerr := h.Cases.UpdatableCase(r.Context(), auth.ActorFrom(r.Context()), caseID)
	if cerr != nil {
		h.fail(w, r, cerr)
		return
	}
	form.Case, form.Sees = c, sees
	switch code := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, personPath(caseID, in.Person.ID)+"?saved", http.StatusSeeOther)
	case id != 0 && isStale(err):
		_, current, cerr := h.Cases.CasePerson(r.Context(), a, caseID, id, auth.ClientFrom(r.Context()))
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		fields := current.Changes(&in.Person)
		if string(current.Role) != form.Role {
			fields = append(fields, "case_role")
		}
		h.stale(r, &form.formState, fields, h.personSaved(r, current))
		h.renderPersonForm(w, r, http.StatusConflict, form)
	case code == approdo.EINVALID || code == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		if dups != nil {
			form.Duplicates = h.duplicatesData(r, caseID, dups)
		}
		h.renderPersonForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// checkPersonForm returns the problems of a form that cannot be saved, with
// what else is wrong with the person, but only once the actor is known to
// reach the case (and the person), so that what does not exist, or is out
// of reach, is not found before its input is judged.
func (h *Handler) checkPersonForm(r *http.Request, caseID, id int64, in *casework.PersonInput, rows personRows,
	problems []approdo.FieldError) error {
	a := auth.ActorFrom(r.Context())
	if id != 0 {
		if _, _, err := h.Cases.CasePerson(r.Context(), a, caseID, id, auth.ClientFrom(r.Context())); err != nil {
			return err
		}
	} else if _, _, err := h.Cases.UpdatableCase(r.Context(), a, caseID); err != nil {
		return err
	}
	check := in.Person
	check.Normalize()
	more := approdo.ErrorFields(rows.formFields(check.Validate(h.Cases.Now())))
	for _, m := range more {
		if !slices.ContainsFunc(problems, func(p approdo.FieldError) bool { return p.Field == m.Field }) {
			problems = append(problems, m)
		}
	}
	return approdo.Invalid(problems...)
}

// isStale reports whether err refuses an edit made from an old version.
func isStale(err error) bool {
	key, _ := approdo.ErrorMessage(err)
	return approdo.ErrorCode(err) == approdo.ECONFLICT && key == "error.stale_version"
}

// personSaved writes a saved value of a person's field for a conflict note.
func (h *Handler) personSaved(r *http.Request, v *casework.PersonView) func(string) string {
	l := lang(r.Context())
	card := h.personCard(l, v)
	t := func(key string) string { return h.Catalogue.T(l, key) }
	p := v.Person
	return func(field string) string {
		var parts []string
		switch field {
		case "case_role":
			return t("person_role." + string(v.Role))
		case "sex":
			return card.Sex
		case "birth":
			return card.Birth
		case "nationality":
			return card.Nationality
		case "languages":
			return card.Languages
		case "arrived_on":
			return formatDay(l, p.ArrivedOn)
		case "unaccompanied":
			if p.Unaccompanied {
				return t("person.yes")
			}
			return t("person.no")
		case "names":
			for _, n := range p.Identity.Names {
				parts = append(parts, n.Text+" ("+t("name_kind."+string(n.Kind))+")")
			}
		case "arrival_place":
			return p.Identity.ArrivalPlace
		case "cui":
			return p.Identity.CUI
		case "codice_fiscale":
			return p.Identity.CodiceFiscale
		case "guardian_name":
			return p.Guardian.Name
		case "guardian_court":
			return p.Guardian.Court
		case "guardian_appointed_on":
			return formatDay(l, p.Guardian.AppointedOn)
		case "gender":
			return p.Gender
		case "religion":
			return p.Religion
		case "documents":
			for _, d := range card.Documents {
				parts = append(parts, d.Kind+" "+d.Number)
			}
		case "permits":
			for _, q := range card.Permits {
				parts = append(parts, q.Kind+" "+q.Expires)
			}
		case "links":
			for _, k := range card.Links {
				parts = append(parts, k.Relation+" "+k.Who)
			}
		}
		return strings.Join(parts, "; ")
	}
}

func personPath(caseID, id int64) string {
	return "/cases/" + strconv.FormatInt(caseID, 10) + "/persons/" + strconv.FormatInt(id, 10)
}
