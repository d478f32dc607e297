package filestore

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Swapper = (*Store)(nil)

// Swap replaces the session under key with data until expiry if its file is
// live and holds exactly old: store.ErrChanged if it holds other data,
// store.ErrUpdate if there is no live file. Under the key's stripe lock,
// the one Save takes, the file is read and compared, then replaced as
// Save replaces it (a synced temporary file renamed over it), so no other
// Save, Swap, Delete or Cycle of the key can come in between.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	return s.locked(ctx, "swap", key, func(p string) error {
		if err := s.holds(p, old); err != nil {
			return err
		}
		return s.replace(p, data, expiry)
	})
}

// locked runs fn with the path of key's session file under key's lock,
// after checking the context, and wraps its error as op's.
func (s *Store) locked(ctx context.Context, op, key string, fn func(p string) error) error {
	if err := ctx.Err(); err != nil {
		return wrap(op, err)
	}
	p, err := s.path(key)
	if err != nil {
		return wrap(op, err)
	}
	unlock, err := s.locks.lock(key)
	if err != nil {
		return wrap(op, err)
	}
	defer unlock()
	if err := fn(p); err != nil {
		return wrap(op, err)
	}
	return nil
}

// holds returns nil if the session file at p is live and holds exactly
// old, else an error wrapping store.ErrChanged (live, other data) or
// store.ErrUpdate (no live file). The caller holds p's key lock.
func (s *Store) holds(p string, old []byte) error {
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.dirPresent(); err != nil {
			return err
		}
		return store.ErrUpdate
	}
	if err != nil {
		return err
	}
	if cur, err := parseHeader(b); err != nil || !time.Now().Before(cur) {
		return store.ErrUpdate // unreadable or expired: no live session
	}
	if !bytes.Equal(b[headerLen:], old) {
		return store.ErrChanged
	}
	return nil
}
