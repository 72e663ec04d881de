package api

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/respond"
)

// searchResultJSON is a case found by a search (schema SearchResult).
type searchResultJSON struct {
	CaseID   int64   `json:"case_id"`
	Code     string  `json:"code"`
	Kind     string  `json:"kind"`
	Summary  bool    `json:"summary"`
	PersonID *int64  `json:"person_id"`
	Role     *string `json:"role"`
	Name     *string `json:"name"`
	Matched  *string `json:"matched"`
	Score    float64 `json:"score"`
}

// search finds the cases the caller may read by the start of their code
// and by the names of their persons, in any spelling or script (q). The
// query is never written to the logs or the audit log.
func (a *API) search(w http.ResponseWriter, r *http.Request) {
	results, err := a.Cases.Search(r.Context(), auth.ActorFrom(r.Context()), r.URL.Query().Get("q"), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := []searchResultJSON{}
	for _, s := range results {
		j := searchResultJSON{CaseID: s.CaseID, Code: s.Code, Kind: string(s.Kind), Summary: s.Summary,
			PersonID: optionalID(s.PersonID), Score: s.Score}
		if s.PersonID != 0 {
			role := string(s.Role)
			j.Role = &role
		}
		if s.Name != "" {
			name := s.Name
			j.Name = &name
		}
		if s.Matched != "" {
			matched := s.Matched
			j.Matched = &matched
		}
		out = append(out, j)
	}
	respond.JSON(w, http.StatusOK, newList(out))
}
