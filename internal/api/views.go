package api

import (
	"time"

	"approdo"
	"approdo/network"
)

// The JSON shapes of the API, named as in the OpenAPI document's schemas.
// Each record has one shape, which both the directory and the
// administration answer with and which a write takes as its body, so that a
// record read from the API can be changed and sent back. Fields a write
// cannot set (the id, which the path names, and what is derived, such as a
// user's state) are read and ignored.

// areaJSON is a territorial area (schemas Area and AreaInput).
type areaJSON struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	Region  string `json:"region"`
	Version int    `json:"version"`
}

func areaView(a network.Area) areaJSON {
	return areaJSON{ID: a.ID, Code: a.Code, Name: a.Name, Region: a.Region, Version: a.Version}
}

// area returns the area of a body, as the area id.
func (v areaJSON) area(id int64) *network.Area {
	return &network.Area{ID: id, Code: v.Code, Name: v.Name, Region: v.Region, Version: v.Version}
}

// organisationJSON is an organisation of the network (schemas Organisation
// and OrganisationInput).
type organisationJSON struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	AreaID  *int64 `json:"area_id"`
	Version int    `json:"version"`
}

func organisationView(o network.Organisation) organisationJSON {
	return organisationJSON{ID: o.ID, Code: o.Code, Name: o.Name, Kind: string(o.Kind), AreaID: optionalID(o.AreaID),
		Version: o.Version}
}

// organisation returns the organisation of a body, as the organisation id.
func (v organisationJSON) organisation(id int64) *network.Organisation {
	return &network.Organisation{ID: id, Code: v.Code, Name: v.Name, Kind: network.Kind(v.Kind),
		AreaID: referenceID(v.AreaID), Version: v.Version}
}

// programmeJSON is a programme with its partners, areas and budget
// (schemas Programme and ProgrammeInput).
type programmeJSON struct {
	ID          int64            `json:"id"`
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Funder      string           `json:"funder"`
	StartsOn    string           `json:"starts_on"`
	EndsOn      string           `json:"ends_on"`
	LeadOrgID   int64            `json:"lead_organisation_id"`
	PartnerIDs  []int64          `json:"partner_ids"`
	AreaIDs     []int64          `json:"area_ids"`
	Description string           `json:"description"`
	BudgetLines []budgetLineJSON `json:"budget_lines"`
	Version     int              `json:"version"`
}

// budgetLineJSON is one line of a programme's budget; the amount is in euro
// cents (schemas BudgetLine and BudgetLineInput). In a body, a line without
// an id is a new one.
type budgetLineJSON struct {
	ID             int64  `json:"id,omitempty"`
	Code           string `json:"code"`
	Label          string `json:"label"`
	AmountCents    int64  `json:"amount_cents"`
	OrganisationID *int64 `json:"organisation_id"`
}

// isoDate is how the API writes a date.
const isoDate = "2006-01-02"

func programmeView(p network.Programme) programmeJSON {
	v := programmeJSON{ID: p.ID, Code: p.Code, Name: p.Name, Funder: p.Funder,
		StartsOn: p.StartsOn.Format(isoDate), EndsOn: p.EndsOn.Format(isoDate),
		LeadOrgID: p.LeadOrgID, PartnerIDs: p.PartnerIDs, AreaIDs: p.AreaIDs,
		Description: p.Description, Version: p.Version}
	if v.PartnerIDs == nil {
		v.PartnerIDs = []int64{}
	}
	if v.AreaIDs == nil {
		v.AreaIDs = []int64{}
	}
	v.BudgetLines = []budgetLineJSON{}
	for _, l := range p.BudgetLines {
		v.BudgetLines = append(v.BudgetLines, budgetLineJSON{ID: l.ID, Code: l.Code, Label: l.Label,
			AmountCents: l.AmountCents, OrganisationID: optionalID(l.OrganisationID)})
	}
	return v
}

// programme returns the programme of a body, as the programme id, or
// EINVALID naming each date that is malformed.
func (v programmeJSON) programme(id int64) (*network.Programme, error) {
	p := &network.Programme{ID: id, Code: v.Code, Name: v.Name, Funder: v.Funder, LeadOrgID: v.LeadOrgID,
		PartnerIDs: v.PartnerIDs, AreaIDs: v.AreaIDs, Description: v.Description, Version: v.Version}
	var problems []approdo.FieldError
	date := func(s, field string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(isoDate, s)
		if err != nil {
			problems = append(problems, approdo.FieldError{Field: field, Message: "error.field.date"})
		}
		return t
	}
	p.StartsOn, p.EndsOn = date(v.StartsOn, "starts_on"), date(v.EndsOn, "ends_on")
	for _, l := range v.BudgetLines {
		p.BudgetLines = append(p.BudgetLines, network.BudgetLine{ID: l.ID, Code: l.Code, Label: l.Label,
			AmountCents: l.AmountCents, OrganisationID: referenceID(l.OrganisationID)})
	}
	if len(problems) > 0 {
		return nil, approdo.Invalid(problems...)
	}
	return p, nil
}

// userJSON is a user as the directory shows them (schema User).
type userJSON struct {
	ID             int64    `json:"id"`
	Username       string   `json:"username"`
	DisplayName    string   `json:"display_name"`
	Email          string   `json:"email"`
	OrganisationID int64    `json:"organisation_id"`
	Profession     string   `json:"profession"`
	Languages      []string `json:"languages"`
	Locale         string   `json:"locale"`
	Roles          []string `json:"roles"`
	AreaIDs        []int64  `json:"area_ids"`
	Active         bool     `json:"active"`
	Version        int      `json:"version"`
}

func userView(u network.User) userJSON {
	v := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		OrganisationID: u.OrganisationID, Profession: u.Profession, Languages: u.Languages, Locale: u.Locale,
		Active: u.Active, Version: u.Version, Roles: []string{}, AreaIDs: u.AreaIDs}
	if v.AreaIDs == nil {
		v.AreaIDs = []int64{}
	}
	if v.Languages == nil {
		v.Languages = []string{}
	}
	for _, r := range u.Roles {
		v.Roles = append(v.Roles, string(r))
	}
	return v
}

// user returns the user of a body, as the user id. Whether the user is
// active has its own operations and is not taken from the body.
func (v userJSON) user(id int64) *network.User {
	u := &network.User{ID: id, Username: v.Username, DisplayName: v.DisplayName, Email: v.Email,
		OrganisationID: v.OrganisationID, Profession: v.Profession, Languages: v.Languages, Locale: v.Locale,
		AreaIDs: v.AreaIDs, Version: v.Version}
	for _, r := range v.Roles {
		u.Roles = append(u.Roles, network.Role(r))
	}
	return u
}

// referenceID reads an optional reference of a body: null or absent is
// none, and an explicit 0, which names no record, becomes -1 so that
// validation reports an unknown reference rather than dropping it.
func referenceID(id *int64) int64 {
	switch {
	case id == nil:
		return 0
	case *id == 0:
		return -1
	}
	return *id
}

// listJSON wraps every list the API returns.
type listJSON[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newList[T any](items []T) listJSON[T] {
	if items == nil {
		items = []T{}
	}
	return listJSON[T]{Items: items, Total: len(items)}
}
