package web

import (
	"net/http"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// moveStage moves a case forward, or back with a reason, and goes back to
// the case; when the move is refused or the case changed meanwhile, the
// form comes back saying why, with what was written.
func (h *Handler) moveStage(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := caseStageForm{caseForm: caseForm{Version: formVersion(r)}, To: cases.Stage(r.PostFormValue("stage")),
		Reason: r.PostFormValue("reason")}
	_, err := h.Cases.MoveStage(r.Context(), auth.ActorFrom(r.Context()), id,
		casework.StageMove{Version: f.Version, To: f.To, Reason: f.Reason}, auth.ClientFrom(r.Context()))
	h.settle(w, r, id, err, &f.caseForm, func(status int, current *cases.Case) {
		if current == nil {
			c, ok := h.caseFormFor(w, r, access.Read)
			if !ok {
				return
			}
			f.Case = c
		}
		h.renderStageForm(w, r, status, f)
	})
}
