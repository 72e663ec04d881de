package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/respond"
)

// projectCompareData is what the comparison of two versions shows.
type projectCompareData struct {
	CaseID int64
	Code   string
	A, B   int
	Rows   []compareRow
	Errors []formError
}

// compareRow is one field that differs, labelled.
type compareRow struct {
	Label string
	A, B  string
}

// compareProject compares two versions of a case's project field by field:
// approved versions by number in "a" and "b", 0 (or nothing) for the
// project as it now stands.
func (h *Handler) compareProject(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	q := r.URL.Query()
	x, _ := strconv.Atoi(q.Get("a"))
	y, _ := strconv.Atoi(q.Get("b"))
	a := auth.ActorFrom(r.Context())
	diffs, err := h.Cases.CompareVersions(r.Context(), a, id, x, y, auth.ClientFrom(r.Context()))
	if err != nil && approdo.ErrorCode(err) != approdo.EINVALID && approdo.ErrorCode(err) != approdo.ECONFLICT {
		h.fail(w, r, err)
		return
	}
	v, verr := h.Cases.Project(r.Context(), a, id, auth.ClientFrom(r.Context()))
	if verr != nil {
		h.fail(w, r, verr)
		return
	}
	d := projectCompareData{CaseID: id, Code: v.Case.Code, A: x, B: y}
	l := lang(r.Context())
	for _, df := range diffs {
		d.Rows = append(d.Rows, compareRow{Label: respond.FieldLabel(h.Catalogue, l, df.Field), A: df.A, B: df.B})
	}
	status := http.StatusOK
	if err != nil {
		status, d.Errors = http.StatusUnprocessableEntity, h.formErrors(r, err)
	}
	h.render(w, r, status, "project_compare", h.newPage(r, "project.compare_title", d))
}
