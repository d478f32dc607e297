package cachedstore

import (
	"context"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// overwriteAttempts bounds how often put switches between create and update
// while concurrent writers change whether the cache holds the key.
const overwriteAttempts = 4

// Save stores data in the durable store, with its create or update
// semantics, and then in the cache (see saved). A cache failure is logged,
// not returned: the durable store has the session.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return wrap("save", err)
	}
	if err := s.durable.Save(ctx, key, data, expiry, mustCreate); err != nil {
		if errors.Is(err, store.ErrUpdate) {
			// The session is gone (a concurrent logout); so must its copy be.
			s.evict(context.WithoutCancel(ctx), "save", key)
		}
		return wrap("save", err)
	}
	s.saved(context.WithoutCancel(ctx), key, data, expiry, mustCreate)
	return nil
}

// saved brings the cache in line after data was saved under key in the
// durable store. Two saves that succeed one after the other in the durable
// store may reach the cache in the other order, and the older data would
// then be served until the entry expired. A create that creates the cache
// entry needs no check: no one else knew the new key, so any other write
// reaching the cache comes after it. Otherwise (an update, or a create
// that finds an entry, stale or written by a later save that got there
// first) the entry is overwritten and then checked against the durable
// store (see confirm).
func (s *Store) saved(ctx context.Context, key string, data []byte, expiry time.Time, create bool) {
	if create {
		err := s.cache.Save(ctx, key, data, expiry, true)
		if err == nil {
			return
		}
		if !errors.Is(err, store.ErrCreate) {
			s.cacheFailed(ctx, "save", err)
			s.evict(ctx, "save", key)
			return
		}
	}
	if ok, _ := s.write(ctx, key, data, expiry, false); ok {
		s.confirm(ctx, "save", key, data)
	}
}

// put makes the cache hold data under a key that Cycle just created in
// the durable store (see write), and drops the entry if a Delete ran
// meanwhile: always when listed (the key is in an owner's index, where a
// revoke can find it), else when the write found an entry gone.
func (s *Store) put(ctx context.Context, key string, data []byte, expiry time.Time, create, listed bool) {
	ok, recreated := s.write(ctx, key, data, expiry, create)
	if ok && (recreated || listed) {
		s.unlessDeleted(ctx, "save", key)
	}
}

// unlessDeleted drops the cache's copy of key, just written, unless the
// durable store still has the record. A Delete that ran after the durable
// write and before the cache write found no entry to drop, and the entry
// would bring the session back until it expired. Whichever way the two
// interleave, the check runs after the cache write, and a Delete whose
// durable part comes after the check drops the entry itself.
//
// No one else knows a key just created, so creates skip it (see saved),
// except where a key is listed in an owner's index at once (SaveOwned and
// CycleOwned with an owner): a revoke of all the owner's sessions can find
// and delete it in that window. That costs an owned create, a sign-in, one
// more durable read.
func (s *Store) unlessDeleted(ctx context.Context, op, key string) {
	if ok, err := s.durable.Exists(ctx, key); err != nil || !ok {
		s.evict(ctx, op, key)
	}
}

// write makes the cache hold data under key, whatever it held before, and
// reports whether it did and whether it had to create the entry after an
// update found none. Store.Save only creates or only updates, so
// write tries the likelier one first (what the durable store just did) and
// switches when the cache answers ErrCreate or ErrUpdate. If the cache
// fails, the entry is dropped so that it cannot serve older data.
func (s *Store) write(ctx context.Context, key string, data []byte, expiry time.Time, create bool) (ok, recreated bool) {
	var err error
	for range overwriteAttempts {
		err = s.cache.Save(ctx, key, data, expiry, create)
		if !errors.Is(err, store.ErrCreate) && !errors.Is(err, store.ErrUpdate) {
			break
		}
		recreated = recreated || errors.Is(err, store.ErrUpdate)
		create = !create
	}
	if err != nil {
		s.cacheFailed(ctx, "save", err)
		s.evict(ctx, "save", key)
		return false, recreated
	}
	return true, recreated
}

// evict drops the cache's copy of key, logging a failure.
func (s *Store) evict(ctx context.Context, op, key string) {
	if err := s.cache.Delete(ctx, key); err != nil {
		s.cacheStale(ctx, op, err)
	}
}

// Delete removes key from the durable store and then from the cache. Unlike
// other cache failures, one here is returned: the session would still load
// from the cache, and a logout must not look done when it is not.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return wrap("delete", err)
	}
	if err := s.durable.Delete(ctx, key); err != nil {
		return wrap("delete", err)
	}
	if err := s.cache.Delete(context.WithoutCancel(ctx), key); err != nil {
		return wrap("delete: cache", err)
	}
	return nil
}

// ClearExpired removes expired sessions from the durable store and reports
// how many; it then lets the cache clear its own expired copies, which are
// not counted. A cache that cannot clear (or fails to) is not an error.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, wrap("clear expired", err)
	}
	n, err := s.durable.ClearExpired(ctx)
	if err != nil {
		return n, wrap("clear expired", err)
	}
	if _, err := s.cache.ClearExpired(ctx); err != nil && !errors.Is(err, store.ErrNotSupported) {
		s.cacheFailed(ctx, "clear expired", err)
	}
	return n, nil
}
