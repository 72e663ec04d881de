package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// createPerson adds a person to a case and shows them, or shows the form
// again: with its problems, or with the possible duplicates found across
// the network and the box to confirm that the person is someone else.
func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	caseID := pathID(r, "id")
	h.savePerson(w, r, 0, func(in *casework.PersonInput) (*casework.Duplicates, error) {
		return h.Cases.AddPerson(r.Context(), auth.ActorFrom(r.Context()), caseID, in, auth.ClientFrom(r.Context()))
	})
}
