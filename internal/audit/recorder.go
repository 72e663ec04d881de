package audit

import (
	"context"
	"time"

	"approdo/internal/store"
)

// Recorder appends the entries of reads, which change nothing else, in
// shared transactions: entries recorded while one transaction commits wait
// for the next, and commit together. Each Record returns only once its
// entry is committed, so that what was read is shown only after the read
// is in the log, as with Append; under load, many reads cost one commit.
type Recorder struct {
	db      *store.DB
	batches store.Batches[pendingEntry]
}

type pendingEntry struct {
	entries []*Entry
	done    chan error
}

// maxBatch bounds the requests of one transaction.
const maxBatch = 512

// NewRecorder returns a recorder that appends to the log of db.
func NewRecorder(db *store.DB) *Recorder {
	r := &Recorder{db: db}
	r.batches = store.Batches[pendingEntry]{Max: maxBatch, Run: r.commit}
	return r
}

// Record appends entries to the log, in a transaction shared with the
// entries recorded at the same time, and returns once they are committed.
// It keeps each entry's time, or gives it the time of the call.
func (r *Recorder) Record(ctx context.Context, entries ...*Entry) error {
	now := time.Now()
	for _, e := range entries {
		if e.At.IsZero() {
			e.At = now
		}
	}
	p := pendingEntry{entries: entries, done: make(chan error, 1)}
	r.batches.Add(p)
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		// The entry is still written; the caller shows nothing.
		return ctx.Err()
	}
}

// commit appends the entries of batch in one transaction and tells each
// caller.
func (r *Recorder) commit(batch []pendingEntry) {
	// The entries were asked by requests that wait for them: their
	// transaction does not end with any one request.
	ctx := context.Background()
	err := r.db.Write(ctx, func(tx *store.Tx) error {
		var entries []*Entry
		for _, p := range batch {
			entries = append(entries, p.entries...)
		}
		return AppendAll(ctx, tx, entries)
	})
	for _, p := range batch {
		p.done <- err
	}
}
