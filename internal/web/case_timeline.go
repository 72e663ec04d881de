package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// timelineData is what a case's timeline shows.
type timelineData struct {
	Case    *cases.Case
	Entries []casework.TimelineEntry
	Older   string
}

// showCaseTimeline shows everything that happened on a case, newest first,
// fifty events at a time.
func (h *Handler) showCaseTimeline(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	c, entries, err := h.Cases.Timeline(r.Context(), auth.ActorFrom(r.Context()), id, before, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := timelineData{Case: c, Entries: entries}
	if len(entries) == casework.TimelinePage {
		data.Older = "/cases/" + strconv.FormatInt(id, 10) + "/timeline?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	h.renderSection(w, r, http.StatusOK, "case_timeline", h.newPage(r, "case.section.timeline", data))
}
