package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"
)

// Cycle moves a session to newKey: the new file is created (atomically, as
// Save with mustCreate does) before the old one is removed, so there is no
// moment when neither exists. It fails with store.ErrCreate if newKey has a
// live file; a missing oldKey is not an error.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("cycle", err)
	}
	newPath, err := s.path(newKey)
	if err != nil {
		return wrap("cycle", err)
	}
	oldPath, oldErr := s.path(oldKey) // an invalid old key has no file to remove
	unlock, err := s.locks.lockPair(oldKey, newKey)
	if err != nil {
		return wrap("cycle", err)
	}
	defer unlock()
	if err := s.create(newPath, data, expiry); err != nil {
		return wrap("cycle", err)
	}
	if oldErr != nil || oldPath == newPath {
		return nil
	}
	if err := os.Remove(oldPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wrap("cycle", err)
	}
	return nil
}
