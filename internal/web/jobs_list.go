package web

import (
	"net/http"
	"strconv"
	"time"

	"approdo/internal/store"
)

// failedJobsData is what the page of failed jobs shows.
type failedJobsData struct {
	Jobs    []store.Job
	Retried bool
}

// listFailedJobs shows administrators the durable jobs (e-mails, reminders)
// that failed after every attempt, with a button to retry each.
func (h *Handler) listFailedJobs(w http.ResponseWriter, r *http.Request) {
	var data failedJobsData
	err := h.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		data.Jobs, err = store.ListJobs(r.Context(), tx, store.JobFailed, 200)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Retried = r.URL.Query().Get("retried") == "1"
	h.render(w, r, http.StatusOK, "jobs", h.newPage(r, "mail.jobs.title", data))
}

// retryJob makes a failed job pending again; the next round of the chores
// runs it.
func (h *Handler) retryJob(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	if err := h.DB.Write(r.Context(), func(tx *store.Tx) error { return store.RetryJob(r.Context(), tx, id, time.Now()) }); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/jobs?retried=1", http.StatusSeeOther)
}
