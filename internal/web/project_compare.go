package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// projectCompareData is what the comparison of two versions shows.
type projectCompareData struct {
	CaseID int64
	Code   string
	A, B   int
	Rows   []compareRow
	Errors []formError
}

// compareRow is one field that differs, labelled, with its values written
// as a reader expects them.
type compareRow struct {
	Label string
	A, B  string
}

// compareProject compares two versions of a case's project field by field:
// approved versions by number in "a" and "b", 0 (or nothing) for the
// project as it now stands. Values are shown as the rest of the UI shows
// them: amounts in euro, organisations, interventions and budget lines by
// name, dates as dates, yes or no.
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
	if len(diffs) > 0 {
		cv := compareValues{h: h, lang: lang(r.Context()), view: v, orgs: map[string]string{}}
		// Older versions may name organisations that have since left the
		// case's team: the directory names them all.
		if err := h.DB.Read(r.Context(), func(tx *store.Tx) error {
			orgs, err := store.ListOrganisations(r.Context(), tx)
			for _, o := range orgs {
				cv.orgs[strconv.FormatInt(o.ID, 10)] = o.Name
			}
			return err
		}); err != nil {
			h.fail(w, r, err)
			return
		}
		for _, df := range diffs {
			d.Rows = append(d.Rows, compareRow{Label: respond.FieldLabel(h.Catalogue, cv.lang, df.Field),
				A: cv.text(df.Field, df.A), B: cv.text(df.Field, df.B)})
		}
	}
	status := http.StatusOK
	if err != nil {
		status, d.Errors = http.StatusUnprocessableEntity, h.formErrors(r, err)
	}
	h.render(w, r, status, "project_compare", h.newPage(r, "project.compare_title", d))
}

// compareValues writes the values of a comparison, which
// projects.Compare gives as the API does (dates as YYYY-MM-DD, amounts in
// cents, organisations by id, interventions by code, "true" or "false"),
// as a reader of lang expects them.
type compareValues struct {
	h    *Handler
	lang string
	view *casework.ProjectView
	orgs map[string]string // organisation names by id
}

// text writes value, the value of field in one version; a value the
// version does not have reads "not set".
func (c compareValues) text(field, value string) string {
	name := field[strings.LastIndex(field, ".")+1:]
	if value == "" || value == "0" && (name == "months" || name == "planned_cents" || name == "review_every_months") {
		return c.h.Catalogue.T(c.lang, "project.compare_none")
	}
	switch name {
	case "start_on", "due_on":
		if t, err := time.Parse(time.DateOnly, value); err == nil {
			return formatDate(t, c.lang)
		}
	case "review_every_months", "months":
		if n, err := strconv.Atoi(value); err == nil {
			key := "project.months"
			if name == "review_every_months" {
				key = "project.every_months"
			}
			return c.h.Catalogue.T(c.lang, key, n)
		}
	case "planned_cents":
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			return formatEuro(n, c.lang)
		}
	case "responsible_org_id":
		if org, ok := c.orgs[value]; ok {
			return org
		}
	case "responsible_user_id":
		if id, err := strconv.ParseInt(value, 10, 64); err == nil {
			if name := c.view.PersonName(id); name != "" {
				return name
			}
		}
	case "intervention":
		return c.view.InterventionName(value, c.lang)
	case "budget_line":
		for _, l := range c.view.BudgetLines {
			if l.Code == value {
				return l.Code + " " + l.Label
			}
		}
	case "person_agrees":
		if b, err := strconv.ParseBool(value); err == nil {
			if b {
				return c.h.Catalogue.T(c.lang, "project.compare_yes")
			}
			return c.h.Catalogue.T(c.lang, "project.compare_no")
		}
	}
	return value
}
