package web

import (
	"net/http"
	"slices"
	"strconv"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// saveAssessment saves one section of a case's assessment and goes back to
// the assessment. Invalid input shows the form again with what was typed
// and a message on each field. When someone else saved the section while
// the form was open, the form comes back (409) with what was typed, the
// text saved now beside it for every field that differs, and the current
// version, so that saving again applies it over theirs.
func (h *Handler) saveAssessment(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	a := auth.ActorFrom(r.Context())
	section := cases.AssessmentSection(r.PathValue("section"))
	f, in, rows := readAssessmentForm(r, nil, section)
	_, err := h.Cases.SaveAssessment(r.Context(), a, id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/assessment?saved="+string(section), http.StatusSeeOther)
		return
	case approdo.EINVALID, approdo.ECONFLICT:
	default:
		h.fail(w, r, err)
		return
	}
	// Reload what the form shows around the fields: the case, its team and
	// what the actor may not see, which the failed save left unchanged.
	ca, lerr := h.Cases.AssessmentForChange(r.Context(), a, id, auth.ClientFrom(r.Context()))
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	v := ca.Section(section)
	if v == nil {
		h.notFound(w, r)
		return
	}
	f.Case = ca.Case
	status := http.StatusUnprocessableEntity
	if stale := casework.AsAssessmentStale(err); stale != nil {
		status = http.StatusConflict
		f.Version = stale.Current.Version
		f.Conflict = h.assessmentConflict(r, &stale.Current, in.Content, ca.Team)
	} else {
		f.Errors = h.formErrors(r, formRowNames(err, rows))
	}
	h.renderAssessmentForm(w, r, status, f, ca.Team, v.Hidden)
}

// assessmentConflict lists, for each field of current the actor sees whose
// saved value differs from the one typed, the saved text beside theirs.
func (h *Handler) assessmentConflict(r *http.Request, current *casework.SectionView, typed cases.SectionContent,
	team []casework.MemberView) *assessmentConflict {
	l := lang(r.Context())
	c := &assessmentConflict{By: current.UpdatedBy, At: current.UpdatedAt}
	changed := cases.ChangedFields(current.Content, typed)
	yours := typed.Fields()
	for i, fd := range current.Content.Fields() {
		if !current.Sees(fd.Group) || !slices.Contains(changed, fd.Name) {
			continue
		}
		c.Rows = append(c.Rows, assessmentConflictRow{Field: fd.Name, Label: h.fieldLabel(r, fd.Name),
			Saved: h.assessmentText(l, fd, team), Yours: h.assessmentText(l, yours[i], team)})
	}
	return c
}
