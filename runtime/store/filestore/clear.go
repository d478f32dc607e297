package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// UnreadableAge is how long ClearExpired keeps a session file whose header
// it cannot read (by its modification time): Django's default session age.
// Such a file may have been written by a newer release during a rolling
// deploy, so it is not removed at once.
const UnreadableAge = 14 * 24 * time.Hour

// staleTempAge is how old a temporary file must be before ClearExpired
// removes it as the leftover of a crashed write. Writes take milliseconds.
const staleTempAge = time.Hour

// ClearExpired removes expired session files and reports how many. It also
// removes temporary files left by writes that crashed, without counting
// them. Files that are neither, the lock files among them, are left alone.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, wrap("clear expired", err)
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, wrap("clear expired", err)
	}
	now := time.Now()
	var n int64
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, wrap("clear expired", err)
		}
		name := e.Name()
		if key, ok := strings.CutSuffix(name, suffix); ok && store.ValidKey(key) && e.Type().IsRegular() {
			removed, err := s.clearOne(key, now)
			if err != nil {
				return n, wrap("clear expired", err)
			}
			if removed {
				n++
			}
			continue
		}
		if strings.HasPrefix(name, tempPrefix) && e.Type().IsRegular() {
			s.clearTemp(name, now)
		}
	}
	return n, nil
}

// clearOne removes key's file if it expired, under the key's lock so that
// a concurrent Save (in this process or another) is not undone. The lock
// is taken only for a file that looked expired without it: most files are
// live, and a clear-up should not cost each of them a lock.
func (s *Store) clearOne(key string, now time.Time) (bool, error) {
	p := filepath.Join(s.dir, key+suffix)
	if expired, err := expiredFile(p, now); err != nil || !expired {
		return false, err
	}
	unlock, err := s.locks.lock(key)
	if err != nil {
		return false, err
	}
	defer unlock()
	// Again under the lock: a Save may have replaced the file meanwhile.
	expired, err := expiredFile(p, now)
	if err != nil || !expired {
		return false, err
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	return true, s.forget(key) // its owner file and index entry (owner.go)
}

// expiredFile reports whether the session file at p expired at now, by its
// header or, for a header this release cannot read, by its modification
// time plus UnreadableAge.
func expiredFile(p string, now time.Time) (bool, error) {
	expiry, exists, readable, err := headerExpiry(p)
	if err != nil || !exists {
		return false, err
	}
	if readable {
		return !now.Before(expiry), nil
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !now.Before(fi.ModTime().Add(UnreadableAge)), nil
}

// clearTemp removes a temporary file old enough to be a crash's leftover.
// Errors are ignored: the file may have just been renamed into place.
func (s *Store) clearTemp(name string, now time.Time) {
	p := filepath.Join(s.dir, name)
	if fi, err := os.Lstat(p); err == nil && now.Sub(fi.ModTime()) > staleTempAge {
		os.Remove(p)
	}
}
