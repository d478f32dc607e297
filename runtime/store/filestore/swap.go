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
	if err := ctx.Err(); err != nil {
		return wrap("swap", err)
	}
	p, err := s.path(key)
	if err != nil {
		return wrap("swap", err)
	}
	unlock, err := s.locks.lock(key)
	if err != nil {
		return wrap("swap", err)
	}
	defer unlock()
	if err := s.swap(p, old, data, expiry); err != nil {
		return wrap("swap", err)
	}
	return nil
}

// swap is Swap's work. The caller holds p's key lock.
func (s *Store) swap(p string, old, data []byte, expiry time.Time) error {
	if err := s.holds(p, old); err != nil {
		return err
	}
	return s.replace(p, data, expiry)
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
