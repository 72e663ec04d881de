package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/network"
)

// auditSearchData is what the audit search page shows.
type auditSearchData struct {
	UserID     int64
	RecordType string
	RecordID   string
	CaseCode   string
	Action     string
	From, To   string
	Actions    []audit.Action
	Users      []network.User
	Entries    []auditRow
	Errors     []formError
	OlderPage  string
}

// auditRow is one line of the audit search.
type auditRow struct {
	audit.Entry
	Actor string
}

// FieldError returns the message of the named field, or "".
func (d auditSearchData) FieldError(name string) string { return fieldError(d.Errors, name) }

// searchAudit lets administrators search the audit log by user, record,
// case, action and time, newest first, a hundred entries to a page. Reasons
// stay sealed here: they are read on the case's own access page.
func (h *Handler) searchAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := auditSearchData{RecordType: strings.TrimSpace(q.Get("record_type")), RecordID: strings.TrimSpace(q.Get("record_id")),
		CaseCode: strings.TrimSpace(q.Get("case_code")), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to"),
		Actions: audit.Actions}
	f, err := audit.ParseFilter(q.Get("user"), data.RecordType, data.RecordID, data.Action, data.From, data.To, q.Get("before"))
	if err != nil {
		data.Errors = h.formErrors(r, err)
	}
	data.UserID = f.ActorID
	ctx := r.Context()
	err = h.DB.Read(ctx, func(tx *store.Tx) error {
		users, err := store.ListUsers(ctx, tx)
		if err != nil {
			return err
		}
		data.Users = users
		if data.Errors != nil {
			return nil
		}
		if data.CaseCode != "" {
			c, err := store.FindCaseByCode(ctx, tx, data.CaseCode)
			if err != nil {
				return nil // no such case: nothing matches
			}
			f.CaseID = c.ID
		}
		if data.CaseCode != "" && f.CaseID == 0 {
			return nil
		}
		entries, err := audit.Search(ctx, tx, f)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, u := range users {
			names[u.ID] = u.DisplayName + " (" + u.Username + ")"
		}
		for _, e := range entries {
			data.Entries = append(data.Entries, auditRow{Entry: e, Actor: names[e.ActorID]})
		}
		if len(entries) == f.Limit {
			next := r.URL.Query()
			next.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
			data.OlderPage = "/admin/audit?" + next.Encode()
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if data.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "audit", h.newPage(r, "audit.title", data))
}
