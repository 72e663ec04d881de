package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// searchData is what the search page shows.
type searchData struct {
	Query    string
	Searched bool
	Results  []casework.SearchResult
	Errors   []formError
	Max      int
}

// search finds cases by the start of their code and by the names of their
// persons, in any spelling or script, among the cases the actor may read.
// The query stays in the address, so that a search can be repeated; it is
// never written to the logs or the audit log.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	data := searchData{Query: q, Max: casework.MaxQueryLength}
	status := http.StatusOK
	if q != "" {
		var err error
		data.Results, err = h.Cases.Search(r.Context(), auth.ActorFrom(r.Context()), q, auth.ClientFrom(r.Context()))
		if err != nil {
			if status = formStatus(err); status != http.StatusUnprocessableEntity {
				h.fail(w, r, err)
				return
			}
			data.Errors = h.formErrors(r, err)
		}
		data.Searched = true
	}
	h.render(w, r, status, "search", h.newPage(r, "search.title", data))
}
