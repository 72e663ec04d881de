package web

import (
	"net/http"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// accessRequestData is the answer to a request for access.
type accessRequestData struct {
	Case          *cases.Case
	Organisation  string
	CanBreakGlass bool
	Errors        []formError
}

// requestAccess asks the social workers of an organisation that holds a
// possible duplicate, which the actor may not read, to get in touch about
// the actor's case. The duplicate is looked up again, from the person on
// file (person_id) or from the person form as typed, so that only an
// organisation that holds one can be written to. The answer says that the
// request was sent and, to those who may, that emergency access is the way
// when it is urgent.
func (h *Handler) requestAccess(w http.ResponseWriter, r *http.Request) {
	caseID := pathID(r, "id")
	a := auth.ActorFrom(r.Context())
	c, _, err := h.Cases.UpdatableCase(r.Context(), a, caseID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	probe := probeFromForm(r)
	if id := parseID(r.PostFormValue("person_id")); id > 0 {
		_, v, err := h.Cases.CasePerson(r.Context(), a, caseID, id, auth.ClientFrom(r.Context()))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		probe = casework.ProbeOf(&v.Person)
	}
	data := accessRequestData{Case: c, CanBreakGlass: auth.Can(a, access.BreakGlass, access.Cases)}
	data.Organisation, err = h.Cases.RequestAccess(r.Context(), a, caseID, parseID(r.PostFormValue("organisation_id")), probe,
		auth.ClientFrom(r.Context()))
	status := http.StatusOK
	switch code := approdo.ErrorCode(err); {
	case err == nil:
	case code == approdo.EINVALID:
		data.Errors, status = h.formErrors(r, err), formStatus(err)
	default:
		h.fail(w, r, err)
		return
	}
	h.renderSection(w, r, status, "person_access", h.newPage(r, "person.access.title", data))
}
