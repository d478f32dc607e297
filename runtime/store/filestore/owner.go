package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var (
	_ store.Owners       = (*Store)(nil)
	_ store.OwnedSwapper = (*Store)(nil)
)

// Owners on disk
//
// An owned session has, beside <key>.session, a file <key>.owner holding
// its owner id, and a marker, an empty file named <key>, in its owner's
// index directory owners/<h>/, where <h> is the SHA-256 of the owner id in
// lower-case base32 (so that any id makes a safe, short name). The session
// file keeps its format, so earlier releases still read it.
//
// Writes of a key hold its stripe lock; listing takes none. A save files
// the key in the new owner's index and writes the owner file before it
// writes the session file, and removes the previous owner's marker last;
// a delete removes the session file first. ListOwned keeps a marker's key
// only if its session file is live and its owner file names the owner, so
// at every moment a live session is listed under exactly its owner, and a
// deleted one nowhere. Markers left behind (a crash between two steps) are
// filtered out the same way, and removed under the key's lock by
// ListOwned.

const (
	ownerSuffix = ".owner"
	ownersDir   = "owners"
)

var errBadOwner = errors.New("owner id is not valid (see store.ValidOwner)")

var ownerEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// indexDir returns owner's index directory.
func (s *Store) indexDir(owner string) string {
	sum := sha256.Sum256([]byte(owner))
	return filepath.Join(s.dir, ownersDir, strings.ToLower(ownerEncoding.EncodeToString(sum[:])))
}

func (s *Store) ownerPath(key string) string { return filepath.Join(s.dir, key+ownerSuffix) }

// ownerOf reads the owner file of key: "" for none.
func (s *Store) ownerOf(key string) (string, error) {
	b, err := os.ReadFile(s.ownerPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

// file makes key's index entry and owner file say owner; the caller holds
// key's lock and has checked that the write that follows will succeed.
func (s *Store) file(key, owner string) (prev string, err error) {
	prev, err = s.ownerOf(key)
	if err != nil || prev == owner {
		return prev, err
	}
	if owner == "" {
		return prev, nil // the owner file goes after the session write (unfile)
	}
	dir := s.indexDir(owner)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return prev, err
	}
	f, err := os.OpenFile(filepath.Join(dir, key), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return prev, err
	}
	f.Close()
	tmp, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return prev, err
	}
	_, err = tmp.WriteString(owner)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.ownerPath(key))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return prev, err
}

// unfile removes key's owner file (if owner is "") and prev's marker (if
// it is not owner's); the caller holds key's lock.
func (s *Store) unfile(key, prev, owner string) error {
	if owner == "" {
		if err := os.Remove(s.ownerPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if prev == "" || prev == owner {
		return nil
	}
	if err := os.Remove(filepath.Join(s.indexDir(prev), key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// forget removes key's owner file and index entry after its session file
// was removed; the caller holds key's lock.
func (s *Store) forget(key string) error {
	prev, err := s.ownerOf(key)
	if err != nil {
		return err
	}
	return s.unfile(key, prev, "")
}

// SaveOwned is Save that files the session under owner ("" for none).
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("save", errBadOwner)
	}
	return s.locked(ctx, "save", key, func(p string) error {
		return s.saveOwned(p, key, owner, data, expiry, mustCreate)
	})
}

func (s *Store) saveOwned(p, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	live, err := liveFile(p, time.Now())
	switch {
	case err != nil:
		return err
	case mustCreate && live:
		return store.ErrCreate
	case !mustCreate && !live:
		return store.ErrUpdate
	}
	return s.writeOwned(key, owner, expiry, func() error {
		if mustCreate {
			return s.create(p, data, expiry)
		}
		return s.update(p, data, expiry)
	})
}

// writeOwned runs write, which writes key's session file to expire at
// expiry, between filing key under owner and removing it from the index
// of its previous owner (see "Owners on disk"). The caller holds key's
// lock and has checked that write will succeed.
func (s *Store) writeOwned(key, owner string, expiry time.Time, write func() error) error {
	if !time.Now().Before(expiry) {
		owner = "" // nothing live will be left to list
	}
	prev, err := s.file(key, owner)
	if err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	return s.unfile(key, prev, owner)
}

// SwapOwned is Swap that files the session under owner ("" for none):
// under the key's lock the session file is compared, then written and
// filed as SaveOwned writes and files it.
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("swap", errBadOwner)
	}
	return s.locked(ctx, "swap", key, func(p string) error {
		if err := s.holds(p, old); err != nil {
			return err
		}
		return s.writeOwned(key, owner, expiry, func() error { return s.replace(p, data, expiry) })
	})
}

// CycleOwned is Cycle that files the new session under owner.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap("cycle", err)
	}
	if owner != "" && !store.ValidOwner(owner) {
		return wrap("cycle", errBadOwner)
	}
	newPath, err := s.path(newKey)
	if err != nil {
		return wrap("cycle", err)
	}
	oldPath, oldErr := s.path(oldKey)
	unlock, err := s.locks.lockPair(oldKey, newKey)
	if err != nil {
		return wrap("cycle", err)
	}
	defer unlock()
	if err := s.saveOwned(newPath, newKey, owner, data, expiry, true); err != nil {
		return wrap("cycle", err)
	}
	if oldErr != nil || oldPath == newPath {
		return nil
	}
	if err := os.Remove(oldPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wrap("cycle", err)
	}
	if err := s.forget(oldKey); err != nil {
		return wrap("cycle", err)
	}
	return nil
}

// ListOwned returns owner's live sessions: it reads owner's index
// directory, then each session and owner file.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrap("list owned", err)
	}
	if owner == "" {
		return nil, nil
	}
	dir := s.indexDir(owner)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.dirPresent(); err != nil {
			return nil, wrap("list owned", err)
		}
		return nil, nil
	}
	if err != nil {
		return nil, wrap("list owned", err)
	}
	var out []store.Owned
	for _, e := range entries {
		key := e.Name()
		if !store.ValidKey(key) {
			continue
		}
		data, expiry, found, err := s.LoadWithExpiry(ctx, key)
		if err != nil {
			return nil, err // "filestore: load: ..." already
		}
		cur, err := s.ownerOf(key)
		if err != nil {
			return nil, wrap("list owned", err)
		}
		if found && cur == owner {
			out = append(out, store.Owned{Key: key, Data: data, Expiry: expiry})
			continue
		}
		s.dropStale(key, owner)
	}
	return out, nil
}

// dropStale removes owner's marker for key if, under key's lock, the key
// is still not a live session of owner (a crash left it, or the session
// expired). Errors are ignored: the marker stays filtered.
func (s *Store) dropStale(key, owner string) {
	unlock, err := s.locks.lock(key)
	if err != nil {
		return
	}
	defer unlock()
	p, err := s.path(key)
	if err != nil {
		return
	}
	live, err := liveFile(p, time.Now())
	cur, oerr := s.ownerOf(key)
	if err != nil || oerr != nil || (live && cur == owner) {
		return
	}
	os.Remove(filepath.Join(s.indexDir(owner), key))
	if !live && cur == owner {
		os.Remove(s.ownerPath(key))
	}
}
