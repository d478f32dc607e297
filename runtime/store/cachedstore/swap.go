package cachedstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var (
	_ store.Swapper      = (*Store)(nil)
	_ store.OwnedSwapper = (*Store)(nil)
)

// Swap replaces the session under key in the durable store if it still
// holds old (store.Swapper), and then refreshes the cache. The durable
// store alone decides: store.ErrChanged or store.ErrUpdate come from it.
// If the durable store is not a store.Swapper, Swap fails with an error
// wrapping store.ErrNotSupported and changes nothing; the caller falls back
// to Save.
//
// A failed swap drops the cache's copy: after ErrUpdate the session is
// gone, and after ErrChanged the copy the caller loaded may be the stale
// one (a cache write lost to a concurrent one), so the caller's reload
// must come from the durable store. A cache that missed a write thus costs
// one retry, never a loop of them.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	sw, ok := s.durable.(store.Swapper)
	if !ok {
		return wrap("swap", fmt.Errorf("the durable store (%T) cannot swap: %w", s.durable, store.ErrNotSupported))
	}
	return s.swapped(ctx, key, old, data, expiry, sw.Swap(ctx, key, old, data, expiry))
}

// SwapOwned swaps through the durable store's SwapOwned, which files the
// record under owner (store.OwnedSwapper), and brings the cache in line
// as Swap does: the owner index lives in the durable store alone. It
// returns an error wrapping store.ErrNotSupported, changing nothing, when
// the durable store does not implement store.OwnedSwapper.
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	sw, ok := s.durable.(store.OwnedSwapper)
	if !ok {
		return wrap("swap", fmt.Errorf("the durable store (%T) cannot swap owned records: %w", s.durable, store.ErrNotSupported))
	}
	return s.swapped(ctx, key, old, data, expiry, sw.SwapOwned(ctx, key, owner, old, data, expiry))
}

// swapped brings the cache in line after the durable store's swap of key
// from old to data returned err, and returns err wrapped.
func (s *Store) swapped(ctx context.Context, key string, old, data []byte, expiry time.Time, err error) error {
	if err != nil {
		if errors.Is(err, store.ErrUpdate) || errors.Is(err, store.ErrChanged) {
			s.evict(context.WithoutCancel(ctx), "swap", key)
		}
		return wrap("swap", err)
	}
	s.refresh(context.WithoutCancel(ctx), key, old, data, expiry)
	return nil
}

// refresh brings the cache in line after a successful durable swap. A
// cache that can swap too is swapped from old to data, so a refresh that
// arrives after a newer one (two swaps whose cache writes crossed) finds
// the other data and drops the entry rather than put older data back; a
// missing entry stays missing (the next Load fills it), so a Delete that
// ran meanwhile is not undone. Another cache is written as Save writes an
// update (see saved and confirm).
func (s *Store) refresh(ctx context.Context, key string, old, data []byte, expiry time.Time) {
	csw, ok := s.cache.(store.Swapper)
	if !ok {
		s.saved(ctx, key, data, expiry, false)
		return
	}
	err := csw.Swap(ctx, key, old, data, expiry)
	switch {
	case err == nil, errors.Is(err, store.ErrUpdate):
	case errors.Is(err, store.ErrChanged):
		s.evict(ctx, "swap", key)
	case errors.Is(err, store.ErrNotSupported):
		s.saved(ctx, key, data, expiry, false)
	default:
		s.cacheFailed(ctx, "swap", err)
		s.evict(ctx, "swap", key)
	}
}

// confirm drops the cache's copy of key, just written with data by an
// unconditional write, unless the durable store still holds data. Two
// updates (saves or swaps) that succeed one after the other in the durable
// store may write the cache in the other order; the later-arriving, older write would then
// stay in the cache, and every Load would serve a session without the
// newer update's changes until the entry expired. Whichever of the two
// writes lands last, its check runs after it and sees the durable store
// holding the newer data, so the older copy cannot survive. Dropping a
// current copy (when a third write got in between) only costs a fill.
//
// This is one more durable read per update: a plain write carries nothing
// (no version, no old data) that the cache could compare to tell the
// writes apart. See the package documentation for why the copy is written
// and checked rather than just dropped.
func (s *Store) confirm(ctx context.Context, op, key string, data []byte) {
	cur, found, err := s.durable.Load(ctx, key)
	if err == nil && found && bytes.Equal(cur, data) {
		return
	}
	s.evict(ctx, op, key)
}
