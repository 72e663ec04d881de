package web

import (
	"net/http"
	"net/url"
	"strconv"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/network"
)

// caseListData is what the case list shows: the filters and order as they
// stand in the URL, one page of cases, the links to the pages around it,
// and the actor's saved working lists.
type caseListData struct {
	Query   casework.ListQuery
	Errors  []formError
	Cases   []caseRow
	Total   int
	Summary bool
	Stages  []cases.Stage
	Kinds   []cases.Kind
	Risks   []cases.Risk
	Areas   []network.Area
	Owners  []caseOption
	Columns []sortColumn

	PrevPage string
	NextPage string
	From, To int

	// Encoded is the query of the list as shown, for saving it.
	Encoded      string
	CanSaveLists bool
	SavedLists   []cases.SavedList
	// List is the saved list shown, if any.
	List *cases.SavedList
	// ListName and ListErrors are a failed attempt to save the list.
	ListName   string
	ListErrors []formError
	// PendingTransfers counts the transfers waiting for the actor's
	// organisation to decide.
	PendingTransfers int
}

// ListFieldError returns the message of the save form's named field, or "".
func (d caseListData) ListFieldError(name string) string { return fieldError(d.ListErrors, name) }

// caseRow is one line of the case list.
type caseRow struct {
	cases.Case
	Area string
}

// sortColumn is a column header that sorts the list.
type sortColumn struct {
	Label string // catalogue key
	Href  string
	// Sort is "ascending" or "descending" on the column the list is sorted
	// by, for aria-sort, and "" on the others.
	Sort string
}

const casesPerPage = 50

// listCases shows the cases the actor may list, filtered, sorted and paged
// through the URL. A parameter the list does not know is reported at the
// top and left out.
func (h *Handler) listCases(w http.ResponseWriter, r *http.Request) {
	h.renderCaseList(w, r, http.StatusOK, r.URL.Query(), nil, nil)
}

// renderCaseList shows the case list for the parameters v (filters, order
// and page), as the saved list l when it is one, and with the problems of a
// failed attempt to save it when save is not nil.
func (h *Handler) renderCaseList(w http.ResponseWriter, r *http.Request, status int, v url.Values, l *cases.SavedList, save *caseListData) {
	a := auth.ActorFrom(r.Context())
	ctx := r.Context()
	q, err := casework.ParseListQuery(v)
	data := caseListData{Query: q, Stages: cases.Stages, Kinds: cases.Kinds, Risks: cases.Risks, Encoded: q.Encode(), List: l}
	if err != nil {
		data.Errors = h.formErrors(r, err)
	}
	if save != nil {
		data.ListName, data.ListErrors = save.ListName, save.ListErrors
	}
	page, _ := strconv.Atoi(v.Get("page"))
	page = min(max(page, 1), 100000)
	f := q.Filter(a, h.Cases.Now())
	f.Limit, f.Offset = casesPerPage, (page-1)*casesPerPage
	list, total, summary, err := h.Cases.List(ctx, a, f, auth.ClientFrom(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Total, data.Summary, data.From, data.To = total, summary, f.Offset+1, f.Offset+len(list)
	if data.SavedLists, err = h.Cases.SavedLists(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	data.CanSaveLists = auth.Can(a, access.Manage, access.SavedLists)
	if data.PendingTransfers, err = h.Cases.PendingTransfersFor(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if data.Areas, err = store.ListAreas(ctx, tx); err != nil {
			return err
		}
		if !auth.Can(a, access.Manage, access.Cases) {
			return nil
		}
		workers, err := store.UsersAllowedIn(ctx, tx, a.Organisation.ID, string(access.Manage), string(access.Cases))
		for _, u := range workers {
			if u.ID != a.User.ID {
				data.Owners = append(data.Owners, caseOption{Value: strconv.FormatInt(u.ID, 10), Label: u.DisplayName})
			}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	areaName := map[int64]string{}
	for _, ar := range data.Areas {
		areaName[ar.ID] = ar.Name
	}
	for _, c := range list {
		data.Cases = append(data.Cases, caseRow{Case: c, Area: areaName[c.AreaID]})
	}
	base := q.Values()
	if page > 1 {
		data.PrevPage = listURL(base, page-1)
	}
	if f.Offset+len(list) < total {
		data.NextPage = listURL(base, page+1)
	}
	data.Columns = sortColumns(q)
	title := "cases.title"
	if l != nil {
		title = "saved_list.title"
	}
	h.render(w, r, status, "cases", h.newPage(r, title, data))
}

// sortColumns returns the headers that sort the list by each column: a
// second click on the column the list is sorted by reverses the order.
func sortColumns(q casework.ListQuery) []sortColumn {
	current := q.Sort
	if current == "" {
		current = store.SortUpdated
	}
	var out []sortColumn
	for _, col := range []struct{ name, label string }{
		{store.SortCode, "field.case_code"}, {store.SortRisk, "field.risk"},
		{store.SortOpened, "field.opened"}, {store.SortUpdated, "field.updated"},
	} {
		next := q
		next.Sort, next.Order = col.name, ""
		c := sortColumn{Label: col.label}
		if col.name == current {
			if q.Ascending() {
				c.Sort = "ascending"
				next.Order = "desc"
			} else {
				c.Sort = "descending"
				next.Order = "asc"
			}
		}
		c.Href = listURL(next.Values(), 1)
		out = append(out, c)
	}
	return out
}

// listURL returns the case list's URL with the parameters v at page n.
func listURL(v url.Values, n int) string {
	u := url.Values{}
	for k, vs := range v {
		u[k] = vs
	}
	if n > 1 {
		u.Set("page", strconv.Itoa(n))
	}
	if len(u) == 0 {
		return "/cases"
	}
	return "/cases?" + u.Encode()
}
