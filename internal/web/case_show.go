package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// caseData is what the case page shows.
type caseData struct {
	*casework.View
	Stages       []cases.Stage
	CanSeeAccess bool
	StageReached int
	Sections     []caseSection
	// Workflow is what the actor may do on the case and the state of its
	// workflow; nil for a summary.
	Workflow *casework.Workflow
	// Saved says that the actor has just saved a change.
	Saved bool
	// FollowUp links the notes section with a follow-up contact
	// preselected, once the case is closed.
	FollowUp string
}

// caseSection is a section of the case file that loads on demand from
// /cases/{id}/NAME, registered with caseSection in routes.go.
type caseSection struct {
	Name  string
	Title string // catalogue key
}

// showCase shows a case: in full to those whose scope reaches it, with what
// they may do on it, as a summary to the lead entity, and as not found to
// anyone else. Every view is recorded in the audit log.
func (h *Handler) showCase(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	a := auth.ActorFrom(r.Context())
	v, err := h.Cases.Open(r.Context(), a, id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := caseData{View: v, Stages: cases.Stages, StageReached: v.Case.Stage.Index(),
		CanSeeAccess: auth.Allowed(a, access.Read, casework.Target(&v.Case, access.CaseAccess)), Sections: h.sections,
		Saved: r.URL.Query().Has("saved")}
	if v.Full {
		if data.Workflow, err = h.Cases.WorkflowOf(r.Context(), a, &v.Case); err != nil {
			h.fail(w, r, err)
			return
		}
		if v.Case.Closed() && data.Workflow.CanUpdate {
			data.FollowUp = casePagePath(id) + "/notes?kind=" + string(cases.FollowUpNote)
		}
	}
	h.render(w, r, http.StatusOK, "case", h.newPage(r, "case.title", data))
}
