// Package memstore keeps sessions in the process's memory.
//
// It is the fastest store and the right one for tests and single-process
// applications that can afford to sign everyone out on restart. The map is
// split into shards, each with its own lock, so concurrent requests rarely
// wait on one another. Expired sessions are never returned; a janitor
// goroutine (NewWithCleanup) removes them in the background.
package memstore

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

const shardCount = 32

// DefaultCleanupInterval is how often New's janitor removes expired
// sessions.
const DefaultCleanupInterval = time.Minute

// Store is an in-memory store.Store. The zero value is ready to use, without
// a janitor.
type Store struct {
	seed   maphash.Seed
	once   sync.Once
	shards [shardCount]shard

	owners ownerIndex

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

type shard struct {
	mu sync.RWMutex
	m  map[string]entry
}

type entry struct {
	data   []byte
	expiry time.Time
	owner  string // "" for none; see owner.go
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Cycler = (*Store)(nil)
)

// New returns a Store whose janitor removes expired sessions every
// DefaultCleanupInterval. Call Close to stop it.
func New() *Store { return NewWithCleanup(DefaultCleanupInterval) }

// NewWithCleanup returns a Store whose janitor runs every interval; an
// interval of 0 starts none.
func NewWithCleanup(interval time.Duration) *Store {
	s := &Store{}
	if interval > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go s.janitor(interval)
	}
	return s
}

// Close stops the janitor, if any, and waits for it to finish. The store
// stays usable.
func (s *Store) Close() error {
	s.stopOnce.Do(func() {
		if s.stop != nil {
			close(s.stop)
			<-s.done
		}
	})
	return nil
}

func (s *Store) janitor(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.ClearExpired(context.Background())
		}
	}
}

func (s *Store) index(key string) int {
	s.once.Do(func() { s.seed = maphash.MakeSeed() })
	return int(maphash.String(s.seed, key) % shardCount)
}

func (s *Store) shard(key string) *shard { return &s.shards[s.index(key)] }

// Load returns the live payload under key. The returned slice is shared
// with the store and must not be modified.
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, wrap("load", err)
	}
	sh := s.shard(key)
	sh.mu.RLock()
	e, ok := sh.m[key]
	sh.mu.RUnlock()
	if !ok || !live(e.expiry) {
		return nil, false, nil
	}
	return e.data, true, nil
}

// live reports whether a record expiring at expiry is live, with the
// answer time.Now().Before(expiry) gives. time.Until reads only the
// monotonic clock when expiry carries a reading of it (as an expiry
// computed from time.Now does), where Now reads the wall clock too: on a
// virtual machine each clock read is a noticeable part of a Load.
func live(expiry time.Time) bool { return time.Until(expiry) > 0 }

// liveAfter is live for a record that replaces one found live just now,
// expiring at replaced (the zero time when there was none): an expiry no
// earlier than that is live too, and a save that extends a session, the
// common one, needs no second clock read.
func liveAfter(expiry, replaced time.Time) bool {
	if !replaced.IsZero() && !expiry.Before(replaced) {
		return true
	}
	return live(expiry)
}

// Save stores a copy of data under key until expiry, with the create and
// update semantics of store.Store.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	return s.save(ctx, key, "", true, data, expiry, mustCreate)
}

// save is Save and SaveOwned: it files the record under owner or, with
// keepOwner, leaves an updated record under the owner it has (a created
// one under none).
func (s *Store) save(ctx context.Context, key, owner string, keepOwner bool, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return wrap("save", err)
	}
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[key]
	isLive := ok && live(e.expiry)
	switch {
	case mustCreate && isLive:
		return wrap("save", store.ErrCreate)
	case !mustCreate && !isLive:
		return wrap("save", store.ErrUpdate)
	}
	if keepOwner {
		owner = ""
		if !mustCreate {
			owner = e.owner
		}
	}
	var replaced time.Time
	if isLive {
		replaced = e.expiry
	}
	s.put(sh, key, e.owner, owner, data, expiry, replaced)
	return nil
}

// put stores a copy of data under key for owner, keeping the owner index
// in step, or, for an expiry already past, removes key; the caller holds
// sh's lock and passes the owner of the record under key ("" for none) and,
// if that record is live, its expiry (else the zero time), which it has
// just read.
func (s *Store) put(sh *shard, key, was, owner string, data []byte, expiry, replaced time.Time) {
	if !liveAfter(expiry, replaced) {
		s.drop(sh, key)
		return
	}
	if sh.m == nil {
		sh.m = make(map[string]entry)
	}
	s.owners.move(key, was, owner)
	sh.m[key] = entry{data: append([]byte(nil), data...), expiry: expiry, owner: owner}
}

// drop removes key and its owner index entry; the caller holds sh's lock.
func (s *Store) drop(sh *shard, key string) {
	if e, ok := sh.m[key]; ok {
		s.owners.move(key, e.owner, "")
		delete(sh.m, key)
	}
}

// Delete removes key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return wrap("delete", err)
	}
	sh := s.shard(key)
	sh.mu.Lock()
	s.drop(sh, key)
	sh.mu.Unlock()
	return nil
}

// Exists reports whether a live session is stored under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	_, ok, err := s.Load(ctx, key)
	if err != nil {
		return false, wrap("exists", ctx.Err())
	}
	return ok, nil
}

// Cycle moves the session under oldKey to newKey atomically: both shards
// are locked, so no reader sees neither key.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	return s.CycleOwned(ctx, oldKey, newKey, "", data, expiry)
}

// lockPair locks shards i and j in index order, so two concurrent cycles
// cannot deadlock.
func (s *Store) lockPair(i, j int) (unlock func()) {
	if i == j {
		s.shards[i].mu.Lock()
		return s.shards[i].mu.Unlock
	}
	first, second := &s.shards[min(i, j)], &s.shards[max(i, j)]
	first.mu.Lock()
	second.mu.Lock()
	return func() { second.mu.Unlock(); first.mu.Unlock() }
}

// ClearExpired removes expired sessions and reports how many.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	var n int64
	for i := range s.shards {
		if err := ctx.Err(); err != nil {
			return n, wrap("clear expired", err)
		}
		n += s.clearExpired(&s.shards[i], time.Now())
	}
	return n, nil
}

func (s *Store) clearExpired(sh *shard, now time.Time) int64 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var n int64
	for k, e := range sh.m {
		if !now.Before(e.expiry) {
			s.drop(sh, k)
			n++
		}
	}
	return n
}

// Len reports how many sessions the store holds, expired or not.
func (s *Store) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}
