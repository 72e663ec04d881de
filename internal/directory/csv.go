package directory

import (
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"approdo"
)

// The CSV form of the directory has one row per service, under HSDS's
// column names. Lists of codes (service_types, case_kinds, languages,
// service_areas by area code) are separated by ";"; the rows of a service
// (required documents, schedules, contacts) take numbered columns
// (required_document_1, schedule_1_byday, contact_1_phone…), as many as the
// service with most of them needs.

// csvColumns are the columns of one service, in order.
var csvColumns = []string{
	"id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
	"service_types", "case_kinds", "response_days", "eligibility_description", "minimum_age", "maximum_age",
	"languages", "interpretation_services", "application_process", "fees_description", "service_areas",
}

var (
	scheduleFields = []string{"byday", "opens_at", "closes_at", "description"}
	contactFields  = []string{"name", "title", "phone", "email"}
	numbered       = regexp.MustCompile(`^(required_document|schedule|contact)_([1-9][0-9]{0,2})(?:_([a-z_]+))?$`)
)

func joinCodes(codes []string) string { return strings.Join(codes, ";") }

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ";") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func ageText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// WriteCSV writes list as CSV, one service a row.
func WriteCSV(w io.Writer, list []HSDSService) error {
	docs, schedules, contacts := 0, 0, 0
	for _, h := range list {
		docs, schedules, contacts = max(docs, len(h.RequiredDocuments)), max(schedules, len(h.Schedules)), max(contacts, len(h.Contacts))
	}
	header := slices.Clone(csvColumns)
	for n := 1; n <= docs; n++ {
		header = append(header, "required_document_"+strconv.Itoa(n))
	}
	for n := 1; n <= schedules; n++ {
		for _, f := range scheduleFields {
			header = append(header, "schedule_"+strconv.Itoa(n)+"_"+f)
		}
	}
	for n := 1; n <= contacts; n++ {
		for _, f := range contactFields {
			header = append(header, "contact_"+strconv.Itoa(n)+"_"+f)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, h := range list {
		var types, kinds []string
		days := ""
		for _, a := range h.Attributes {
			switch a.TaxonomyTerm.Taxonomy {
			case TaxonomyServiceType:
				types = append(types, a.TaxonomyTerm.Code)
			case TaxonomyCaseKind:
				kinds = append(kinds, a.TaxonomyTerm.Code)
			case TaxonomyResponse:
				days = a.Value
			}
		}
		var langs, areas []string
		for _, l := range h.Languages {
			langs = append(langs, l.Code)
		}
		for _, a := range h.ServiceAreas {
			if code, ok := strings.CutPrefix(a.URI, AreaURIPrefix); ok {
				areas = append(areas, code)
			} else {
				areas = append(areas, a.Name)
			}
		}
		row := []string{h.ID, h.OrganizationID, h.Name, h.AlternateName, h.Description, h.URL, h.Email, h.Status,
			joinCodes(types), joinCodes(kinds), days, h.EligibilityDescription, ageText(h.MinimumAge), ageText(h.MaximumAge),
			joinCodes(langs), h.InterpretationServices, h.ApplicationProcess, h.FeesDescription, joinCodes(areas)}
		for n := range docs {
			if n < len(h.RequiredDocuments) {
				row = append(row, h.RequiredDocuments[n].Document)
			} else {
				row = append(row, "")
			}
		}
		for n := range schedules {
			var x HSDSSchedule
			if n < len(h.Schedules) {
				x = h.Schedules[n]
			}
			row = append(row, x.ByDay, x.OpensAt, x.ClosesAt, x.Description)
		}
		for n := range contacts {
			var c HSDSContact
			if n < len(h.Contacts) {
				c = h.Contacts[n]
			}
			phone := ""
			if len(c.Phones) > 0 {
				phone = c.Phones[0].Number
			}
			row = append(row, c.Name, c.Title, phone, c.Email)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCSV reads services written by WriteCSV (or by hand, with the same
// columns in any order). It returns EINVALID on the field "import_file" for a file
// that is not such CSV, and on "services.N.FIELD" for a value that cannot
// be read, N counting the services from 0.
func ReadCSV(r io.Reader) ([]HSDSService, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	bad := func(msg string, args ...any) error {
		return approdo.Invalid(approdo.FieldError{Field: "import_file", Message: msg, Args: args})
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, bad("error.service.csv_empty")
	} else if err != nil {
		return nil, bad("error.service.bad_csv", err.Error())
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte order mark spreadsheets add
	}
	for _, c := range header {
		if !slices.Contains(csvColumns, c) && !validNumbered(c) {
			return nil, bad("error.service.csv_column", c)
		}
	}
	if !slices.Contains(header, "name") || !slices.Contains(header, "organization_id") {
		return nil, bad("error.service.csv_columns_missing")
	}
	var list []HSDSService
	var problems []approdo.FieldError
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, bad("error.service.bad_csv", err.Error())
		}
		h, p := csvService(header, rec, n)
		list, problems = append(list, h), append(problems, p...)
	}
	if len(problems) > 0 {
		return nil, approdo.Invalid(problems...)
	}
	return list, nil
}

func validNumbered(c string) bool {
	m := numbered.FindStringSubmatch(c)
	switch {
	case m == nil:
		return false
	case m[1] == "required_document":
		return m[3] == ""
	case m[1] == "schedule":
		return slices.Contains(scheduleFields, m[3])
	default:
		return slices.Contains(contactFields, m[3])
	}
}

// csvService reads row n of a CSV file under header.
func csvService(header, rec []string, n int) (HSDSService, []approdo.FieldError) {
	var p []approdo.FieldError
	field := func(name string) string { return "services." + strconv.Itoa(n) + "." + name }
	h := HSDSService{}
	docs := map[int]string{}
	schedules := map[int]*HSDSSchedule{}
	contacts := map[int]*HSDSContact{}
	phones := map[int]string{}
	var types, kinds []string
	days := ""
	for i, col := range header {
		v := ""
		if i < len(rec) {
			v = rec[i]
		}
		switch col {
		case "id":
			h.ID = v
		case "organization_id":
			h.OrganizationID = v
		case "name":
			h.Name = v
		case "alternate_name":
			h.AlternateName = v
		case "description":
			h.Description = v
		case "url":
			h.URL = v
		case "email":
			h.Email = v
		case "status":
			h.Status = v
		case "service_types":
			types = splitCodes(v)
		case "case_kinds":
			kinds = splitCodes(v)
		case "response_days":
			days = strings.TrimSpace(v)
		case "eligibility_description":
			h.EligibilityDescription = v
		case "minimum_age", "maximum_age":
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			f, err := strconv.ParseFloat(v, 64)
			name := map[string]string{"minimum_age": "min_age", "maximum_age": "max_age"}[col]
			if err != nil {
				p = append(p, approdo.FieldError{Field: field(name), Message: "error.service.number"})
				continue
			}
			if col == "minimum_age" {
				h.MinimumAge = &f
			} else {
				h.MaximumAge = &f
			}
		case "languages":
			for _, c := range splitCodes(v) {
				h.Languages = append(h.Languages, HSDSLanguage{Code: c})
			}
		case "interpretation_services":
			h.InterpretationServices = v
		case "application_process":
			h.ApplicationProcess = v
		case "fees_description":
			h.FeesDescription = v
		case "service_areas":
			for _, c := range splitCodes(v) {
				h.ServiceAreas = append(h.ServiceAreas, HSDSArea{Name: c})
			}
		default:
			m := numbered.FindStringSubmatch(col)
			k, _ := strconv.Atoi(m[2])
			switch m[1] {
			case "required_document":
				docs[k] = v
			case "schedule":
				if schedules[k] == nil {
					schedules[k] = &HSDSSchedule{}
				}
				x := schedules[k]
				switch m[3] {
				case "byday":
					x.ByDay = v
				case "opens_at":
					x.OpensAt = v
				case "closes_at":
					x.ClosesAt = v
				case "description":
					x.Description = v
				}
			case "contact":
				if contacts[k] == nil {
					contacts[k] = &HSDSContact{}
				}
				c := contacts[k]
				switch m[3] {
				case "name":
					c.Name = v
				case "title":
					c.Title = v
				case "phone":
					phones[k] = v
				case "email":
					c.Email = v
				}
			}
		}
	}
	for _, k := range sortedKeys(docs) {
		if strings.TrimSpace(docs[k]) != "" {
			h.RequiredDocuments = append(h.RequiredDocuments, HSDSDocument{Document: docs[k]})
		}
	}
	for _, k := range sortedKeys(schedules) {
		if x := schedules[k]; *x != (HSDSSchedule{}) {
			h.Schedules = append(h.Schedules, *x)
		}
	}
	for _, k := range sortedKeys(contacts) {
		c := contacts[k]
		if strings.TrimSpace(phones[k]) != "" {
			c.Phones = []HSDSPhone{{Number: phones[k]}}
		}
		if c.Name != "" || c.Title != "" || c.Email != "" || len(c.Phones) > 0 {
			h.Contacts = append(h.Contacts, *c)
		}
	}
	for _, t := range types {
		h.Attributes = append(h.Attributes, HSDSAttribute{TaxonomyTerm: HSDSTaxonomyTerm{Code: t, Taxonomy: TaxonomyServiceType}})
	}
	for _, k := range kinds {
		h.Attributes = append(h.Attributes, HSDSAttribute{TaxonomyTerm: HSDSTaxonomyTerm{Code: k, Taxonomy: TaxonomyCaseKind}})
	}
	if days != "" {
		h.Attributes = append(h.Attributes, HSDSAttribute{Value: days, TaxonomyTerm: HSDSTaxonomyTerm{Code: "response_days", Taxonomy: TaxonomyResponse}})
	}
	return h, p
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
