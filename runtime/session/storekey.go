package session

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// StoreKey returns the key a server-side store keeps a session under, for
// the session key the cookie carries: the SHA-256 of the cookie's key,
// spelled in lower-case base32 (52 characters of store.KeyAlphabet). The
// store never sees a cookie's key, so whoever reads the store (a backup, a
// replica, Redis's KEYS *, a directory listing) learns no key a browser
// could present; this is what Rails does since CVE-2019-16782.
//
// The hash needs no secret: a cookie key holds 160 random bits, so it cannot
// be found from its hash by guessing, and a plain hash survives secret
// rotation. Tools that look sessions up by the cookie's key (sessionctl
// inspect) call StoreKey; client-side stores (store.ClientSide) are not
// hashed, their "key" being the sealed data itself.
func StoreKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	var buf [storeKeyLen]byte
	encodeHash(&buf, &sum)
	return string(buf[:])
}

// storeKeyLen is the length of a StoreKey: 256 bits in base32.
const storeKeyLen = (sha256.Size*8 + 4) / 5

// IsCookieKey reports whether key has the form of the keys this package
// draws (newKey): 32 characters of lower-case base32. Only such keys are
// looked up in clear (Config.IgnoreClearKeys); a hashed store key (52
// characters) never is, so a store key read from the store cannot be
// presented as a cookie to reach its record.
func IsCookieKey(key string) bool {
	if len(key) != cookieKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// cookieKeyLen is the length of the keys newKey draws.
const cookieKeyLen = 32

// storeKeyOf returns the key the store keeps the session of cookie key key
// under: StoreKey(key), or key itself for a store that shares its records
// with another system that looks them up by the cookie's key
// (ClearKeyStore, as Django's tables and cache entries are).
func (m *Manager) storeKeyOf(key string) string {
	if m.inClear {
		return key
	}
	return StoreKey(key)
}

// hashedKey remembers the StoreKey of one key, so a request that loads and
// saves a session hashes its key once.
type hashedKey struct{ of, hash string }

// storeKey returns StoreKey(s.key).
func (s *Session) storeKey() string {
	if s.hashed.of != s.key || s.hashed.hash == "" {
		s.hashed = hashedKey{of: s.key, hash: s.m.storeKeyOf(s.key)}
	}
	return s.hashed.hash
}

// recordKey returns the store key of the record the session was loaded
// from: the clear key for a session stored before keys were hashed, else
// the hash of key.
func (s *Session) recordKey(key string) string {
	if s.legacy {
		return key
	}
	return s.m.storeKeyOf(key)
}

// clearKeys reports whether a session under key may still be stored in
// clear, from a version that did not hash keys.
func (m *Manager) clearKeys(key string) bool {
	return !m.cfg.IgnoreClearKeys && m.client == nil && !m.inClear && IsCookieKey(key)
}

// update writes the record of a keyed session, failing with ErrUpdate if
// it no longer exists. A session loaded from its clear key is moved, once
// (migrate). With a store.Swapper (and, for a Manager with an OwnerKey, a
// store.OwnedSwapper), a session loaded from the store is swapped against
// what it loaded and merged with concurrent saves (merge.go); a store that
// cannot swap answers store.ErrNotSupported and is saved over, last writer
// wins.
func (s *Session) update(ctx context.Context, data []byte, expiry time.Time) error {
	if s.legacy {
		return s.migrate(ctx, data, expiry)
	}
	if sw, ok := s.m.store.(store.Swapper); ok && s.loaded0 != nil {
		err := s.swap(ctx, sw, data, expiry)
		if !errors.Is(err, store.ErrNotSupported) {
			return err
		}
	}
	return s.m.saveRecord(ctx, s.storeKey(), s.owner, data, expiry, false)
}

// loadRecord reads the stored session of s.key: under its hash or, for a
// session saved before keys were hashed, under the clear key. A session
// found in clear is marked to be moved to its hashed key on save.
func (s *Session) loadRecord(ctx context.Context) ([]byte, bool, error) {
	if s.m.unsealer != nil {
		data, found, how, err := s.m.unsealer.Unseal(ctx, s.key)
		s.sealing = how
		return data, found, err
	}
	if s.m.client != nil {
		return s.m.store.Load(ctx, s.key)
	}
	data, found, err := s.m.store.Load(ctx, s.storeKey())
	if found || err != nil || !s.m.clearKeys(s.key) {
		return data, found, err
	}
	data, found, err = s.m.store.Load(ctx, s.key)
	s.legacy = found && err == nil
	return data, found, hideKey(err, s.key)
}

// deleteRecords deletes the stored session of key, at logout. The clear
// record goes first: a migration running concurrently (see migrate) then
// either sees it gone and undoes its move, or made its hashed record before
// the hashed delete that follows.
func (m *Manager) deleteRecords(ctx context.Context, key string) error {
	if m.clearKeys(key) {
		if err := m.store.Delete(ctx, key); err != nil {
			return hideKey(err, key)
		}
	}
	return m.store.Delete(ctx, m.storeKeyOf(key))
}

// migrate moves a session loaded from its clear key to its hashed key,
// with data, on the first save; the middleware saves such a session even
// when unmodified.
//
// The move must not resurrect a session that a logout deletes meanwhile.
// store.Cycler cannot do it: Cycle creates the new record even when the old
// one has gone. So the hashed record is created first, then the clear one
// is checked: if a logout deleted it (deleteRecords deletes it before the
// hashed one), the logout may have missed the new record, which is deleted
// again, and the save fails as a save of a deleted session does
// (ErrInterrupted). Only then is the clear record deleted.
func (s *Session) migrate(ctx context.Context, data []byte, expiry time.Time) error {
	st, hashed := s.m.store, s.storeKey()
	err := s.m.saveRecord(ctx, hashed, s.owner, data, expiry, true)
	if errors.Is(err, store.ErrCreate) {
		// A concurrent request moved it first: save over its record as any
		// save does, merging with what that request saved (ErrUpdate if a
		// logout deleted it since).
		s.legacy = false
		if err = s.update(ctx, data, expiry); err != nil {
			s.legacy = true
		}
		return err
	}
	if err != nil {
		return err
	}
	live, err := st.Exists(ctx, s.key)
	err = hideKey(err, s.key)
	if err == nil && !live {
		err = store.ErrUpdate
	}
	if err != nil {
		if derr := st.Delete(ctx, hashed); derr != nil {
			return fmt.Errorf("move to the hashed key: %w (and the new record could not be removed: %w)", err, derr)
		}
		return fmt.Errorf("move to the hashed key: %w", err)
	}
	if err := st.Delete(ctx, s.key); err != nil {
		return fmt.Errorf("delete the clear-key record: %w", hideKey(err, s.key))
	}
	s.legacy = false
	s.keepSaved(data) // the next save (Manager.Open) compares with the moved record
	return nil
}

// keyMark stands for a session key in messages that would otherwise show
// it: a key is as good as a password.
const keyMark = "[session key]"

// hideKey returns err with key replaced by keyMark in its message, for
// errors of store calls made with a clear key (a cookie's key, looked up
// for sessions stored before keys were hashed): a store's error can name
// its key (filestore's file paths do), and these errors reach the handler,
// the logs and the Observer. errors.Is and errors.As still see err. A key
// not of the cookie's form, such as a StoreKey hash, which opens nothing
// and helps an operator find the record, is left as it is.
func hideKey(err error, key string) error {
	if err == nil || !IsCookieKey(key) || !strings.Contains(err.Error(), key) {
		return err
	}
	return &hiddenKeyError{msg: strings.ReplaceAll(err.Error(), key, keyMark), err: err}
}

type hiddenKeyError struct {
	msg string
	err error
}

func (e *hiddenKeyError) Error() string { return e.msg }
func (e *hiddenKeyError) Unwrap() error { return e.err }
