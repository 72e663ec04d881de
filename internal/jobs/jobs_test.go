package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"approdo/internal/jobs"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func enqueue(t *testing.T, db *store.DB, key string, runAt time.Time) bool {
	t.Helper()
	var added bool
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		added, err = store.EnqueueJob(context.Background(), tx, &store.Job{Kind: "test", Key: key, RunAt: runAt, CreatedAt: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func newRunner(db *store.DB, h jobs.Handler) *jobs.Runner {
	r := jobs.New(db)
	r.Log = slog.New(slog.DiscardHandler)
	r.Handle("test", h)
	return r
}

func job(t *testing.T, db *store.DB, key string) store.Job {
	t.Helper()
	var out store.Job
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for _, s := range []store.JobState{store.JobPending, store.JobRunning, store.JobDone, store.JobSkipped, store.JobFailed} {
			list, err := store.ListJobs(context.Background(), tx, s, 1000)
			if err != nil {
				return err
			}
			for _, j := range list {
				if j.Key == key {
					out = j
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ID == 0 {
		t.Fatalf("no job %q", key)
	}
	return out
}

func TestEnqueueIsIdempotentAndBacklogRunsInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for i, k := range []string{"c", "a", "b"} {
			off := map[string]time.Duration{"a": 1, "b": 2, "c": 3}[k]
			if !enqueue(t, db, k, t0.Add(off*time.Minute)) {
				t.Fatalf("job %d was not enqueued", i)
			}
		}
		if enqueue(t, db, "a", t0) {
			t.Fatal("a second job with the same key was enqueued")
		}
		var order []string
		r := newRunner(db, func(ctx context.Context, j *store.Job, now time.Time) error {
			order = append(order, j.Key)
			return nil
		})
		// Nothing is due before its time.
		if rep, err := r.RunDue(context.Background(), t0); err != nil || rep.Done != 0 {
			t.Fatalf("before their time: %+v %v", rep, err)
		}
		// After downtime, the backlog runs oldest first, each job once.
		if rep, err := r.RunDue(context.Background(), t0.Add(time.Hour)); err != nil || rep.Done != 3 {
			t.Fatalf("the backlog: %+v %v", rep, err)
		}
		if fmt.Sprint(order) != "[a b c]" {
			t.Errorf("the backlog ran in the order %v", order)
		}
		if rep, _ := r.RunDue(context.Background(), t0.Add(2*time.Hour)); rep != (jobs.Report{}) {
			t.Errorf("done jobs ran again: %+v", rep)
		}
		if j := job(t, db, "a"); j.State != store.JobDone || j.Attempts != 1 || j.FinishedAt.IsZero() {
			t.Errorf("a done job: %+v", j)
		}
		// Kept for a month, then purged.
		if err := r.Purge(context.Background(), t0.Add(jobs.Keep)); err != nil {
			t.Fatal(err)
		}
		job(t, db, "a")
		if err := r.Purge(context.Background(), t0.Add(jobs.Keep+2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if enqueue(t, db, "x", t0); !enqueue(t, db, "a", t0) {
			t.Error("a purged job's key is still taken")
		}
	})
}

func TestFailuresAreRetriedWithBackoffThenFailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		enqueue(t, db, "flaky", t0)
		enqueue(t, db, "broken", t0)
		calls := map[string]int{}
		r := newRunner(db, func(ctx context.Context, j *store.Job, now time.Time) error {
			calls[j.Key]++
			if j.Key == "broken" || calls[j.Key] < 3 {
				return errors.New("the mail server is unreachable")
			}
			return nil
		})
		r.MaxAttempts = 4
		ctx := context.Background()
		r.RunDue(ctx, t0)
		j := job(t, db, "flaky")
		if j.State != store.JobPending || j.Attempts != 1 || j.LastError != "the mail server is unreachable" || !j.RunAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("after a first failure: %+v", j)
		}
		// Not before its backoff: 1 minute, then 2, then 4.
		r.RunDue(ctx, t0.Add(59*time.Second))
		if calls["flaky"] != 1 {
			t.Fatal("retried before the backoff")
		}
		r.RunDue(ctx, t0.Add(time.Minute))
		if j := job(t, db, "flaky"); j.Attempts != 2 || !j.RunAt.Equal(t0.Add(3*time.Minute)) {
			t.Fatalf("after a second failure: %+v", j)
		}
		r.RunDue(ctx, t0.Add(3*time.Minute))
		if j := job(t, db, "flaky"); j.State != store.JobDone || j.Attempts != 3 || calls["flaky"] != 3 {
			t.Fatalf("the third attempt succeeded but: %+v", j)
		}
		r.RunDue(ctx, t0.Add(7*time.Minute))
		j = job(t, db, "broken")
		if j.State != store.JobFailed || j.Attempts != 4 || calls["broken"] != 4 {
			t.Fatalf("a job failing every attempt: %+v, %d calls", j, calls["broken"])
		}
		r.RunDue(ctx, t0.Add(24*time.Hour))
		if calls["broken"] != 4 {
			t.Fatal("a failed job ran again by itself")
		}
		// An administrator retries it.
		err := db.Write(ctx, func(tx *store.Tx) error { return store.RetryJob(ctx, tx, j.ID, t0.Add(25*time.Hour)) })
		if err != nil {
			t.Fatal(err)
		}
		r.RunDue(ctx, t0.Add(25*time.Hour))
		if calls["broken"] != 5 {
			t.Fatal("a retried job did not run")
		}
	})
}

func TestAJobLeftRunningByADeadRunnerIsTakenAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueue(t, db, "k", t0)
		// A runner claims the job and dies.
		err := db.Write(ctx, func(tx *store.Tx) error {
			got, err := store.ClaimJobs(ctx, tx, "dead", t0, jobs.DefaultLease, 10)
			if len(got) != 1 {
				t.Fatalf("claimed %d jobs", len(got))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		r := newRunner(db, func(ctx context.Context, j *store.Job, now time.Time) error {
			calls++
			return nil
		})
		r.RunDue(ctx, t0.Add(time.Minute))
		if calls != 0 {
			t.Fatal("a job was taken while its lease held")
		}
		r.RunDue(ctx, t0.Add(jobs.DefaultLease))
		if j := job(t, db, "k"); calls != 1 || j.State != store.JobDone || j.Attempts != 2 {
			t.Fatalf("after the lease expired: %d calls, %+v", calls, j)
		}
		// The dead runner, back, cannot record an outcome over it.
		err = db.Write(ctx, func(tx *store.Tx) error {
			ok, err := store.FinishJob(ctx, tx, job(t, db, "k").ID, "dead", store.JobPending, "late", t0, t0)
			if ok {
				t.Error("a runner that lost its lease recorded an outcome")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// A claim takes the due jobs oldest run_at first, whether they are pending
// or were left running by a runner whose lease expired, and leaves those not
// yet due or still leased.
func TestAClaimTakesTheOldestDueJobsFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueue(t, db, "leased", t0.Add(time.Minute))
		enqueue(t, db, "expired", t0.Add(2*time.Minute))
		// A runner that dies claims both, the first for an hour, the
		// second for a minute: each claim takes the oldest job due.
		for _, c := range []struct {
			key   string
			lease time.Duration
		}{{"leased", time.Hour}, {"expired", time.Minute}} {
			err := db.Write(ctx, func(tx *store.Tx) error {
				got, err := store.ClaimJobs(ctx, tx, "dead", t0.Add(3*time.Minute), c.lease, 1)
				if err == nil && (len(got) != 1 || got[0].Key != c.key) {
					t.Fatalf("claimed %+v, want %s", got, c.key)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		enqueue(t, db, "oldest", t0)
		enqueue(t, db, "newer", t0.Add(3*time.Minute))
		enqueue(t, db, "newest", t0.Add(4*time.Minute))
		enqueue(t, db, "later", t0.Add(time.Hour))
		var got []string
		err := db.Write(ctx, func(tx *store.Tx) error {
			claimed, err := store.ClaimJobs(ctx, tx, "live", t0.Add(5*time.Minute), jobs.DefaultLease, 3)
			for _, j := range claimed {
				got = append(got, j.Key)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// "leased" (run_at +1 min) was claimed for an hour and is not due;
		// "expired" (+2 min) lost its lease at +4 min.
		if want := []string{"oldest", "expired", "newer"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("claimed %v, want %v", got, want)
		}
	})
}

func TestSkippedJobsAreRecordedNotRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		enqueue(t, db, "k", t0)
		calls := 0
		r := newRunner(db, func(ctx context.Context, j *store.Job, now time.Time) error {
			calls++
			return jobs.Skip("no mail server configured")
		})
		r.RunDue(context.Background(), t0)
		r.RunDue(context.Background(), t0.Add(time.Hour))
		if j := job(t, db, "k"); calls != 1 || j.State != store.JobSkipped || j.LastError != "skipped: no mail server configured" {
			t.Fatalf("a skipped job: %d calls, %+v", calls, j)
		}
	})
}

func TestConcurrentRunnersRunEachJobOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 40
		for i := range n {
			enqueue(t, db, fmt.Sprintf("job-%02d", i), t0.Add(time.Duration(i)*time.Second))
		}
		var mu sync.Mutex
		calls := map[string]int{}
		h := func(ctx context.Context, j *store.Job, now time.Time) error {
			time.Sleep(2 * time.Millisecond) // as a mail server would
			mu.Lock()
			calls[j.Key]++
			mu.Unlock()
			return nil
		}
		var wg sync.WaitGroup
		for range 4 {
			r := newRunner(db, h)
			wg.Go(func() {
				for range 3 {
					if _, err := r.RunDue(context.Background(), t0.Add(time.Hour)); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if len(calls) != n {
			t.Errorf("%d jobs ran, want %d", len(calls), n)
		}
		for k, c := range calls {
			if c != 1 {
				t.Errorf("job %s ran %d times", k, c)
			}
		}
	})
}
