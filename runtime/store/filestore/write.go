package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// Save writes data under key until expiry. The file is written in full to
// a temporary file in the same directory and synced before it takes the
// session file's place, so a reader (or a crash) never sees half a file.
//
// With mustCreate the temporary file is hard-linked to the session file's
// name, which fails if that name exists: creation is atomic even between
// processes. An existing but expired file is replaced. Without mustCreate
// the file must exist and be live (else store.ErrUpdate) and is replaced by
// a rename.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	return s.locked(ctx, "save", key, func(p string) error {
		if mustCreate {
			return s.create(p, data, expiry)
		}
		return s.update(p, data, expiry)
	})
}

// create makes the session file at p. The caller holds p's key lock.
func (s *Store) create(p string, data []byte, expiry time.Time) error {
	tmp, err := s.writeTemp(data, expiry)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, p)
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	// Taken. The key lock makes the check and the removal one step, also
	// against other processes where lock files work; elsewhere another
	// process could only interfere by creating the same random key at the
	// same moment.
	if live, err := liveFile(p, time.Now()); err != nil || live {
		if err != nil {
			return err
		}
		return store.ErrCreate
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Link(tmp, p); errors.Is(err, fs.ErrExist) {
		return store.ErrCreate
	} else if err != nil {
		return err
	}
	return nil
}

// testHookBeforeReplace, when set, runs in update between the liveness
// check and the rename: tests use it to hold that window open while
// another process deletes the session.
var testHookBeforeReplace func()

// update replaces the live session file at p. The caller holds p's key
// lock.
func (s *Store) update(p string, data []byte, expiry time.Time) error {
	live, err := liveFile(p, time.Now())
	if err != nil {
		return err
	}
	if !live {
		return store.ErrUpdate
	}
	if testHookBeforeReplace != nil {
		testHookBeforeReplace()
	}
	return s.replace(p, data, expiry)
}

// replace puts a new session file at p in place of the one there: a
// complete, synced temporary file renamed over it. The caller holds p's key
// lock.
func (s *Store) replace(p string, data []byte, expiry time.Time) error {
	tmp, err := s.writeTemp(data, expiry)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeTemp writes a complete session file to a new temporary file in the
// store's directory, syncs it, and returns its path. The file is private to
// the process's user (mode 0600): sessions are credentials.
//
// The directory itself is not synced after the rename: after a crash a
// session may revert to its previous version, which for a session is as
// good as a lost request, but it is never torn.
func (s *Store) writeTemp(data []byte, expiry time.Time) (path string, err error) {
	f, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	buf := appendHeader(make([]byte, 0, headerLen+len(data)), expiry)
	if _, err := f.Write(append(buf, data...)); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}
