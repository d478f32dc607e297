package cachedstore

import (
	"context"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// Cycle moves the session under oldKey to newKey. In the durable store it
// uses the store's own Cycle if it has one, else creates newKey and then
// deletes oldKey; either way newKey taken is ErrCreate, and oldKey is never
// gone before newKey exists. The cache follows: by its own Cycle if it has
// one, else by writing newKey and dropping oldKey.
//
// As with Delete, Cycle fails if the cache cannot drop oldKey: a cycled key
// must stop working, which is the point of cycling at login.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("cycle", err)
	}
	if err := s.cycleDurable(ctx, oldKey, newKey, data, expiry); err != nil {
		return wrap("cycle", err)
	}
	ctx = context.WithoutCancel(ctx)
	if cy, ok := s.cache.(store.Cycler); ok {
		err := cy.Cycle(ctx, oldKey, newKey, data, expiry)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrCreate) { // a stale entry under newKey is no failure
			s.cacheFailed(ctx, "cycle", err)
		}
	}
	s.put(ctx, newKey, data, expiry, true, false)
	if err := s.cache.Delete(ctx, oldKey); err != nil {
		return wrap("cycle: cache", err)
	}
	return nil
}

func (s *Store) cycleDurable(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if cy, ok := s.durable.(store.Cycler); ok {
		return cy.Cycle(ctx, oldKey, newKey, data, expiry)
	}
	if err := s.durable.Save(ctx, newKey, data, expiry, true); err != nil {
		return err
	}
	return s.durable.Delete(ctx, oldKey)
}
