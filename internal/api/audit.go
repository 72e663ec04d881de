package api

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// auditEntryJSON is one entry of the audit log. Sealed reasons are left
// out: they are read on the case's access log by those who may.
type auditEntryJSON struct {
	Seq        int64    `json:"seq"`
	At         string   `json:"at"`
	ActorID    int64    `json:"actor_id"`
	ActorOrgID int64    `json:"actor_organisation_id"`
	Action     string   `json:"action"`
	RecordType string   `json:"record_type"`
	RecordID   string   `json:"record_id"`
	CaseID     int64    `json:"case_id"`
	Fields     []string `json:"fields"`
	Client     string   `json:"client"`
	Hash       string   `json:"hash"`
}

// searchAudit returns the audit entries that pass the query's filters,
// newest first, a hundred at a time; "before" pages back.
func (a *API) searchAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := audit.ParseFilter(q.Get("user_id"), q.Get("record_type"), q.Get("record_id"), q.Get("action"),
		q.Get("from"), q.Get("to"), q.Get("before"))
	if v := q.Get("case_id"); v != "" && err == nil {
		f.CaseID, err = strconv.ParseInt(v, 10, 64)
		if err != nil {
			err = approdo.Invalid(approdo.FieldError{Field: "case_id", Message: "error.field.unknown_value"})
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []auditEntryJSON{}
	err = a.DB.Read(r.Context(), func(tx *store.Tx) error {
		entries, err := audit.Search(r.Context(), tx, f)
		for _, e := range entries {
			fields := e.Fields
			if fields == nil {
				fields = []string{}
			}
			out = append(out, auditEntryJSON{Seq: e.Seq, At: e.At.Format(time.RFC3339Nano), ActorID: e.ActorID,
				ActorOrgID: e.ActorOrgID, Action: string(e.Action), RecordType: e.RecordType, RecordID: e.RecordID,
				CaseID: e.CaseID, Fields: fields, Client: e.Client, Hash: hex.EncodeToString(e.Hash)})
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}
