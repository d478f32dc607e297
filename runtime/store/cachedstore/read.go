package cachedstore

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// Load returns the session under key from the cache or, on a miss or a
// cache failure, from the durable store, filling the cache when it can (see
// the package documentation).
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, wrap("load", err)
	}
	data, found, err := s.cache.Load(ctx, key)
	switch {
	case err == nil && found:
		return data, true, nil
	case err != nil && ctx.Err() != nil:
		return nil, false, wrap("load", err)
	case err != nil:
		s.cacheFailed(ctx, "load", err)
	}
	el, ok := s.durable.(store.ExpiryLoader)
	if !ok {
		data, found, err = s.durable.Load(ctx, key)
		if err != nil {
			return nil, false, wrap("load", err)
		}
		return data, found, nil
	}
	data, expiry, found, err := el.LoadWithExpiry(ctx, key)
	if err != nil {
		return nil, false, wrap("load", err)
	}
	if found {
		s.fill(ctx, key, data, expiry)
	}
	return data, found, nil
}

// fill copies a record just read from the durable store into the cache.
// It only creates: if the cache has an entry by now, a write got there
// first and its data is newer.
func (s *Store) fill(ctx context.Context, key string, data []byte, expiry time.Time) {
	err := s.cache.Save(ctx, key, data, expiry, true)
	if errors.Is(err, store.ErrCreate) {
		return
	}
	if err != nil {
		if ctx.Err() == nil {
			s.cacheFailed(ctx, "fill", err)
		}
		return
	}
	// A write between the durable read and this fill may have found no
	// cache entry to update or remove: a Delete (the record is gone now), a
	// swap (its refresh leaves a missing entry missing) or a write whose
	// copy a failed swap dropped since. The entry just created would then
	// serve the older session, to reads that save nothing and so never
	// drop it, until it expired. So the durable store is read again and
	// the entry dropped unless it still holds data; a failed check drops
	// it too: it is only a copy.
	if cur, ok, err := s.durable.Load(ctx, key); err != nil || !ok || !bytes.Equal(cur, data) {
		s.evict(context.WithoutCancel(ctx), "fill", key)
	}
}

// Exists reports whether a live session is stored under key: from the
// cache if it has the session, else from the durable store.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, wrap("exists", err)
	}
	ok, err := s.cache.Exists(ctx, key)
	switch {
	case err == nil && ok:
		return true, nil
	case err != nil && ctx.Err() != nil:
		return false, wrap("exists", err)
	case err != nil:
		s.cacheFailed(ctx, "exists", err)
	}
	ok, err = s.durable.Exists(ctx, key)
	if err != nil {
		return false, wrap("exists", err)
	}
	return ok, nil
}
