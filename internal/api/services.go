package api

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/directory"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/refdata"
	"approdo/services"
)

// The service directory: searched by need, area, language, age and kind of
// case by everyone who reads the network's directory, edited by the
// organisation that offers each service through the same service as the
// UI, imported by administrators and exported by anyone who reads it, as
// Open Referral HSDS JSON or CSV. An update names the version it was made
// from and answers 409 when the service moved on.

// dir returns the directory over the API's database.
func (a *API) dir() *directory.Service { return directory.New(a.DB, a.Catalogue) }

// serviceJSON is a service as the API shows it.
type serviceJSON struct {
	ID                 int64             `json:"id"`
	UID                string            `json:"uid"`
	OrganisationID     int64             `json:"organisation_id"`
	Name               string            `json:"name"`
	AlternateName      string            `json:"alternate_name"`
	Description        string            `json:"description"`
	URL                string            `json:"url"`
	Email              string            `json:"email"`
	ServiceTypes       []string          `json:"service_types"`
	CaseKinds          []string          `json:"case_kinds"`
	Eligibility        string            `json:"eligibility"`
	MinAge             *int              `json:"min_age"`
	MaxAge             *int              `json:"max_age"`
	AreaIDs            []int64           `json:"area_ids"`
	Languages          []string          `json:"languages"`
	Interpretation     string            `json:"interpretation_services"`
	ApplicationProcess string            `json:"application_process"`
	Fees               string            `json:"fees_description"`
	RequiredDocuments  []string          `json:"required_documents"`
	ResponseDays       int               `json:"response_days"`
	Schedules          []scheduleJSON    `json:"schedules"`
	Contacts           []serviceContact  `json:"contacts"`
	Status             string            `json:"status"`
	Version            int               `json:"version"`
	CreatedAt          *time.Time        `json:"created_at,omitempty"`
	UpdatedAt          *time.Time        `json:"updated_at,omitempty"`
	Names              *serviceNamesJSON `json:"names,omitempty"`
}

// serviceNamesJSON names a service's codes in the request's language, for
// clients that show it; ignored when sent back.
type serviceNamesJSON struct {
	ServiceTypes []string `json:"service_types"`
	Languages    []string `json:"languages"`
}

type scheduleJSON struct {
	Days        []string `json:"days"`
	OpensAt     string   `json:"opens_at"`
	ClosesAt    string   `json:"closes_at"`
	Description string   `json:"description"`
}

type serviceContact struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// serviceView writes s for the API, naming its codes in lang.
func (a *API) serviceView(s *services.Service, lang string) serviceJSON {
	out := serviceJSON{ID: s.ID, UID: s.UID, OrganisationID: s.OrganisationID, Name: s.Name, AlternateName: s.AlternateName,
		Description: s.Description, URL: s.URL, Email: s.Email, ServiceTypes: nonNil(s.Types), CaseKinds: []string{},
		Eligibility: s.Eligibility, MinAge: s.MinAge, MaxAge: s.MaxAge, AreaIDs: s.AreaIDs, Languages: nonNil(s.Languages),
		Interpretation: s.Interpretation, ApplicationProcess: s.ApplicationProcess, Fees: s.Fees,
		RequiredDocuments: nonNil(s.RequiredDocuments), ResponseDays: s.ResponseDays, Schedules: []scheduleJSON{},
		Contacts: []serviceContact{}, Status: s.Status(), Version: s.Version, CreatedAt: &s.CreatedAt, UpdatedAt: &s.UpdatedAt,
		Names: &serviceNamesJSON{ServiceTypes: []string{}, Languages: []string{}}}
	if out.AreaIDs == nil {
		out.AreaIDs = []int64{}
	}
	for _, k := range s.CaseKinds {
		out.CaseKinds = append(out.CaseKinds, string(k))
	}
	for _, x := range s.Schedules {
		out.Schedules = append(out.Schedules, scheduleJSON{Days: nonNil(x.Days), OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description})
	}
	for _, c := range s.Contacts {
		out.Contacts = append(out.Contacts, serviceContact(c))
	}
	for _, t := range s.Types {
		out.Names.ServiceTypes = append(out.Names.ServiceTypes, a.Catalogue.T(lang, "service.type."+t))
	}
	for _, c := range s.Languages {
		name := c
		if l, ok := refdata.LookupLanguage(c); ok {
			name = l.Name(lang)
		}
		out.Names.Languages = append(out.Names.Languages, name)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// service turns the body into a service. A missing status means active;
// the fields only the API shows (id, uid, times, names) are ignored, so
// that a service read can be sent back.
func (b serviceJSON) service() (*services.Service, error) {
	s := &services.Service{OrganisationID: b.OrganisationID, Name: b.Name, AlternateName: b.AlternateName,
		Description: b.Description, URL: b.URL, Email: b.Email, Types: b.ServiceTypes, Eligibility: b.Eligibility,
		MinAge: b.MinAge, MaxAge: b.MaxAge, AreaIDs: b.AreaIDs, Languages: b.Languages, Interpretation: b.Interpretation,
		ApplicationProcess: b.ApplicationProcess, Fees: b.Fees, RequiredDocuments: b.RequiredDocuments,
		ResponseDays: b.ResponseDays, Version: b.Version}
	for _, k := range b.CaseKinds {
		s.CaseKinds = append(s.CaseKinds, cases.Kind(k))
	}
	for _, x := range b.Schedules {
		s.Schedules = append(s.Schedules, services.Schedule{Days: x.Days, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description})
	}
	for _, c := range b.Contacts {
		s.Contacts = append(s.Contacts, services.Contact(c))
	}
	switch b.Status {
	case "", "active":
		s.Active = true
	case "inactive":
	default:
		return nil, approdo.Invalid(approdo.FieldError{Field: "status", Message: "error.field.unknown_value"})
	}
	return s, nil
}

// serviceFilter reads the directory's search from the query string: q,
// type, area, lang, age, kind, org, interpretation and inactive.
func serviceFilter(r *http.Request) (services.Filter, error) {
	v := r.URL.Query()
	f := services.Filter{Text: v.Get("q"), Type: v.Get("type"), CaseKind: cases.Kind(v.Get("kind")), Age: services.AnyAge,
		Interpretation: v.Get("interpretation") == "true" || v.Get("interpretation") == "1",
		Inactive:       v.Get("inactive") == "true" || v.Get("inactive") == "1"}
	var problems []approdo.FieldError
	id := func(name string) int64 {
		s := v.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			problems = append(problems, approdo.FieldError{Field: name, Message: "error.field.unknown_reference"})
		}
		return n
	}
	f.AreaID, f.OrganisationID = id("area"), id("org")
	if l := strings.TrimSpace(v.Get("lang")); l != "" {
		lang, ok := refdata.LookupLanguage(l)
		if !ok {
			problems = append(problems, approdo.FieldError{Field: "lang", Message: "error.field.language_code", Args: []any{l}})
		}
		f.Language = lang.Code()
	}
	if s := v.Get("age"); s != "" {
		age, err := strconv.Atoi(s)
		if err != nil || age < 0 || age > services.MaxAge {
			problems = append(problems, approdo.FieldError{Field: "age", Message: "error.service.age", Args: []any{services.MaxAge}})
		}
		f.Age = age
	}
	if len(problems) > 0 {
		return f, approdo.Invalid(problems...)
	}
	return f, nil
}

// listServices returns the services the query selects, by name: active
// ones unless inactive=true.
func (a *API) listServices(w http.ResponseWriter, r *http.Request) {
	f, err := serviceFilter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.dir().Search(r.Context(), auth.ActorFrom(r.Context()), f, 0, 0)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	lang := i18n.LangFrom(r.Context())
	out := []serviceJSON{}
	for i := range list {
		out = append(out, a.serviceView(&list[i], lang))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// serviceID returns the positive path value "service", or 0.
func serviceID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("service"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// getService returns one service.
func (a *API) getService(w http.ResponseWriter, r *http.Request) {
	s, err := a.dir().Find(r.Context(), auth.ActorFrom(r.Context()), serviceID(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, a.serviceView(s, i18n.LangFrom(r.Context())))
}

// createService adds a service to the directory.
func (a *API) createService(w http.ResponseWriter, r *http.Request) {
	var body serviceJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	s, err := body.service()
	if err == nil {
		err = a.dir().Create(r.Context(), auth.ActorFrom(r.Context()), s)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, a.serviceView(s, i18n.LangFrom(r.Context())))
}

// updateService saves the service the path names from the version the
// body names.
func (a *API) updateService(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	dir := a.dir()
	// A service that does not exist, or that the caller may not edit, is
	// not found before the body is judged.
	old, err := dir.Find(r.Context(), actor, serviceID(r))
	if err == nil && !directory.CanEdit(actor, old) {
		err = errNotFound()
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var body serviceJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	s, err := body.service()
	if err == nil {
		s.ID = old.ID
		err = dir.Update(r.Context(), actor, s)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	saved, err := dir.Find(r.Context(), actor, s.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, a.serviceView(saved, i18n.LangFrom(r.Context())))
}

// exportServices returns the whole directory as HSDS: a JSON array, or CSV
// with format=csv. The export is audited.
func (a *API) exportServices(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv":
	default:
		a.fail(w, r, approdo.Invalid(approdo.FieldError{Field: "format", Message: "error.field.unknown_value"}))
		return
	}
	list, err := a.dir().Export(r.Context(), auth.ActorFrom(r.Context()), format)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if format == "csv" {
		err = directory.WriteCSV(&buf, list)
	} else {
		err = directory.WriteJSON(&buf, list)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// importResultJSON counts what an import did.
type importResultJSON struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// importServices imports HSDS services sent as JSON (application/json) or
// CSV (text/csv): all of them or, if one is bad, none, naming each problem
// as "services.N.FIELD".
func (a *API) importServices(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	if !directory.CanExchange(actor) {
		a.fail(w, r, errNotFound())
		return
	}
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	content, err := io.ReadAll(r.Body)
	if err != nil {
		a.fail(w, r, approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.field.too_large"}))
		return
	}
	var list []directory.HSDSService
	switch media {
	case "application/json":
		list, err = directory.ReadJSON(bytes.NewReader(content))
	case "text/csv":
		list, err = directory.ReadCSV(bytes.NewReader(content))
	default:
		err = approdo.Errorf(approdo.EINVALID, "error.service.import_type")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	res, err := a.dir().Import(r.Context(), actor, list)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, importResultJSON{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
}
