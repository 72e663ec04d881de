package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// mergeData is the page that confirms that two persons are one.
type mergeData struct {
	formState
	Case  *cases.Case
	Keep  personCard
	Other *personCard
}

// mergePerson merges into a person of a case another person found to be
// the same. Posted without "confirm", it shows the two side by side with
// the versions compared; posted with it, it merges them and shows the
// person kept, or shows the page again with why it could not.
func (h *Handler) mergePerson(w http.ResponseWriter, r *http.Request) {
	caseID, id := pathID(r, "id"), pathID(r, "pid")
	a := auth.ActorFrom(r.Context())
	client := auth.ClientFrom(r.Context())
	l := lang(r.Context())
	c, keep, err := h.Cases.CasePerson(r.Context(), a, caseID, id, client)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := mergeData{Case: c, Keep: h.personCard(l, keep)}
	otherID := parseID(r.PostFormValue("other_person_id"))
	in := casework.MergeInput{KeepID: id, GoneID: max(otherID, 0), KeepVersion: formVersion(r)}
	in.GoneVersion, _ = strconv.Atoi(r.PostFormValue("other_version"))
	if otherID < 0 {
		in.GoneID = -1
	}
	var other *casework.PersonView
	if otherID > 0 {
		if other, err = h.Cases.PersonOnFile(r.Context(), a, otherID, client); err == nil {
			card := h.personCard(l, other)
			data.Other = &card
		}
	}
	if r.PostFormValue("confirm") == "" {
		err = nil
		switch {
		case otherID == 0:
			err = approdo.Invalid(approdo.FieldError{Field: "other_person_id", Message: "error.field.required"})
		case data.Other == nil || otherID == id:
			err = approdo.Invalid(approdo.FieldError{Field: "other_person_id", Message: "error.field.unknown_reference"})
		case in.KeepVersion != 0 && in.KeepVersion != keep.Version || in.GoneVersion != 0 && in.GoneVersion != other.Version:
			err = approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		status := http.StatusOK
		if err != nil {
			data.Errors, status = h.formErrors(r, err), formStatus(err)
		}
		h.render(w, r, status, "person_merge", h.newPage(r, "person.merge.title", data))
		return
	}
	err = h.Cases.MergePersons(r.Context(), a, caseID, in, client)
	switch code := approdo.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, personPath(caseID, id)+"?merged", http.StatusSeeOther)
	case code == approdo.EINVALID || code == approdo.ECONFLICT:
		data.Errors = h.formErrors(r, err)
		data.Stale = isStale(err)
		h.render(w, r, formStatus(err), "person_merge", h.newPage(r, "person.merge.title", data))
	default:
		h.fail(w, r, err)
	}
}
