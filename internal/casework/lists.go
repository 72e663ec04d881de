package casework

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// ListQuery is what the case list shows: its filters and its order, as the
// URL of the list carries them, so that a list can be bookmarked, shared and
// saved under a name. The same parameters serve the UI (/cases) and the API
// (/api/v1/cases).
type ListQuery struct {
	// Owner is "me" (the actor's cases as case worker), "organisation" (the
	// cases the actor's organisation holds), or the id of a case worker.
	Owner  string
	Stage  cases.Stage
	Kind   cases.Kind
	Risk   cases.Risk
	AreaID int64
	// Overdue keeps the cases with a task open past its due date.
	Overdue bool
	// Q finds cases by the first characters of their code, in any case.
	Q string
	// Sort is one of store.SortColumns; Order is "asc" or "desc", or ""
	// for the column's natural order (newest, highest risk, codes A to Z).
	Sort  string
	Order string
}

// The owner filters that name no user.
const (
	OwnerMe           = "me"
	OwnerOrganisation = "organisation"
)

// ParseListQuery reads a list query from URL parameters. Unknown
// parameters, and the paging ones, are ignored; "area" is read as
// "area_id". It returns the query with every valid filter and, when a
// parameter holds a value the list does not know, EINVALID naming it, so
// that the UI can show the list without it and the API can refuse it.
func ParseListQuery(v url.Values) (ListQuery, error) {
	var q ListQuery
	var problems []approdo.FieldError
	bad := func(field string) {
		problems = append(problems, approdo.FieldError{Field: field, Message: "error.field.unknown_value"})
	}
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	if o := get("owner"); o != "" {
		if id, err := strconv.ParseInt(o, 10, 64); o == OwnerMe || o == OwnerOrganisation || err == nil && id > 0 {
			q.Owner = o
		} else {
			bad("owner")
		}
	}
	if s := cases.Stage(get("stage")); s != "" {
		if s.Valid() {
			q.Stage = s
		} else {
			bad("stage")
		}
	}
	if k := cases.Kind(get("kind")); k != "" {
		if k.Valid() {
			q.Kind = k
		} else {
			bad("kind")
		}
	}
	if r := cases.Risk(get("risk")); r != "" {
		if r.Valid() {
			q.Risk = r
		} else {
			bad("risk")
		}
	}
	area := get("area_id")
	if area == "" {
		area = get("area")
	}
	if area != "" {
		if id, err := strconv.ParseInt(area, 10, 64); err == nil && id > 0 {
			q.AreaID = id
		} else {
			bad("area_id")
		}
	}
	switch get("overdue") {
	case "":
	case "1", "true":
		q.Overdue = true
	default:
		bad("overdue")
	}
	if s := get("q"); s != "" {
		if utf8.RuneCountInString(s) > 100 {
			problems = append(problems, approdo.FieldError{Field: "q", Message: "error.field.too_long", Args: []any{100}})
		} else {
			q.Q = s
		}
	}
	if s := get("sort"); s != "" {
		if slices.Contains(store.SortColumns, s) {
			q.Sort = s
		} else {
			bad("sort")
		}
	}
	if o := get("order"); o != "" {
		if o == "asc" || o == "desc" {
			q.Order = o
		} else {
			bad("order")
		}
	}
	if len(problems) > 0 {
		return q, approdo.Invalid(problems...)
	}
	return q, nil
}

// Values returns the query as URL parameters, leaving out what is not set.
func (q ListQuery) Values() url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("owner", q.Owner)
	set("stage", string(q.Stage))
	set("kind", string(q.Kind))
	set("risk", string(q.Risk))
	if q.AreaID != 0 {
		v.Set("area_id", strconv.FormatInt(q.AreaID, 10))
	}
	if q.Overdue {
		v.Set("overdue", "1")
	}
	set("q", q.Q)
	set("sort", q.Sort)
	set("order", q.Order)
	return v
}

// Encode returns the query as a URL query string, its parameters in a
// fixed order, so that two equal queries encode alike.
func (q ListQuery) Encode() string { return q.Values().Encode() }

// Ascending reports whether the list runs in ascending order: as Order
// says, or else codes A to Z and everything else newest or highest first.
func (q ListQuery) Ascending() bool {
	if q.Order != "" {
		return q.Order == "asc"
	}
	return q.Sort == store.SortCode
}

// Filter turns the query into the filter of a's list at now.
func (q ListQuery) Filter(a *auth.Actor, now time.Time) store.CaseFilter {
	f := store.CaseFilter{Stage: q.Stage, Kind: q.Kind, Risk: q.Risk, AreaID: q.AreaID, CodePrefix: q.Q,
		Sort: q.Sort, Ascending: q.Ascending()}
	if q.Overdue {
		f.OverdueAt = now
	}
	switch q.Owner {
	case "":
	case OwnerMe:
		f.WorkerID = a.User.ID
	case OwnerOrganisation:
		f.OwnerOrgID = a.Organisation.ID
	default:
		f.WorkerID, _ = strconv.ParseInt(q.Owner, 10, 64)
	}
	return f
}

// savedListTarget is what the policy needs to know about a working list:
// whose it is.
func savedListTarget(userID int64) auth.Target {
	return auth.Target{Resource: access.SavedLists, OwnerID: userID}
}

// SaveList saves query, the filters of the case list, as a working list of
// a's named name. It returns the list, ENOTFOUND when a may not keep
// working lists, and EINVALID when the name is missing, too long or taken,
// when a keeps too many lists already, or when the query holds a filter the
// list does not know.
func (s *Service) SaveList(ctx context.Context, a *auth.Actor, name, query string) (*cases.SavedList, error) {
	if !auth.Allowed(a, access.Manage, savedListTarget(a.User.ID)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	name = strings.TrimSpace(name)
	var problems []approdo.FieldError
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		problems = append(problems, approdo.FieldError{Field: "name", Message: "error.field.required"})
	case n > cases.MaxListName:
		problems = append(problems, approdo.FieldError{Field: "name", Message: "error.field.too_long", Args: []any{cases.MaxListName}})
	}
	values, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		problems = append(problems, approdo.FieldError{Field: "query", Message: "error.field.unknown_value"})
	}
	q, err := ParseListQuery(values)
	if err != nil {
		problems = append(problems, approdo.FieldError{Field: "query", Message: "error.field.unknown_value"})
	}
	if len(problems) > 0 {
		return nil, approdo.Invalid(problems...)
	}
	l := &cases.SavedList{UserID: a.User.ID, Name: name, Query: q.Encode(), CreatedAt: s.Now().UTC()}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		mine, err := store.ListSavedLists(ctx, tx, a.User.ID)
		if err != nil {
			return err
		}
		if len(mine) >= cases.MaxSavedLists {
			return approdo.Invalid(approdo.FieldError{Field: "name", Message: "error.list.too_many", Args: []any{cases.MaxSavedLists}})
		}
		if err := store.InsertSavedList(ctx, tx, l); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "saved_list", RecordID: strconv.FormatInt(l.ID, 10), Fields: []string{"name", "query"}})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// SavedLists returns a's working lists by name.
func (s *Service) SavedLists(ctx context.Context, a *auth.Actor) ([]cases.SavedList, error) {
	if !auth.Allowed(a, access.Manage, savedListTarget(a.User.ID)) {
		return nil, nil
	}
	var out []cases.SavedList
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.ListSavedLists(ctx, tx, a.User.ID)
		return err
	})
	return out, err
}

// SavedList returns working list id to its owner, and ENOTFOUND to anyone
// else, exactly as for a list that does not exist.
func (s *Service) SavedList(ctx context.Context, a *auth.Actor, id int64) (*cases.SavedList, error) {
	var l *cases.SavedList
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		l, err = s.ownList(ctx, tx, a, id)
		return err
	})
	return l, err
}

// ownList loads working list id when it is a's.
func (s *Service) ownList(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*cases.SavedList, error) {
	l, err := store.FindSavedList(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, access.Manage, savedListTarget(l.UserID)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return l, nil
}

// DeleteList deletes working list id of a's; anyone else's is ENOTFOUND.
func (s *Service) DeleteList(ctx context.Context, a *auth.Actor, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := s.ownList(ctx, tx, a, id); err != nil {
			return err
		}
		if err := store.DeleteSavedList(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Delete,
			RecordType: "saved_list", RecordID: strconv.FormatInt(id, 10)})
	})
}
