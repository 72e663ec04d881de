package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// caseAccessData is what "who saw this case" shows.
type caseAccessData struct {
	CaseID  int64
	Code    string
	Entries []casework.AccessEntry
}

// showCaseAccess shows who accessed a case, when, how and, for a
// break-glass, why.
func (h *Handler) showCaseAccess(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	code, entries, err := h.Cases.AccessLog(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "case_access", h.newPage(r, "case_access.title",
		caseAccessData{CaseID: id, Code: code, Entries: entries}))
}
