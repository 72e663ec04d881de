package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	servicedir "approdo/internal/directory"
	"approdo/network"
	"approdo/refdata"
	"approdo/services"
)

// The service directory: what each organisation offers, searched by need,
// area, language and age, edited by the organisation that offers it.

// serviceDirectory returns the directory service over the UI's database.
func (h *Handler) serviceDirectory() *servicedir.Service { return servicedir.New(h.DB, h.Catalogue) }

// serviceForm is the form of a new or edited service, as typed.
type serviceForm struct {
	formState
	ID                 int64
	Version            int
	OrganisationID     int64
	Name               string
	AlternateName      string
	Description        string
	URL                string
	Email              string
	Types              []string
	CaseKinds          []string
	Eligibility        string
	MinAge, MaxAge     string
	AreaIDs            []int64
	Languages          []string // as typed or shown: "Tigrino (ti)"
	Interpretation     string
	ApplicationProcess string
	Fees               string
	RequiredDocuments  string // one a line
	ResponseDays       string
	Schedules          []scheduleRow
	Contacts           []services.Contact
	Active             bool

	Choices serviceChoices
}

// scheduleRow is a row of opening hours in the form.
type scheduleRow struct {
	Days                           []string
	OpensAt, ClosesAt, Description string
}

// HasDay reports whether the row opens on weekday d.
func (s scheduleRow) HasDay(d string) bool { return slices.Contains(s.Days, d) }

// serviceChoices are the lists the service form and the directory's
// filters offer.
type serviceChoices struct {
	Organisations []network.Organisation
	Areas         []network.Area
	Types         []string
	Kinds         []cases.Kind
	Weekdays      []string
	Languages     []option
	Max           map[string]int
}

// HasType reports whether the form offers the type t.
func (f serviceForm) HasType(t string) bool { return slices.Contains(f.Types, t) }

// HasKind reports whether the form serves cases of kind k.
func (f serviceForm) HasKind(k cases.Kind) bool { return slices.Contains(f.CaseKinds, string(k)) }

// HasArea reports whether the form serves the area id.
func (f serviceForm) HasArea(id int64) bool { return slices.Contains(f.AreaIDs, id) }

// serviceLanguageChoices lists the languages as the language inputs suggest them,
// by name in lang: "Tigrino (ti)".
func serviceLanguageChoices(lang string) []option {
	var out []option
	for _, l := range refdata.LanguagesByName(lang) {
		out = append(out, option{Value: l.Name(lang) + " (" + l.Code() + ")", Label: l.Name(lang)})
	}
	return out
}

func ageText(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// serviceFormOf fills the form of service s, naming languages in lang.
func serviceFormOf(s *services.Service, lang string) serviceForm {
	f := serviceForm{ID: s.ID, Version: s.Version, OrganisationID: s.OrganisationID, Name: s.Name, AlternateName: s.AlternateName,
		Description: s.Description, URL: s.URL, Email: s.Email, Types: s.Types, Eligibility: s.Eligibility,
		MinAge: ageText(s.MinAge), MaxAge: ageText(s.MaxAge), AreaIDs: s.AreaIDs, Interpretation: s.Interpretation,
		ApplicationProcess: s.ApplicationProcess, Fees: s.Fees, RequiredDocuments: strings.Join(s.RequiredDocuments, "\n"),
		Contacts: s.Contacts, Active: s.Active}
	for _, k := range s.CaseKinds {
		f.CaseKinds = append(f.CaseKinds, string(k))
	}
	for _, l := range s.Languages {
		f.Languages = append(f.Languages, languageValue(l, lang))
	}
	if s.ResponseDays > 0 {
		f.ResponseDays = strconv.Itoa(s.ResponseDays)
	}
	for _, x := range s.Schedules {
		f.Schedules = append(f.Schedules, scheduleRow{Days: x.Days, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description})
	}
	return f
}

// readServiceForm reads the posted form into the form, to show again, and
// into the service, to save. Rows left empty are dropped from both, so that
// a problem names the row as the form shows it again. Problems only the
// form can have, such as an age that is not a number, are returned apart.
func readServiceForm(r *http.Request, id int64) (serviceForm, *services.Service, []approdo.FieldError) {
	var problems []approdo.FieldError
	v := func(name string) string { return r.PostFormValue(name) }
	f := serviceForm{ID: id, Version: formVersion(r), OrganisationID: formID(r, "organisation_id"), Name: v("name"),
		AlternateName: v("alternate_name"), Description: v("description"), URL: v("url"), Email: v("email"),
		Types: r.PostForm["service_types"], CaseKinds: r.PostForm["case_kinds"], Eligibility: v("eligibility"),
		MinAge: strings.TrimSpace(v("min_age")), MaxAge: strings.TrimSpace(v("max_age")), AreaIDs: formIDs(r, "area_ids"),
		Interpretation: v("interpretation_services"), ApplicationProcess: v("application_process"), Fees: v("fees_description"),
		RequiredDocuments: v("required_documents"), ResponseDays: strings.TrimSpace(v("response_days")),
		Active: v("status") == "active"}
	for _, l := range r.PostForm["languages"] {
		if strings.TrimSpace(l) != "" {
			f.Languages = append(f.Languages, l)
		}
	}
	for n := 0; n <= services.MaxRows*2; n++ {
		p := "schedules." + strconv.Itoa(n) + "."
		if _, ok := r.PostForm[p+"description"]; !ok {
			break
		}
		row := scheduleRow{Days: r.PostForm[p+"days"], OpensAt: strings.TrimSpace(v(p + "opens_at")),
			ClosesAt: strings.TrimSpace(v(p + "closes_at")), Description: v(p + "description")}
		if len(row.Days) > 0 || row.OpensAt != "" || row.ClosesAt != "" || strings.TrimSpace(row.Description) != "" {
			f.Schedules = append(f.Schedules, row)
		}
	}
	for n := 0; n <= services.MaxRows*2; n++ {
		p := "contacts." + strconv.Itoa(n) + "."
		if _, ok := r.PostForm[p+"name"]; !ok {
			break
		}
		c := services.Contact{Name: v(p + "name"), Title: v(p + "title"), Phone: v(p + "phone"), Email: v(p + "email")}
		if strings.TrimSpace(c.Name+c.Title+c.Phone+c.Email) != "" {
			f.Contacts = append(f.Contacts, c)
		}
	}
	s := &services.Service{ID: id, Version: f.Version, OrganisationID: f.OrganisationID, Name: f.Name, AlternateName: f.AlternateName,
		Description: f.Description, URL: f.URL, Email: f.Email, Types: f.Types, Eligibility: f.Eligibility, AreaIDs: f.AreaIDs,
		Interpretation: f.Interpretation, ApplicationProcess: f.ApplicationProcess, Fees: f.Fees,
		RequiredDocuments: strings.Split(f.RequiredDocuments, "\n"), Contacts: f.Contacts, Active: f.Active}
	for _, k := range f.CaseKinds {
		s.CaseKinds = append(s.CaseKinds, cases.Kind(k))
	}
	for _, l := range f.Languages {
		s.Languages = append(s.Languages, languageCode(l))
	}
	for _, x := range f.Schedules {
		s.Schedules = append(s.Schedules, services.Schedule{Days: x.Days, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description})
	}
	number := func(field, text string) (int, bool) {
		if text == "" {
			return 0, false
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: field, Message: "error.service.number"})
			return 0, false
		}
		return n, true
	}
	if n, ok := number("min_age", f.MinAge); ok {
		s.MinAge = &n
	}
	if n, ok := number("max_age", f.MaxAge); ok {
		s.MaxAge = &n
	}
	s.ResponseDays, _ = number("response_days", f.ResponseDays)
	return f, s, problems
}

// renderServiceForm shows the form of a service with status, with a blank
// row of opening hours and of contacts to add.
func (h *Handler) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, f serviceForm) {
	orgs, err := h.serviceDirectory().Organisations(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	areas, _, err := h.areasAndOrganisations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	f.Choices = serviceChoices{Organisations: orgs, Areas: areas, Types: services.Types, Kinds: cases.Kinds,
		Weekdays: services.Weekdays, Languages: serviceLanguageChoices(l),
		Max: map[string]int{"name": services.MaxName, "text": services.MaxText, "short": services.MaxShort}}
	if f.ID == 0 && f.OrganisationID == 0 && len(orgs) > 0 {
		actor := auth.ActorFrom(r.Context())
		if slices.ContainsFunc(orgs, func(o network.Organisation) bool { return o.ID == actor.Organisation.ID }) {
			f.OrganisationID = actor.Organisation.ID
		}
	}
	f.Schedules = append(f.Schedules, scheduleRow{})
	f.Contacts = append(f.Contacts, services.Contact{})
	for len(f.Languages) < 3 {
		f.Languages = append(f.Languages, "")
	}
	f.Languages = append(f.Languages, "")
	title := "services.new"
	if f.ID != 0 {
		title = "services.edit"
	}
	h.render(w, r, status, "service_form", h.newPage(r, title, f))
}

// saveService reads the posted form of service id (0 for a new one) and
// saves it with save. Problems of the form and of the service are shown
// together, each beside its field, with everything typed; an edit made from
// an older version shows what was saved meanwhile, with status 409, and
// carries the current version, so that saving again applies it.
func (h *Handler) saveService(w http.ResponseWriter, r *http.Request, id int64, save func(*services.Service) error) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, approdo.Errorf(approdo.EINVALID, "error.invalid"))
		return
	}
	actor := auth.ActorFrom(r.Context())
	dir := h.serviceDirectory()
	form, in, problems := readServiceForm(r, id)
	var err error
	if len(problems) == 0 {
		err = save(in)
	} else {
		// Someone who may not edit the service learns nothing from their
		// input: it is not found before it is judged.
		if id != 0 {
			if old, ferr := dir.Find(r.Context(), actor, id); ferr != nil || !servicedir.CanEdit(actor, old) {
				h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
				return
			}
		}
		check := *in
		check.Normalize()
		var more []approdo.FieldError
		for _, f := range approdo.ErrorFields(services.Check(&check)) {
			if !slices.ContainsFunc(problems, func(p approdo.FieldError) bool { return p.Field == f.Field }) {
				more = append(more, f)
			}
		}
		err = approdo.Invalid(append(problems, more...)...)
	}
	switch c := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/services/"+strconv.FormatInt(in.ID, 10)+"?saved", http.StatusSeeOther)
	case id != 0 && servicedir.IsStale(err):
		current, cerr := dir.Find(r.Context(), actor, id)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = current.Version
		h.stale(r, &form.formState, current.Changes(in), h.serviceSaved(r, current))
		h.renderServiceForm(w, r, http.StatusConflict, form)
	case c == approdo.EINVALID:
		form.Errors = h.formErrors(r, err)
		h.renderServiceForm(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}

// serviceSaved writes a saved value of a service's field for a conflict
// note.
func (h *Handler) serviceSaved(r *http.Request, s *services.Service) func(string) string {
	l := lang(r.Context())
	return func(field string) string {
		switch field {
		case "name":
			return s.Name
		case "alternate_name":
			return s.AlternateName
		case "description":
			return s.Description
		case "url":
			return s.URL
		case "email":
			return s.Email
		case "eligibility":
			return s.Eligibility
		case "min_age":
			return ageText(s.MinAge)
		case "max_age":
			return ageText(s.MaxAge)
		case "interpretation_services":
			return s.Interpretation
		case "application_process":
			return s.ApplicationProcess
		case "fees_description":
			return s.Fees
		case "response_days":
			return strconv.Itoa(s.ResponseDays)
		case "required_documents":
			return strings.Join(s.RequiredDocuments, "; ")
		case "service_types":
			var names []string
			for _, t := range s.Types {
				names = append(names, h.Catalogue.T(l, "service.type."+t))
			}
			return strings.Join(names, ", ")
		case "languages":
			var names []string
			for _, c := range s.Languages {
				names = append(names, languageValue(c, l))
			}
			return strings.Join(names, ", ")
		case "status":
			return h.Catalogue.T(l, "service.status."+s.Status())
		}
		return ""
	}
}
