package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"approdo"
	"approdo/cases"
	"approdo/network"
	"approdo/refdata"
	"approdo/services"
)

// The HSDS taxonomies under which an export lists what HSDS has no field
// for: the types of service, the kinds of case served and the expected
// response time.
const (
	TaxonomyServiceType = "approdo-service-type"
	TaxonomyCaseKind    = "approdo-case-kind"
	TaxonomyResponse    = "approdo-response-days"
	// AreaURIPrefix starts the URI of an area served, followed by the
	// area's code.
	AreaURIPrefix = "urn:approdo:area:"
)

// HSDSService is a service as Open Referral HSDS 3 writes it. The
// organization_id is the organisation's code and the id the service's UID,
// both stable from one Approdo to another; the ids of the nested records are
// made from the service's, so that an export is the same every time.
type HSDSService struct {
	ID                     string          `json:"id"`
	OrganizationID         string          `json:"organization_id"`
	Name                   string          `json:"name"`
	AlternateName          string          `json:"alternate_name,omitempty"`
	Description            string          `json:"description,omitempty"`
	URL                    string          `json:"url,omitempty"`
	Email                  string          `json:"email,omitempty"`
	Status                 string          `json:"status"`
	InterpretationServices string          `json:"interpretation_services,omitempty"`
	ApplicationProcess     string          `json:"application_process,omitempty"`
	FeesDescription        string          `json:"fees_description,omitempty"`
	EligibilityDescription string          `json:"eligibility_description,omitempty"`
	MinimumAge             *float64        `json:"minimum_age,omitempty"`
	MaximumAge             *float64        `json:"maximum_age,omitempty"`
	Languages              []HSDSLanguage  `json:"languages"`
	ServiceAreas           []HSDSArea      `json:"service_areas"`
	Schedules              []HSDSSchedule  `json:"schedules"`
	RequiredDocuments      []HSDSDocument  `json:"required_documents"`
	Contacts               []HSDSContact   `json:"contacts"`
	Attributes             []HSDSAttribute `json:"attributes"`
}

// HSDSLanguage is a language a service is offered in.
type HSDSLanguage struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Code string `json:"code"`
}

// HSDSArea is an area a service serves; its URI names the area's code.
type HSDSArea struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	URI  string `json:"uri,omitempty"`
}

// HSDSSchedule is a slice of opening hours.
type HSDSSchedule struct {
	ID          string `json:"id"`
	Freq        string `json:"freq,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// HSDSDocument is a document needed to use a service.
type HSDSDocument struct {
	ID       string `json:"id"`
	Document string `json:"document"`
}

// HSDSContact is a named contact of a service.
type HSDSContact struct {
	ID     string      `json:"id"`
	Name   string      `json:"name,omitempty"`
	Title  string      `json:"title,omitempty"`
	Email  string      `json:"email,omitempty"`
	Phones []HSDSPhone `json:"phones,omitempty"`
}

// HSDSPhone is a telephone number.
type HSDSPhone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

// HSDSAttribute links a service to a taxonomy term, with a value for the
// response time.
type HSDSAttribute struct {
	ID           string           `json:"id"`
	LinkID       string           `json:"link_id,omitempty"`
	LinkType     string           `json:"link_type,omitempty"`
	LinkEntity   string           `json:"link_entity,omitempty"`
	Value        string           `json:"value,omitempty"`
	TaxonomyTerm HSDSTaxonomyTerm `json:"taxonomy_term"`
}

// HSDSTaxonomyTerm is a term of a taxonomy.
type HSDSTaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy"`
}

// refs resolves the codes of organisations and areas, both ways.
type refs struct {
	orgs  []network.Organisation
	areas []network.Area
}

func (r refs) orgCode(id int64) string {
	if i := slices.IndexFunc(r.orgs, func(o network.Organisation) bool { return o.ID == id }); i >= 0 {
		return r.orgs[i].Code
	}
	return ""
}

func (r refs) orgID(code string) int64 {
	code = network.NormalizeCode(code)
	if i := slices.IndexFunc(r.orgs, func(o network.Organisation) bool { return o.Code == code }); i >= 0 {
		return r.orgs[i].ID
	}
	return 0
}

func (r refs) area(id int64) (network.Area, bool) {
	i := slices.IndexFunc(r.areas, func(a network.Area) bool { return a.ID == id })
	if i < 0 {
		return network.Area{}, false
	}
	return r.areas[i], true
}

// areaID finds the area an HSDS service area names: by the code in its URI,
// else by its name or code.
func (r refs) areaID(x HSDSArea) int64 {
	if code, ok := strings.CutPrefix(strings.TrimSpace(x.URI), AreaURIPrefix); ok {
		code = network.NormalizeCode(code)
		if i := slices.IndexFunc(r.areas, func(a network.Area) bool { return a.Code == code }); i >= 0 {
			return r.areas[i].ID
		}
		return 0
	}
	name := strings.TrimSpace(x.Name)
	if i := slices.IndexFunc(r.areas, func(a network.Area) bool {
		return strings.EqualFold(a.Name, name) || a.Code == network.NormalizeCode(name)
	}); i >= 0 {
		return r.areas[i].ID
	}
	return 0
}

// toHSDS writes s as HSDS, naming types and kinds in English.
func (d *Service) toHSDS(s *services.Service, r refs) HSDSService {
	id := s.UID
	out := HSDSService{ID: id, OrganizationID: r.orgCode(s.OrganisationID), Name: s.Name, AlternateName: s.AlternateName,
		Description: s.Description, URL: s.URL, Email: s.Email, Status: s.Status(),
		InterpretationServices: s.Interpretation, ApplicationProcess: s.ApplicationProcess, FeesDescription: s.Fees,
		EligibilityDescription: s.Eligibility, MinimumAge: age(s.MinAge), MaximumAge: age(s.MaxAge),
		Languages: []HSDSLanguage{}, ServiceAreas: []HSDSArea{}, Schedules: []HSDSSchedule{},
		RequiredDocuments: []HSDSDocument{}, Contacts: []HSDSContact{}, Attributes: []HSDSAttribute{}}
	for _, c := range s.Languages {
		l := HSDSLanguage{ID: id + "-language-" + c, Code: c}
		if lang, ok := refdata.LookupLanguage(c); ok {
			l.Name = lang.English
		}
		out.Languages = append(out.Languages, l)
	}
	for _, a := range s.AreaIDs {
		if area, ok := r.area(a); ok {
			out.ServiceAreas = append(out.ServiceAreas, HSDSArea{ID: id + "-area-" + area.Code, Name: area.Name, URI: AreaURIPrefix + area.Code})
		}
	}
	for n, x := range s.Schedules {
		h := HSDSSchedule{ID: id + "-schedule-" + strconv.Itoa(n+1), ByDay: strings.Join(x.Days, ","),
			OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description}
		if h.ByDay != "" {
			h.Freq = "WEEKLY"
		}
		out.Schedules = append(out.Schedules, h)
	}
	for n, doc := range s.RequiredDocuments {
		out.RequiredDocuments = append(out.RequiredDocuments, HSDSDocument{ID: id + "-document-" + strconv.Itoa(n+1), Document: doc})
	}
	for n, c := range s.Contacts {
		cid := id + "-contact-" + strconv.Itoa(n+1)
		h := HSDSContact{ID: cid, Name: c.Name, Title: c.Title, Email: c.Email}
		if c.Phone != "" {
			h.Phones = []HSDSPhone{{ID: cid + "-phone", Number: c.Phone}}
		}
		out.Contacts = append(out.Contacts, h)
	}
	attr := func(taxonomy, code, name, value string) {
		out.Attributes = append(out.Attributes, HSDSAttribute{ID: id + "-" + taxonomy + "-" + code, LinkID: id,
			LinkType: "service", LinkEntity: "service", Value: value,
			TaxonomyTerm: HSDSTaxonomyTerm{ID: taxonomy + "-" + code, Code: code, Name: name, Description: name, Taxonomy: taxonomy}})
	}
	for _, t := range s.Types {
		attr(TaxonomyServiceType, t, d.english("service.type."+t), "")
	}
	for _, k := range s.CaseKinds {
		attr(TaxonomyCaseKind, string(k), d.english("case_kind."+string(k)), "")
	}
	if s.ResponseDays > 0 {
		attr(TaxonomyResponse, "response_days", d.english("service.response_days_term"), strconv.Itoa(s.ResponseDays))
	}
	return out
}

func (d *Service) english(key string) string {
	if d.Catalogue == nil {
		return key
	}
	return d.Catalogue.T("en", key)
}

func age(v *int) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// fromHSDS reads an HSDS service, reporting the problems that Check cannot
// see (an unknown organisation or area, an age that is not a whole number)
// under the field names of the forms.
func fromHSDS(h *HSDSService, r refs) (*services.Service, []approdo.FieldError) {
	var p []approdo.FieldError
	add := func(field, msg string, args ...any) {
		p = append(p, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	s := &services.Service{UID: h.ID, Name: h.Name, AlternateName: h.AlternateName, Description: h.Description,
		URL: h.URL, Email: h.Email, Interpretation: h.InterpretationServices, ApplicationProcess: h.ApplicationProcess,
		Fees: h.FeesDescription, Eligibility: h.EligibilityDescription}
	switch strings.ToLower(strings.TrimSpace(h.Status)) {
	case "active":
		s.Active = true
	case "inactive", "defunct", "temporarily closed":
	case "":
		add("status", "error.field.required")
	default:
		add("status", "error.field.unknown_value")
	}
	if code := strings.TrimSpace(h.OrganizationID); code == "" {
		add("organisation_id", "error.field.required")
	} else if s.OrganisationID = r.orgID(code); s.OrganisationID == 0 {
		add("organisation_id", "error.service.unknown_organisation", code)
	}
	wholeAge := func(field string, f *float64) *int {
		if f == nil {
			return nil
		}
		if *f != math.Trunc(*f) || *f < 0 || *f > services.MaxAge {
			add(field, "error.service.age", services.MaxAge)
			return nil
		}
		n := int(*f)
		return &n
	}
	s.MinAge, s.MaxAge = wholeAge("min_age", h.MinimumAge), wholeAge("max_age", h.MaximumAge)
	for _, l := range h.Languages {
		s.Languages = append(s.Languages, l.Code)
	}
	for _, a := range h.ServiceAreas {
		id := r.areaID(a)
		if id == 0 {
			add("area_ids", "error.service.unknown_area", strings.TrimPrefix(a.URI+" "+a.Name, " "))
			continue
		}
		s.AreaIDs = append(s.AreaIDs, id)
	}
	for _, x := range h.Schedules {
		var days []string
		if x.ByDay != "" {
			days = strings.Split(x.ByDay, ",")
		}
		s.Schedules = append(s.Schedules, services.Schedule{Days: days, OpensAt: x.OpensAt, ClosesAt: x.ClosesAt, Description: x.Description})
	}
	for _, doc := range h.RequiredDocuments {
		s.RequiredDocuments = append(s.RequiredDocuments, doc.Document)
	}
	for _, c := range h.Contacts {
		sc := services.Contact{Name: c.Name, Title: c.Title, Email: c.Email}
		if len(c.Phones) > 0 {
			sc.Phone = c.Phones[0].Number
		}
		s.Contacts = append(s.Contacts, sc)
	}
	for _, a := range h.Attributes {
		t := a.TaxonomyTerm
		switch t.Taxonomy {
		case TaxonomyServiceType:
			s.Types = append(s.Types, t.Code)
		case TaxonomyCaseKind:
			s.CaseKinds = append(s.CaseKinds, cases.Kind(t.Code))
		case TaxonomyResponse:
			n, err := strconv.Atoi(strings.TrimSpace(a.Value))
			if err != nil {
				add("response_days", "error.service.response_days", services.MaxDays)
			}
			s.ResponseDays = n
		}
	}
	return s, p
}

// WriteJSON writes list as an indented JSON array of HSDS services.
func WriteJSON(w io.Writer, list []HSDSService) error {
	if list == nil {
		list = []HSDSService{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}

// ReadJSON reads HSDS services: a JSON array of them, or an HSDS API page
// with the services in "contents". It returns EINVALID on the field "import_file"
// when the file is not such JSON.
func ReadJSON(r io.Reader) ([]HSDSService, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("directory: unable to read the file: %w", err)
	}
	bad := func(err error) error {
		return approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.service.bad_json", Args: []any{err.Error()}})
	}
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var list []HSDSService
		if err := json.Unmarshal(t, &list); err != nil {
			return nil, bad(err)
		}
		return list, nil
	}
	var page struct {
		Contents *[]HSDSService `json:"contents"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		return nil, bad(err)
	} else if page.Contents == nil {
		return nil, bad(errors.New("no list of services"))
	}
	return *page.Contents, nil
}
