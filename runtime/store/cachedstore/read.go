package cachedstore

import (
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
	// A Delete between the durable read and this fill found no cache entry
	// to remove; if that happened, the record is gone now, and so must the
	// entry be. A failed check drops the entry too: it is only a copy.
	if ok, err := s.durable.Exists(ctx, key); err != nil || !ok {
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
