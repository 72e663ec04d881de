package api

import (
	"net/http"
	"strconv"
	"time"

	"approdo/internal/auth"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// notificationSettingsJSON is how the caller gets notifications by e-mail.
type notificationSettingsJSON struct {
	// EmailNotifications is "none", "immediately" or "daily".
	EmailNotifications string `json:"email_notifications"`
	// HasEmail says whether the caller's profile has an address to send to.
	HasEmail bool `json:"has_email"`
}

// getNotificationSettings returns how the caller gets notifications by
// e-mail.
func (a *API) getNotificationSettings(w http.ResponseWriter, r *http.Request) {
	a.answerNotificationSettings(w, r, auth.ActorFrom(r.Context()).User.ID)
}

// putNotificationSettings sets how the caller gets notifications by e-mail.
func (a *API) putNotificationSettings(w http.ResponseWriter, r *http.Request) {
	var in struct {
		EmailNotifications string `json:"email_notifications"`
	}
	if err := decodeJSON(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	id := auth.ActorFrom(r.Context()).User.ID
	err := a.DB.Write(r.Context(), func(tx *store.Tx) error {
		return store.SetMailPreference(r.Context(), tx, id, store.MailPreference(in.EmailNotifications))
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerNotificationSettings(w, r, id)
}

func (a *API) answerNotificationSettings(w http.ResponseWriter, r *http.Request, id int64) {
	var rc *store.Recipient
	err := a.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		rc, err = store.FindRecipient(r.Context(), tx, id)
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, notificationSettingsJSON{EmailNotifications: string(rc.Preference), HasEmail: rc.Email != ""})
}

// jobJSON is a durable job as administrators see it: its kind, key (ids
// only), attempts and last error, which hold no personal data.
type jobJSON struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Key       string `json:"key"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
	RunAt     string `json:"run_at"`
	CreatedAt string `json:"created_at"`
}

// listFailedJobs returns the jobs that failed after every attempt, newest
// first.
func (a *API) listFailedJobs(w http.ResponseWriter, r *http.Request) {
	out := []jobJSON{}
	err := a.DB.Read(r.Context(), func(tx *store.Tx) error {
		list, err := store.ListJobs(r.Context(), tx, store.JobFailed, 200)
		for _, j := range list {
			out = append(out, jobJSON{ID: j.ID, Kind: j.Kind, Key: j.Key, State: string(j.State), Attempts: j.Attempts,
				LastError: j.LastError, RunAt: j.RunAt.UTC().Format(time.RFC3339), CreatedAt: j.CreatedAt.UTC().Format(time.RFC3339)})
		}
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// retryJob makes a failed job pending again, to run at the next round of
// the chores.
func (a *API) retryJob(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || id <= 0 {
		a.fail(w, r, errNotFound())
		return
	}
	err = a.DB.Write(r.Context(), func(tx *store.Tx) error { return store.RetryJob(r.Context(), tx, id, time.Now()) })
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
