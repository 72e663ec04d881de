package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps the statements run on one SQLite pool prepared, so that a
// statement run again is not parsed and planned again: for the short reads
// of a request, parsing costs more than running. A statement missing from
// the cache runs unprepared and is prepared in the background, by a
// goroutine that holds no connection, so that a transaction never waits for
// a second connection of its pool, which a busy pool may never free. Each
// connection then prepares it once, on first use.
type stmtCache struct {
	pool *sql.DB

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
	queue   chan string
	// done is closed when the preparer has stopped.
	done chan struct{}
}

// Bounds of the cache: statements with more placeholders vary with their
// lists of ids and are not kept.
const (
	maxCachedStmts      = 256
	maxCachedStmtParams = 64
)

func newStmtCache(pool *sql.DB) *stmtCache {
	c := &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{},
		queue: make(chan string, 64), done: make(chan struct{})}
	go c.prepare(c.queue)
	return c
}

// get returns the prepared statement of query, or nil when it is not
// prepared yet, asking for it then.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s
	}
	if c.queue == nil || c.pending[query] || len(c.stmts)+len(c.pending) >= maxCachedStmts ||
		strings.Count(query, "?") > maxCachedStmtParams {
		return nil
	}
	select {
	case c.queue <- query:
		c.pending[query] = true
	default: // the preparer is busy: a later run asks again
	}
	return nil
}

// prepare prepares the statements asked for on queue until the cache is
// closed.
func (c *stmtCache) prepare(queue <-chan string) {
	defer close(c.done)
	for query := range queue {
		c.mu.Lock()
		closing := c.queue == nil
		c.mu.Unlock()
		if closing {
			continue // what is still queued is dropped
		}
		s, err := c.pool.PrepareContext(context.Background(), query)
		c.mu.Lock()
		delete(c.pending, query)
		if err == nil && c.stmts != nil {
			c.stmts[query] = s
		} else if err == nil {
			s.Close()
		}
		c.mu.Unlock()
	}
}

// close stops the preparer, waits until it has let go of its connection,
// and releases the prepared statements, so that no connection of the pool
// is opened or held once the pool is closed.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.queue != nil {
		close(c.queue)
		c.queue = nil
	}
	c.mu.Unlock()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stmts {
		s.Close()
	}
	c.stmts = nil
}
