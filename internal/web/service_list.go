package web

import (
	"net/http"
	"net/url"
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

// servicesPerPage is how many services a page of the directory lists.
const servicesPerPage = 25

// serviceQuery is the directory's search as the URL carries it, so that a
// search can be bookmarked and shared.
type serviceQuery struct {
	Q, Type, Kind, Language, Age string
	Area, Org                    int64
	Interpretation, Inactive     bool
	Page                         int
}

// serviceRow is a service as a page shows it: with the names of its
// organisation, areas and languages.
type serviceRow struct {
	services.Service
	Organisation string
	Areas        []string
	Languages    []string
	CanEdit      bool
}

// HasMinAge reports whether the service has a lowest age.
func (r serviceRow) HasMinAge() bool { return r.MinAge != nil }

// HasMaxAge reports whether the service has a highest age.
func (r serviceRow) HasMaxAge() bool { return r.MaxAge != nil }

// Min returns the lowest age served, or 0.
func (r serviceRow) Min() int {
	if r.MinAge == nil {
		return 0
	}
	return *r.MinAge
}

// Max returns the highest age served, or 0.
func (r serviceRow) Max() int {
	if r.MaxAge == nil {
		return 0
	}
	return *r.MaxAge
}

// serviceListPage is what the directory's page shows.
type serviceListPage struct {
	Query     serviceQuery
	Results   []serviceRow
	Errors    []formError
	Filtered  bool
	PrevURL   string
	NextURL   string
	CanCreate bool
	CanImport bool
	Choices   serviceChoices
}

// readServiceQuery reads the directory's search from the URL. An age that
// is not a number is a problem, and the search ignores it.
func readServiceQuery(v url.Values) (serviceQuery, services.Filter, []approdo.FieldError) {
	q := serviceQuery{Q: strings.TrimSpace(v.Get("q")), Type: v.Get("type"), Kind: v.Get("kind"),
		Language: strings.TrimSpace(v.Get("lang")), Age: strings.TrimSpace(v.Get("age")), Area: parseID(v.Get("area")),
		Org: parseID(v.Get("org")), Interpretation: v.Get("interpretation") != "", Inactive: v.Get("inactive") != ""}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	f := services.Filter{Text: q.Q, Type: q.Type, CaseKind: cases.Kind(q.Kind), AreaID: q.Area, OrganisationID: q.Org,
		Interpretation: q.Interpretation, Inactive: q.Inactive, Age: services.AnyAge}
	if q.Language != "" {
		f.Language = languageCode(q.Language)
	}
	var problems []approdo.FieldError
	if q.Age != "" {
		age, err := strconv.Atoi(q.Age)
		if err != nil || age < 0 || age > services.MaxAge {
			problems = append(problems, approdo.FieldError{Field: "age", Message: "error.service.age", Args: []any{services.MaxAge}})
		} else {
			f.Age = age
		}
	}
	return q, f, problems
}

// URL writes the search as the directory's URL, on page n.
func (q serviceQuery) URL(n int) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Q)
	set("type", q.Type)
	set("kind", q.Kind)
	set("lang", q.Language)
	set("age", q.Age)
	if q.Area > 0 {
		v.Set("area", strconv.FormatInt(q.Area, 10))
	}
	if q.Org > 0 {
		v.Set("org", strconv.FormatInt(q.Org, 10))
	}
	if q.Interpretation {
		v.Set("interpretation", "1")
	}
	if q.Inactive {
		v.Set("inactive", "1")
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/services"
	}
	return "/services?" + v.Encode()
}

// listServices shows the directory, searched by words, need, area,
// language, age, kind of case and organisation.
func (h *Handler) listServices(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	q, filter, problems := readServiceQuery(r.URL.Query())
	offset := (q.Page - 1) * servicesPerPage
	found, err := h.serviceDirectory().Search(r.Context(), actor, filter, servicesPerPage+1, offset)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	areas, orgs, err := h.areasAndOrganisations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	d := serviceListPage{Query: q, CanCreate: servicedir.CanCreate(actor), CanImport: servicedir.CanExchange(actor),
		Filtered: q.URL(1) != "/services",
		Choices: serviceChoices{Organisations: orgs, Areas: areas, Types: services.Types, Kinds: cases.Kinds,
			Languages: serviceLanguageChoices(l)}}
	if len(problems) > 0 {
		d.Errors = h.formErrors(r, approdo.Invalid(problems...))
	}
	if len(found) > servicesPerPage {
		found, d.NextURL = found[:servicesPerPage], q.URL(q.Page+1)
	}
	if q.Page > 1 {
		d.PrevURL = q.URL(q.Page - 1)
	}
	for i := range found {
		d.Results = append(d.Results, serviceRowOf(&found[i], actor, areas, orgs, l))
	}
	h.render(w, r, http.StatusOK, "services", h.newPage(r, "services.title", d))
}

// serviceRowOf names the organisation, areas and languages of s in lang.
func serviceRowOf(s *services.Service, actor *auth.Actor, areas []network.Area, orgs []network.Organisation, lang string) serviceRow {
	row := serviceRow{Service: *s, CanEdit: servicedir.CanEdit(actor, s)}
	if i := slices.IndexFunc(orgs, func(o network.Organisation) bool { return o.ID == s.OrganisationID }); i >= 0 {
		row.Organisation = orgs[i].Name
	}
	for _, a := range areas {
		if slices.Contains(s.AreaIDs, a.ID) {
			row.Areas = append(row.Areas, a.Name)
		}
	}
	for _, c := range s.Languages {
		name := c
		if l, ok := refdata.LookupLanguage(c); ok {
			name = l.Name(lang)
		}
		row.Languages = append(row.Languages, name)
	}
	return row
}
