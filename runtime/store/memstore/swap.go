package memstore

import (
	"bytes"
	"context"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Swapper = (*Store)(nil)

// Swap replaces the session under key with a copy of data until expiry if
// it is live and holds exactly old; otherwise it returns store.ErrChanged
// (live, other data) or store.ErrUpdate (missing or expired) and changes
// nothing. The comparison and the write happen under the key's shard lock,
// as Save's check and write do.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	now := time.Now()
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[key]
	switch {
	case !ok || !now.Before(e.expiry):
		return wrap("swap", store.ErrUpdate)
	case !bytes.Equal(e.data, old):
		return wrap("swap", store.ErrChanged)
	}
	s.put(sh, key, e.owner, data, expiry, now) // a swap keeps the owner
	return nil
}
