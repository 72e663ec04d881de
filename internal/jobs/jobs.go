// Package jobs runs Approdo's durable jobs: work recorded in the jobs table
// (an e-mail to send, a task's reminder) that survives restarts, runs once
// whichever instance claims it first, is retried with exponential backoff
// when it fails and is kept, failed, for an administrator to retry after too
// many attempts.
//
// A job is enqueued in the transaction of the change that asks for it
// (store.EnqueueJob), under a key that makes enqueueing idempotent. Every
// server runs the due jobs from its periodic chores (Runner.RunDue). A claim
// marks the job running under a lease; a job whose runner dies is taken
// again when the lease expires.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"approdo/internal/store"
)

// Handler does one job as at now. It returns nil when the job is done, an
// error made by Skip when there was nothing to do, or any other error to have
// the job retried later. The error's text is recorded on the job, so it must
// carry no personal data.
type Handler func(ctx context.Context, j *store.Job, now time.Time) error

// TxHandler does one job as at now inside the transaction that records it
// done, so that its changes to the database happen exactly once. It returns
// errors as a Handler does; on any error its changes are rolled back.
type TxHandler func(ctx context.Context, tx *store.Tx, j *store.Job, now time.Time) error

// skipped is the error of a job that had nothing to do.
type skipped struct{ reason string }

func (s *skipped) Error() string { return "skipped: " + s.reason }

// Skip returns the error a handler gives when the job had nothing to do, for
// example an e-mail with no mail server configured. The job ends as skipped
// with reason recorded, and is not retried.
func Skip(reason string) error { return &skipped{reason: reason} }

// Defaults of a Runner.
const (
	DefaultLease       = 5 * time.Minute
	DefaultMaxAttempts = 10
	DefaultBackoff     = time.Minute
	DefaultMaxBackoff  = time.Hour
)

// Runner claims and runs due jobs. Several runners, in one process or in
// several, may share a database: each job runs once.
type Runner struct {
	db         *store.DB
	handlers   map[string]Handler
	txHandlers map[string]TxHandler
	// Worker names this runner in locked_by; New sets a random one.
	Worker string
	// Lease is how long a claimed job is held before another runner may
	// take it again. It must exceed the longest a handler runs.
	Lease time.Duration
	// MaxAttempts is how many times a job is tried before it is failed.
	MaxAttempts int
	// Backoff is the wait after the first failure; it doubles after each
	// further one, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Log receives one line per failure, with the job's kind and id only.
	Log *slog.Logger
}

// New returns a runner over db with the default lease, attempts and backoff
// and no handlers.
func New(db *store.DB) *Runner {
	return &Runner{db: db, handlers: map[string]Handler{}, txHandlers: map[string]TxHandler{},
		Worker: "runner-" + token(), Lease: DefaultLease,
		MaxAttempts: DefaultMaxAttempts, Backoff: DefaultBackoff, MaxBackoff: DefaultMaxBackoff, Log: slog.Default()}
}

// Handle makes h do the jobs of kind.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// HandleTx makes h do the jobs of kind, each in the transaction that records
// it done.
func (r *Runner) HandleTx(kind string, h TxHandler) { r.txHandlers[kind] = h }

// Report counts what one RunDue did.
type Report struct {
	Done, Skipped, Retried, Failed int
}

// RunDue runs, one at a time and oldest run_at first, the jobs due at now,
// until none is left or ctx ends. A job that fails is pending again after
// its backoff, so one call runs each job at most once. It returns an error
// only when the database cannot be reached.
func (r *Runner) RunDue(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	for ctx.Err() == nil {
		var claimed []store.Job
		lock := r.Worker + "/" + token()
		err := r.db.Write(ctx, func(tx *store.Tx) error {
			var err error
			claimed, err = store.ClaimJobs(ctx, tx, lock, now, r.Lease, 1)
			return err
		})
		if err != nil {
			return rep, err
		}
		if len(claimed) == 0 {
			return rep, nil
		}
		if err := r.run(ctx, &claimed[0], lock, now, &rep); err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// Keep is how long a job that ended done or skipped is kept before Purge
// removes it. It must exceed the time over which its key guards against a
// repeat (a task reminder is enqueued up to a week after its due time).
const Keep = 30 * 24 * time.Hour

// Purge removes the jobs that ended done or skipped more than Keep before
// now.
func (r *Runner) Purge(ctx context.Context, now time.Time) error {
	return r.db.Write(ctx, func(tx *store.Tx) error {
		_, err := store.PurgeJobs(ctx, tx, now.Add(-Keep))
		return err
	})
}

// run does claimed job j and records how it ended.
func (r *Runner) run(ctx context.Context, j *store.Job, lock string, now time.Time, rep *Report) error {
	var err error
	switch th, inTx := r.txHandlers[j.Kind]; {
	case j.Attempts > r.MaxAttempts:
		err = errors.New("the lease expired on every attempt")
	case inTx:
		err = r.db.Write(ctx, func(tx *store.Tx) error {
			if err := th(ctx, tx, j, now); err != nil {
				return err
			}
			ok, err := store.FinishJob(ctx, tx, j.ID, lock, store.JobDone, "", time.Time{}, now)
			if err == nil && !ok {
				return errLeaseLost
			}
			return err
		})
		if err == nil {
			rep.Done++
			return nil
		} else if errors.Is(err, errLeaseLost) {
			r.Log.Warn("job lease lost before it ended", "job", j.ID, "kind", j.Kind)
			return nil
		}
	default:
		err = r.call(ctx, j, now)
	}
	state, msg, retryAt := store.JobDone, "", time.Time{}
	var skip *skipped
	switch {
	case err == nil:
		rep.Done++
	case errors.As(err, &skip):
		state, msg = store.JobSkipped, skip.Error()
		rep.Skipped++
	case j.Attempts >= r.MaxAttempts:
		state, msg = store.JobFailed, limit(err.Error())
		rep.Failed++
		r.Log.Error("job failed for good", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts)
	default:
		state, msg, retryAt = store.JobPending, limit(err.Error()), now.Add(r.backoff(j.Attempts))
		rep.Retried++
		r.Log.Warn("job failed, will retry", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "retry_at", retryAt)
	}
	// The outcome is recorded even when ctx ended during the job, so that a
	// sent e-mail is not sent again.
	ctx = context.WithoutCancel(ctx)
	return r.db.Write(ctx, func(tx *store.Tx) error {
		ok, err := store.FinishJob(ctx, tx, j.ID, lock, state, msg, retryAt, now)
		if err == nil && !ok {
			r.Log.Warn("job lease lost before it ended", "job", j.ID, "kind", j.Kind)
		}
		return err
	})
}

var errLeaseLost = errors.New("the job's lease was lost")

// call runs j's handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, j *store.Job, now time.Time) (err error) {
	h, ok := r.handlers[j.Kind]
	if !ok {
		return fmt.Errorf("no handler for jobs of kind %q", j.Kind)
	}
	defer func() {
		if p := recover(); p != nil {
			// The value of the panic may hold anything: it is neither
			// stored nor logged.
			err = errors.New("the handler panicked")
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, r.Lease*9/10)
	defer cancel()
	return h(ctx, j, now)
}

// backoff returns the wait after the given number of failed attempts.
func (r *Runner) backoff(attempts int) time.Duration {
	d := r.Backoff
	for i := 1; i < attempts && d < r.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, r.MaxBackoff)
}

// limit keeps an error message short enough to store.
func limit(s string) string {
	const max = 500
	if len(s) > max {
		return s[:max]
	}
	return s
}

func token() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
