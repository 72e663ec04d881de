package api

import (
	"net/http"
	"time"

	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// notificationJSON is a notification as the API shows it: it names a case
// by its code, never by the person's name.
type notificationJSON struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	CaseID    *int64 `json:"case_id"`
	CaseCode  string `json:"case_code"`
	ActorID   *int64 `json:"actor_id"`
	CreatedAt string `json:"created_at"`
	Read      bool   `json:"read"`
}

// listNotifications returns the caller's fifty newest notifications.
func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	out := []notificationJSON{}
	err := a.DB.Read(r.Context(), func(tx *store.Tx) error {
		ns, err := store.ListNotifications(r.Context(), tx, actor.User.ID, 50)
		for _, n := range ns {
			out = append(out, notificationJSON{ID: n.ID, Kind: n.Kind, CaseID: optionalID(n.CaseID), CaseCode: n.CaseCode,
				ActorID: optionalID(n.ActorID), CreatedAt: n.CreatedAt.UTC().Format(time.RFC3339), Read: !n.ReadAt.IsZero()})
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}
