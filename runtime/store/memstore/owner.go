package memstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Owners = (*Store)(nil)

var errBadOwner = errors.New("owner id is not valid (see store.ValidOwner)")

// ownerIndex maps each owner to the keys of its records. It is changed only
// by a goroutine that holds the lock of the record's shard (lock order:
// shard, then index), so a record and its index entry change together.
type ownerIndex struct {
	mu sync.Mutex
	m  map[string]map[string]struct{}
}

// move files key under to instead of from; "" is no owner.
func (x *ownerIndex) move(key, from, to string) {
	if from == to {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if keys := x.m[from]; from != "" {
		delete(keys, key)
		if len(keys) == 0 {
			delete(x.m, from)
		}
	}
	if to != "" {
		if x.m == nil {
			x.m = make(map[string]map[string]struct{})
		}
		if x.m[to] == nil {
			x.m[to] = make(map[string]struct{})
		}
		x.m[to][key] = struct{}{}
	}
}

func (x *ownerIndex) keys(owner string) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	keys := make([]string, 0, len(x.m[owner]))
	for k := range x.m[owner] {
		keys = append(keys, k)
	}
	return keys
}

// SaveOwned is Save that files the record under owner ("" for none) in
// the same critical section.
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return wrap("save", err)
	}
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("save", errBadOwner)
	}
	return s.save(ctx, key, owner, false, data, expiry, mustCreate)
}

// CycleOwned is Cycle that files the new record under owner.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("cycle", err)
	}
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("cycle", errBadOwner)
	}
	i, j := s.index(oldKey), s.index(newKey)
	a, b := &s.shards[i], &s.shards[j]
	unlock := s.lockPair(i, j)
	defer unlock()
	e, ok := b.m[newKey]
	if ok && live(e.expiry) {
		return wrap("cycle", store.ErrCreate)
	}
	s.put(b, newKey, e.owner, owner, data, expiry, time.Time{})
	s.drop(a, oldKey)
	return nil
}

// ListOwned returns owner's live records. It reads the index, then each
// record under its shard's lock, checking that the record still belongs
// to owner: the cost is in the owner's records, not the store's.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrap("list owned", err)
	}
	if owner == "" {
		return nil, nil
	}
	var out []store.Owned
	now := time.Now()
	for _, key := range s.owners.keys(owner) {
		sh := s.shard(key)
		sh.mu.RLock()
		e, ok := sh.m[key]
		sh.mu.RUnlock()
		if ok && e.owner == owner && now.Before(e.expiry) {
			out = append(out, store.Owned{Key: key, Data: e.data, Expiry: e.expiry})
		}
	}
	return out, nil
}
