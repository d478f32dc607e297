package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// suffix ends every session file's name: <key>.session.
const suffix = ".session"

// tempPrefix starts the name of every file being written. The dot keeps
// temporary files apart from session files, whose names start with a key
// character.
const tempPrefix = ".tmp-"

// errInvalidKey is returned for a key that could name a file outside the
// directory, or just not a session. The key is not echoed: it came from a
// client.
var errInvalidKey = errors.New("invalid session key (want 8 to 128 characters of a-z, 0-9)")

// Store is a store.Store that keeps each session in its own file. It is
// safe for concurrent use.
type Store struct {
	dir   string
	locks *keyLocks
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Cycler = (*Store)(nil)
)

// New returns a Store over the directory dir, which must exist and be
// writable; New checks both, that the file system supports the hard links
// that atomic creation relies on, and that every lock file can be created
// (or, if there, opened) and locked, so a misconfiguration fails at start
// rather than on the first request.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("filestore: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("filestore: directory %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("filestore: directory %s does not exist: create it (e.g. mkdir -m 700 %s) or configure another", abs, abs)
	case err != nil:
		return nil, fmt.Errorf("filestore: directory %s: %w", abs, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("filestore: %s is not a directory", abs)
	}
	s := &Store{dir: abs, locks: newKeyLocks(abs)}
	if err := s.probe(); err != nil {
		return nil, fmt.Errorf("filestore: directory %s is not usable: %w", abs, err)
	}
	return s, nil
}

// probe writes, links and removes a file, as Save does, then takes and
// releases every stripe's lock. Making the lock files here also catches one
// left unwritable, say by a run as another user, which would otherwise
// fail the saves of one key in 64.
func (s *Store) probe() error {
	tmp, err := s.writeTemp(nil, time.Now())
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	link := tmp + "-link"
	if err := os.Link(tmp, link); err != nil {
		return fmt.Errorf("the file system must support hard links: %w", err)
	}
	if err := os.Remove(link); err != nil {
		return err
	}
	for i := range stripes {
		unlock, err := s.locks.lockStripe(i)
		if err != nil {
			return err
		}
		unlock()
	}
	return nil
}

// Dir returns the absolute path of the store's directory.
func (s *Store) Dir() string { return s.dir }

func wrap(op string, err error) error { return fmt.Errorf("filestore: %s: %w", op, err) }

// path returns the file for key, or an error for a key that is not valid
// or (a second line of defence) would resolve outside the directory.
func (s *Store) path(key string) (string, error) {
	if !store.ValidKey(key) {
		return "", errInvalidKey
	}
	p := filepath.Join(s.dir, key+suffix)
	if filepath.Dir(p) != s.dir {
		return "", errInvalidKey
	}
	return p, nil
}

// Load returns the payload under key if its file exists and has not
// expired. An invalid key loads as not found, without touching the file
// system. A file this release cannot read (not a session file, or written
// by a newer release) also loads as not found.
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	data, _, found, err := s.LoadWithExpiry(ctx, key)
	return data, found, err
}

// LoadWithExpiry is Load that also reports when the session expires, read
// from the same file. cachedstore uses it to give a cache entry filled from
// this store the session's own expiry.
func (s *Store) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, false, wrap("load", err)
	}
	p, err := s.path(key)
	if err != nil {
		return nil, time.Time{}, false, nil
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.dirPresent(); err != nil {
			return nil, time.Time{}, false, wrap("load", err)
		}
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, wrap("load", err)
	}
	expiry, err := parseHeader(b)
	if err != nil || !time.Now().Before(expiry) {
		return nil, time.Time{}, false, nil
	}
	// b is the slice os.ReadFile allocated for this read alone, and the
	// store keeps nothing of it: the payload goes to the caller as part of
	// it, with no copy of its own, and a caller that keeps or changes it
	// changes nothing stored (copies on get; TestLoadIsTheCallers).
	return b[headerLen:], expiry, true, nil
}

// Exists reports whether key has a live session file. Only the header is
// read.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, wrap("exists", err)
	}
	p, err := s.path(key)
	if err != nil {
		return false, nil
	}
	live, err := liveFile(p, time.Now())
	if err == nil && !live {
		err = s.dirPresent()
	}
	if err != nil {
		return false, wrap("exists", err)
	}
	return live, nil
}

// dirPresent checks, after a session file was not found, that the
// directory itself is there. A missing directory (an unmounted volume, a
// botched deploy) is an outage: reporting it as "no session" would sign
// everyone out, or let a logout claim a delete that never happened.
func (s *Store) dirPresent() error {
	if _, err := os.Stat(s.dir); err != nil {
		return fmt.Errorf("session directory: %w", err)
	}
	return nil
}

// liveFile reports whether the file at p exists and has not expired at
// now.
func liveFile(p string, now time.Time) (bool, error) {
	expiry, exists, readable, err := headerExpiry(p)
	return exists && readable && now.Before(expiry), err
}

// headerExpiry reads the expiry in the header of the session file at p.
// exists is false when there is no file; readable is false when the header
// cannot be read (a file too short, or written by a newer release).
func headerExpiry(p string) (expiry time.Time, exists, readable bool, err error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, false, false, nil
	}
	if err != nil {
		return time.Time{}, false, false, err
	}
	defer f.Close()
	var h [headerLen]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return time.Time{}, true, false, nil
	}
	expiry, err = parseHeader(h[:])
	return expiry, true, err == nil, nil
}

// Delete removes the file for key. A missing file, or an invalid key, is
// not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return wrap("delete", err)
	}
	p, err := s.path(key)
	if err != nil {
		return nil
	}
	unlock, err := s.locks.lock(key)
	if err != nil {
		return wrap("delete", err)
	}
	defer unlock()
	err = os.Remove(p)
	if errors.Is(err, fs.ErrNotExist) {
		err = s.dirPresent()
	}
	if err == nil {
		err = s.forget(key) // its owner file and index entry (owner.go)
	}
	if err != nil {
		return wrap("delete", err)
	}
	return nil
}
