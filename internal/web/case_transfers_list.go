package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// transfersData is what the transfers page shows: the transfers addressed
// to the actor's organisation, pending first, and those it requested.
type transfersData struct {
	Incoming []casework.TransferView
	Outgoing []casework.TransferView
	Decided  bool // the actor has just decided one
}

// listTransfers shows the transfers the actor's organisation must decide
// and those it asked for.
func (h *Handler) listTransfers(w http.ResponseWriter, r *http.Request) {
	in, out, err := h.Cases.Transfers(r.Context(), auth.ActorFrom(r.Context()), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "case_transfers", h.newPage(r, "case_transfers.title",
		transfersData{Incoming: in, Outgoing: out, Decided: r.URL.Query().Has("decided")}))
}
