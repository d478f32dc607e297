package cachedstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Owners = (*Store)(nil)

// The owner index lives in the durable store alone: the cache holds
// records, not owners, so listing always asks the durable store, and a
// Delete (revoke) removes the record from both as it always did.

func (s *Store) owners(op string) (store.Owners, error) {
	o, ok := s.durable.(store.Owners)
	if !ok {
		return nil, wrap(op, fmt.Errorf("the durable store (%T) keeps no index by owner: %w", s.durable, store.ErrNotSupported))
	}
	return o, nil
}

// SaveOwned saves through the durable store's SaveOwned, then caches the
// record as Save does. It returns an error wrapping store.ErrNotSupported
// when the durable store does not implement store.Owners.
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return wrap("save", err)
	}
	o, err := s.owners("save")
	if err != nil {
		return err
	}
	if err := o.SaveOwned(ctx, key, owner, data, expiry, mustCreate); err != nil {
		if errors.Is(err, store.ErrUpdate) {
			s.evict(context.WithoutCancel(ctx), "save", key)
		}
		return wrap("save", err)
	}
	ctx = context.WithoutCancel(ctx)
	s.saved(ctx, key, data, expiry, mustCreate)
	if mustCreate && owner != "" {
		s.unlessDeleted(ctx, "save", key) // see unlessDeleted
	}
	return nil
}

// CycleOwned cycles through the durable store's CycleOwned, then moves the
// cached copy as Cycle does.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("cycle", err)
	}
	o, err := s.owners("cycle")
	if err != nil {
		return err
	}
	if err := o.CycleOwned(ctx, oldKey, newKey, owner, data, expiry); err != nil {
		return wrap("cycle", err)
	}
	ctx = context.WithoutCancel(ctx)
	s.put(ctx, newKey, data, expiry, true, owner != "")
	if err := s.cache.Delete(ctx, oldKey); err != nil {
		return wrap("cycle: cache", err)
	}
	return nil
}

// ListOwned asks the durable store, which holds the index.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrap("list owned", err)
	}
	o, err := s.owners("list owned")
	if err != nil {
		return nil, err
	}
	list, err := o.ListOwned(ctx, owner)
	if err != nil {
		return nil, wrap("list owned", err)
	}
	return list, nil
}
