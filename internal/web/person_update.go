package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// updatePerson saves an edited person of a case, or shows the form again:
// with its problems, or, for an edit made from an older version, with what
// was saved meanwhile and the current version, so that saving again
// applies it.
func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	caseID, id := pathID(r, "id"), pathID(r, "pid")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	h.savePerson(w, r, id, func(in *casework.PersonInput) (*casework.Duplicates, error) {
		return nil, h.Cases.UpdatePerson(r.Context(), auth.ActorFrom(r.Context()), caseID, in, auth.ClientFrom(r.Context()))
	})
}
