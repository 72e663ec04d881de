package web

import (
	"net/http"
	"net/url"

	"approdo/internal/auth"
)

// showSavedList shows a working list of the actor's: the case list with
// the filters saved under its name. Anyone else's list is not found.
func (h *Handler) showSavedList(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	l, err := h.Cases.SavedList(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := url.ParseQuery(l.Query)
	if err != nil {
		v = url.Values{}
	}
	if p := r.URL.Query().Get("page"); p != "" {
		v.Set("page", p)
	}
	h.renderCaseList(w, r, http.StatusOK, v, l, nil)
}
