package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// deadlineRulesData is what the list of the clocks' rules shows.
type deadlineRulesData struct {
	*casework.RuleBook
	Saved bool
}

// Editable reports whether the reader may edit the rules of programme id
// (0: the network's).
func (d deadlineRulesData) Editable(id int64) bool {
	if id == 0 {
		return d.EditsNetwork
	}
	_, ok := d.Programmes[id]
	return ok
}

// listDeadlineRules lists the rules of the legal and protocol clocks, the
// network's and the programmes' overrides, with their legal sources.
func (h *Handler) listDeadlineRules(w http.ResponseWriter, r *http.Request) {
	book, err := h.Cases.DeadlineRules(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "deadline_rules", h.newPage(r, "deadline_rules.title",
		deadlineRulesData{RuleBook: book, Saved: r.URL.Query().Has("saved")}))
}
