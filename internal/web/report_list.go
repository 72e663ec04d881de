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
)

// reportListData is what the list of reports shows: the filters as they
// stand in the URL and one page of reports.
type reportListData struct {
	Filter    store.ReportFilter
	Reports   []reportRow
	Total     int
	Statuses  []cases.ReportStatus
	Urgencies []cases.Urgency
	Channels  []cases.Channel
	// Inbox says that the actor receives reports, rather than only filing
	// them: the list is then their inbox.
	Inbox     bool
	CanCreate bool
	PrevPage  string
	NextPage  string
	From, To  int
}

// reportRow is one line of the list.
type reportRow struct{ casework.ReportRow }

// UrgencyClass is the badge class of the row's urgency.
func (r reportRow) UrgencyClass() string { return urgencyClass(r.Urgency) }

const reportsPerPage = 50

// listReports shows the reports the actor may list, filtered by status,
// urgency and channel through the URL: the inbox of the services that
// receive them, undecided and most urgent first, and the reports a reporter
// filed, with their outcome.
func (h *Handler) listReports(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	q := r.URL.Query()
	f := store.ReportFilter{Status: cases.ReportStatus(q.Get("status")), Urgency: cases.Urgency(q.Get("urgency")),
		Channel: cases.Channel(q.Get("channel")), Limit: reportsPerPage}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if !f.Urgency.Valid() {
		f.Urgency = ""
	}
	if !f.Channel.Valid() {
		f.Channel = ""
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f.Offset = (page - 1) * reportsPerPage
	list, total, err := h.Cases.Reports(r.Context(), a, f, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := reportListData{Filter: f, Total: total, Statuses: []cases.ReportStatus{cases.Received, cases.InScreening, cases.Decided},
		Urgencies: cases.Urgencies, Channels: cases.Channels, Inbox: receivesReports(a), CanCreate: auth.Can(a, access.Create, access.Reports),
		From: f.Offset + 1, To: f.Offset + len(list)}
	for _, row := range list {
		data.Reports = append(data.Reports, reportRow{row})
	}
	if page > 1 {
		data.PrevPage = reportPageURL(q, page-1)
	}
	if f.Offset+len(list) < total {
		data.NextPage = reportPageURL(q, page+1)
	}
	h.render(w, r, http.StatusOK, "reports", h.newPage(r, "reports.title", data))
}

// receivesReports reports whether a receives reports: they may list some beyond
// their own.
func receivesReports(a *auth.Actor) bool {
	for _, s := range auth.ScopesOf(a, access.List, access.Reports) {
		if s != access.Own {
			return true
		}
	}
	return false
}

// reportPageURL returns the list's URL with the same filters at page n.
func reportPageURL(q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("page", strconv.Itoa(n))
	return "/reports?" + v.Encode()
}
