package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// secondFactorResetData is what the page that resets a user's second factor
// shows: whom it is about and, after the reset, that it is done.
type secondFactorResetData struct {
	User network.User
	Done bool
}

// showSecondFactorReset asks an administrator to confirm resetting a user's
// second factor, or confirms that it was reset.
func (h *Handler) showSecondFactorReset(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	var u *network.User
	err := h.DB.Read(r.Context(), func(tx *store.Tx) (err error) {
		u, err = store.FindUser(r.Context(), tx, id)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := auth.ActorFrom(r.Context())
	if !auth.ManagesAccount(a, u) {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	data := secondFactorResetData{User: *u, Done: r.URL.Query().Get("done") == "1"}
	h.render(w, r, http.StatusOK, "second_factor_reset", h.newPage(r, "security.reset.title", data))
}
