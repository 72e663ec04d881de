package web

import (
	"net/http"
	"slices"
	"strings"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// updateCase saves the changes the operator made on the edit form: only
// the fields whose values differ from those the form was made from. When
// someone else saved the case meanwhile, the form comes back with what they
// changed, the operator's own changes over the new values and the new
// version, so that one click saves them again.
func (h *Handler) updateCase(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseEditForm{caseForm: caseForm{Version: formVersion(r)}, Risk: cases.Risk(r.PostFormValue("risk")),
		Concerns: r.PostForm["concerns"], OrigRisk: cases.Risk(r.PostFormValue("orig_risk")),
		OrigConcerns: r.PostFormValue("orig_concerns"), ProgrammeID: formID(r, "programme_id"),
		OrigProgramme: formID(r, "orig_programme_id")}
	var e casework.Edit
	changed := map[string]bool{}
	e.Version = f.Version
	if f.Risk != f.OrigRisk {
		e.Risk, changed[cases.FieldRisk] = &f.Risk, true
	}
	if !sameCodes(f.Concerns, splitList(f.OrigConcerns)) {
		concerns := slices.Clone(f.Concerns)
		e.Concerns, changed[cases.FieldConcerns] = &concerns, true
	}
	if _, sent := r.PostForm["programme_id"]; sent && f.ProgrammeID != f.OrigProgramme {
		e.ProgrammeID, changed[cases.FieldProgramme] = &f.ProgrammeID, true
	}
	a := auth.ActorFrom(r.Context())
	_, err := h.Cases.EditCase(r.Context(), a, id, e, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current != nil {
			// What the operator did not change takes the saved value; what
			// they changed stays as they wrote it.
			if !changed[cases.FieldRisk] {
				f.Risk = current.Risk
			}
			if !changed[cases.FieldConcerns] {
				f.Concerns = current.Concerns
			}
			if !changed[cases.FieldProgramme] {
				f.ProgrammeID = current.ProgrammeID
			}
			f.setOrigin(current)
		} else {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderCaseEdit(w, r, status, f)
	})
}

// splitList reads codes joined by commas.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// sameCodes reports whether a and b hold the same codes, in any order.
func sameCodes(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
