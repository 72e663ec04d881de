package store

import (
	"context"
	"fmt"
)

// committer runs the write transactions asked of a SQLite database at the
// same moment in one transaction of the single writer, each in a savepoint
// of its own, and commits them together: one sync of the log for many
// changes. A change that fails is rolled back to its savepoint alone and
// the others commit; each caller learns its own outcome once the commit is
// on the disk, as if it had had the transaction to itself.
type committer struct {
	db      *DB
	batches Batches[*groupedWrite]
}

// groupedWrite is one caller's change waiting for its turn.
type groupedWrite struct {
	ctx   context.Context
	fn    func(*Tx) error
	err   error
	panic any
	done  chan struct{}
}

// maxGroup bounds the changes of one transaction, so that none waits long
// behind many.
const maxGroup = 64

func newCommitter(db *DB) *committer {
	c := &committer{db: db}
	c.batches = Batches[*groupedWrite]{Max: maxGroup, Run: func(group []*groupedWrite) {
		c.commit(group)
		for _, w := range group {
			close(w.done)
		}
	}}
	return c
}

// write runs fn in a transaction shared with the changes asked at the same
// time and returns its outcome once committed.
func (c *committer) write(ctx context.Context, fn func(*Tx) error) error {
	w := &groupedWrite{ctx: ctx, fn: fn, done: make(chan struct{})}
	c.batches.Add(w)
	<-w.done
	if w.panic != nil {
		panic(w.panic)
	}
	return w.err
}

// commit runs group in one transaction and sets each change's outcome.
func (c *committer) commit(group []*groupedWrite) {
	// A change whose caller has gone is not started.
	live := group[:0:0]
	for _, w := range group {
		if err := w.ctx.Err(); err != nil {
			w.err = err
			continue
		}
		live = append(live, w)
	}
	if len(live) == 0 {
		return
	}
	if len(live) == 1 {
		w := live[0]
		w.panic, w.err = c.alone(w)
		return
	}
	err := c.db.run(context.Background(), c.db.write, c.db.writeStmts, false, func(tx *Tx) error {
		for i, w := range live {
			name := fmt.Sprintf("w%d", i)
			if _, err := tx.tx.ExecContext(w.ctx, "SAVEPOINT "+name); err != nil {
				w.err = c.db.wrap(err)
				continue
			}
			w.panic, w.err = call(w.fn, &Tx{tx: tx.tx, db: tx.db, stmts: tx.stmts})
			if w.err != nil || w.panic != nil {
				if _, err := tx.tx.ExecContext(context.Background(), "ROLLBACK TO "+name); err != nil {
					return err
				}
			}
			if _, err := tx.tx.ExecContext(context.Background(), "RELEASE "+name); err != nil {
				return err
			}
			if w.err != nil {
				w.err = c.db.classify(w.err)
			}
		}
		return nil
	})
	if err != nil {
		// Nothing committed: every change that had succeeded learns it.
		for _, w := range live {
			if w.err == nil && w.panic == nil {
				w.err = err
			}
		}
	}
}

// alone runs the one change of a group in a transaction of its own.
func (c *committer) alone(w *groupedWrite) (p any, err error) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	return nil, c.db.run(w.ctx, c.db.write, c.db.writeStmts, false, w.fn)
}

// call runs fn on tx, turning a panic into its value.
func call(fn func(*Tx) error, tx *Tx) (p any, err error) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	return nil, fn(tx)
}
