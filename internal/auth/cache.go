package auth

import (
	"sync"
	"sync/atomic"
	"time"
)

// accessGeneration counts the changes, in this process, that may change
// what a signed-in actor holds, or the names a view shows: sign-outs,
// roles, users, areas, organisations and programmes added or edited,
// break-glass accesses and referrals.
var accessGeneration atomic.Uint64

// AccessChanged tells the actor caches of this process that what some actor
// holds may have changed, so that they load every actor again. Services
// call it after committing such a change. Another instance of Approdo sees
// the change once its cached actors expire (ActorCacheFor).
func AccessChanged() { accessGeneration.Add(1) }

// AccessGeneration returns the number of changes AccessChanged counted, for
// other caches of what such changes change.
func AccessGeneration() uint64 { return accessGeneration.Load() }

// ActorCacheFor is how long an actor loaded for a session stays in memory:
// requests within it skip the queries that sign them in. It bounds how late
// another instance sees a change of access made elsewhere.
const ActorCacheFor = 2 * time.Second

// maxCachedActors bounds the memory of the cache: past it, it starts over.
const maxCachedActors = 10000

// actorCache keeps recently loaded actors by the hash of their session
// token.
type actorCache struct {
	mu      sync.Mutex
	entries map[string]cachedActor
}

type cachedActor struct {
	actor  Actor
	loaded time.Time
	gen    uint64
}

// get returns a copy of the actor of key, loaded less than ttl before now
// and since the last change of access.
func (c *actorCache) get(key []byte, now time.Time, ttl time.Duration) (*Actor, bool) {
	gen := accessGeneration.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(key)]
	if !ok || e.gen != gen || now.Sub(e.loaded) >= ttl || now.Before(e.loaded) {
		return nil, false
	}
	a := e.actor
	return &a, true
}

// put keeps a copy of a, loaded at now while access stood at generation gen.
func (c *actorCache) put(key []byte, a *Actor, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedActors {
		c.entries = map[string]cachedActor{}
	}
	c.entries[string(key)] = cachedActor{actor: *a, loaded: now, gen: gen}
}

// seen records that the session of key was used at at.
func (c *actorCache) seen(key []byte, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[string(key)]; ok && e.actor.Session != nil {
		s := *e.actor.Session
		s.LastSeenAt = at
		e.actor.Session = &s
		c.entries[string(key)] = e
	}
}
