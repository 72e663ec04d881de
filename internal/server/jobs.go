package server

import (
	"context"
	"time"

	"approdo/internal/i18n"
	"approdo/internal/jobs"
	"approdo/internal/notify"
	"approdo/internal/store"
)

// newJobRunner returns the runner of the server's durable jobs: the e-mails
// of notifications and digests and the reminders of tasks.
func newJobRunner(cfg Config, db *store.DB, cat *i18n.Catalogue) *jobs.Runner {
	r := jobs.New(db)
	r.Log = cfg.Logger
	notify.NewMailer(db, cat, cfg.Mail, cfg.BaseURL).Register(r)
	return r
}

// Jobs returns the runner of the server's durable jobs, so that tests can
// tune its backoff.
func (s *Server) Jobs() *jobs.Runner { return s.jobs }

// runJobs enqueues the reminders of the tasks due soon, runs the jobs due at
// now and removes those that ended long ago.
func (s *Server) runJobs(ctx context.Context, now time.Time) {
	if err := notify.EnqueueTaskReminders(ctx, s.db, now); err != nil && ctx.Err() == nil {
		s.log.Error("unable to enqueue task reminders", "err", err)
	}
	if _, err := s.jobs.RunDue(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Error("unable to run the due jobs", "err", err)
	}
	if err := s.jobs.Purge(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Error("unable to purge old jobs", "err", err)
	}
}
