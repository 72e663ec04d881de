package web

import (
	"net/http"
	"strconv"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// casePersonsData is what the persons section of a case shows.
type casePersonsData struct {
	Case      *cases.Case
	Persons   []personCard
	CanUpdate bool
}

// showCasePersons shows the persons of a case: the main person first,
// then children and relatives, each with what the actor may see. The lead
// entity, which reads cases only in summary, never reaches it.
func (h *Handler) showCasePersons(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	a := auth.ActorFrom(r.Context())
	c, views, err := h.Cases.CasePersons(r.Context(), a, id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	data := casePersonsData{Case: c, CanUpdate: auth.Allowed(a, access.Update, casework.Target(c, access.Cases)) &&
		auth.SeesField(a, access.Identity, c.OwnerOrgID)}
	for i := range views {
		data.Persons = append(data.Persons, h.personCard(l, &views[i]))
	}
	h.renderSection(w, r, http.StatusOK, "case_persons", h.newPage(r, "case.section.persons", data))
}
