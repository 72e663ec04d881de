package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// overrideDeadlineRule opens the form that starts a programme's own version
// of a network rule, from the list's choice of programme and rule; without
// a choice it shows the list, where the choice is made.
func (h *Handler) overrideDeadlineRule(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	programme, code := parseID(q.Get("programme")), q.Get("code")
	if programme <= 0 || code == "" {
		h.listDeadlineRules(w, r)
		return
	}
	http.Redirect(w, r, "/deadline-rules/"+url.PathEscape(code)+"/edit?programme="+strconv.FormatInt(programme, 10), http.StatusSeeOther)
}
