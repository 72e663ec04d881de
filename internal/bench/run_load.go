package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"approdo/internal/store"
)

// opStats collects the outcomes of one operation's requests.
type opStats struct {
	mu       sync.Mutex
	op       *operation
	latency  []time.Duration
	errors   int
	examples []string // the first distinct errors, for the report
	elapsed  time.Duration
}

// maxExamples is how many distinct errors an operation's row keeps.
const maxExamples = 3

// record adds a request that took d and ended with err.
func (s *opStats) record(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = append(s.latency, d)
	if err == nil {
		return
	}
	s.errors++
	if msg := err.Error(); len(s.examples) < maxExamples && !slices.Contains(s.examples, msg) {
		s.examples = append(s.examples, msg)
	}
}

// openLoop sends requests at a fixed arrival rate for d: the i-th request
// is due at start + i/rate, whatever became of the earlier ones, and starts
// in its own goroutine; its latency counts from when it was due, so that a
// slow server is charged with the time requests waited to be sent (no
// coordinated omission). The operations follow the mix in turn, each
// operation's operators round robin. It returns when every request sent
// has ended.
func (h *harness) openLoop(ctx context.Context, rate float64, d time.Duration) ([]*opStats, error) {
	stats := map[*operation]*opStats{}
	var out []*opStats
	for _, op := range h.ops {
		s := &opStats{op: op, elapsed: d}
		stats[op] = s
		out = append(out, s)
	}
	total := int(rate * d.Seconds())
	var wg sync.WaitGroup
	start := time.Now()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for i := range total {
		due := start.Add(time.Duration(float64(i) * float64(time.Second) / rate))
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				wg.Wait()
				return nil, ctx.Err()
			case <-timer.C:
			}
		}
		op := h.mix[i%len(h.mix)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := op.next(ctx)
			stats[op].record(time.Since(due), err)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// saturate runs each operation alone, then the bare handler, with
// connections clients sending requests back to back for d each.
func (h *harness) saturate(ctx context.Context, connections int, d time.Duration) ([]*opStats, error) {
	var out []*opStats
	for _, op := range append(append([]*operation{}, h.ops...), h.bareOp) {
		s := &opStats{op: op}
		s.elapsed = backToBack(ctx, connections, d, func() {
			t := time.Now()
			err := op.next(ctx)
			if ctx.Err() == nil {
				s.record(time.Since(t), err)
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// commits is the outcome of the raw commit rate's measure.
type commits struct {
	rate   float64 // per second
	failed int
	// durability says what a commit waits for, as the database's settings
	// say.
	durability string
}

// commitRate measures the raw durable commit rate of the database at dsn:
// connections writers each commit a one-row INSERT in a transaction of its
// own (db.WriteAlone), back to back, for d, in a table of the harness's own that is
// dropped at the end.
func commitRate(ctx context.Context, dsn string, connections int, d time.Duration) (out commits, err error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return out, err
	}
	defer db.Close()
	if out.durability, err = durability(ctx, db); err != nil {
		return out, err
	}
	create := `CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, at TIMESTAMP NOT NULL, note TEXT NOT NULL)`
	if db.Dialect == store.Postgres {
		create = `CREATE TABLE bench_commits (id BIGSERIAL PRIMARY KEY, at TIMESTAMP NOT NULL, note TEXT NOT NULL)`
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS bench_commits`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, create)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("bench: cannot create the table bench_commits: %w", err)
	}
	defer func() {
		bg := context.WithoutCancel(ctx)
		drop := db.Write(bg, func(tx *store.Tx) error {
			_, err := tx.Exec(bg, `DROP TABLE bench_commits`)
			return err
		})
		if drop != nil && err == nil {
			err = fmt.Errorf("bench: cannot drop the table bench_commits: %w", drop)
		}
	}()
	var done, failures atomic.Int64
	elapsed := backToBack(ctx, connections, d, func() {
		err := db.WriteAlone(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO bench_commits (at, note) VALUES (?, ?)`, time.Now().UTC(), "commit")
			return err
		})
		switch {
		case ctx.Err() != nil:
		case err != nil:
			failures.Add(1)
		default:
			done.Add(1)
		}
	})
	if err := ctx.Err(); err != nil {
		return out, err
	}
	out.rate, out.failed = float64(done.Load())/elapsed.Seconds(), int(failures.Load())
	return out, nil
}

// durability describes what a commit of db waits for: on SQLite the
// journal mode and the synchronous setting of the writer connection, on
// PostgreSQL fsync and synchronous_commit.
func durability(ctx context.Context, db *store.DB) (string, error) {
	var out string
	err := db.Write(ctx, func(tx *store.Tx) error {
		if db.Dialect == store.Postgres {
			var fsync, syncCommit string
			if err := tx.QueryRow(ctx, `SELECT current_setting('fsync'), current_setting('synchronous_commit')`).
				Scan(&fsync, &syncCommit); err != nil {
				return err
			}
			out = "fsync=" + fsync + ", synchronous_commit=" + syncCommit
			return nil
		}
		var journal string
		var sync int
		if err := tx.QueryRow(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
			return err
		}
		levels := []string{"OFF", "NORMAL", "FULL", "EXTRA"}
		level := fmt.Sprint(sync)
		if sync >= 0 && sync < len(levels) {
			level = levels[sync]
		}
		out = "journal_mode=" + journal + ", synchronous=" + level
		switch {
		case journal == "wal" && level == "NORMAL":
			out += ": the log is synced at checkpoints, not at each commit"
		case journal == "wal" && (level == "FULL" || level == "EXTRA"):
			out += ": each commit waits until the log is on the disk"
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("bench: cannot read the database's durability settings: %w", err)
	}
	return out, nil
}

// backToBack runs fn again and again on connections goroutines at once,
// each starting again as soon as it returns, for d or until ctx ends, and
// returns how long they ran.
func backToBack(ctx context.Context, connections int, d time.Duration, fn func()) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				fn()
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
