package memstore

import (
	"bytes"
	"context"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var (
	_ store.Swapper      = (*Store)(nil)
	_ store.OwnedSwapper = (*Store)(nil)
)

// Swap replaces the session under key with a copy of data until expiry if
// it is live and holds exactly old; otherwise it returns store.ErrChanged
// (live, other data) or store.ErrUpdate (missing or expired) and changes
// nothing. The comparison and the write happen under the key's shard lock,
// as Save's check and write do. The record keeps its owner.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	return s.swap(ctx, key, "", true, old, data, expiry)
}

// SwapOwned is Swap that files the record under owner ("" for none) in the
// same critical section, as SaveOwned does.
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("swap", errBadOwner)
	}
	return s.swap(ctx, key, owner, false, old, data, expiry)
}

// swap is Swap and SwapOwned: it files the record under owner or, with
// keepOwner, under the owner it has.
func (s *Store) swap(ctx context.Context, key, owner string, keepOwner bool, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[key]
	switch {
	case !ok || !live(e.expiry):
		return wrap("swap", store.ErrUpdate)
	case !bytes.Equal(e.data, old):
		return wrap("swap", store.ErrChanged)
	}
	if keepOwner {
		owner = e.owner
	}
	s.put(sh, key, e.owner, owner, data, expiry, e.expiry)
	return nil
}
