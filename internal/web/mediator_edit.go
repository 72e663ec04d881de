package web

import (
	"net/http"

	"approdo/internal/auth"
)

// editMediator shows the form of a profile: the whole profile to whom
// manages it, the weekly availability alone to the mediator keeping their
// own.
func (h *Handler) editMediator(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "mediator")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	v, err := h.Cases.Mediator(r.Context(), auth.ActorFrom(r.Context()), id)
	if err == nil && !v.CanUpdate {
		h.notFound(w, r)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderMediatorForm(w, r, http.StatusOK, mediatorFormOf(v, lang(r.Context())))
}
