package store

import "sync"

// Batches hands what is added at the same moment to Run together: while
// one batch runs, what is added waits and forms the next. Group commit of
// writes (committer) and of reads' audit entries (audit.Recorder) use it.
// Callers wait for their item's outcome themselves.
type Batches[T any] struct {
	// Max bounds a batch, so that none waits long behind many.
	Max int
	// Run handles one batch; batches run one after another.
	Run func([]T)

	mu      sync.Mutex
	pending []T
	running bool
}

// Add queues x and, when no batch is running, starts running batches
// until none is left.
func (b *Batches[T]) Add(x T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, x)
	if !b.running {
		b.running = true
		go b.drain()
	}
}

// drain runs the pending batches until none is left.
func (b *Batches[T]) drain() {
	for {
		b.mu.Lock()
		n := min(len(b.pending), b.Max)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		batch := b.pending[:n:n]
		b.pending = b.pending[n:]
		b.mu.Unlock()
		b.Run(batch)
	}
}
