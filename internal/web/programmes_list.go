package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/store"
)

// listProgrammes shows the funded programmes of the network with their lead
// entity, partners, areas and period.
func (h *Handler) listProgrammes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var programmes []programmeView
	err := h.DB.Read(ctx, func(tx *store.Tx) error {
		dir, err := loadDirectory(ctx, tx)
		if err != nil {
			return err
		}
		programmes = dir.readableBy(auth.ActorFrom(ctx)).programmes
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "programmes", h.newPage(r, "programmes.title", programmes))
}
