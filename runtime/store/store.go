// Package store defines the contract between typedsession and its backends.
//
// A Store keeps opaque, already signed session payloads under random keys
// until an expiry time. The session package decides what to keep; a store
// decides only where. Every method takes a context first and must honour
// its cancellation and deadline.
//
// Optional capabilities are separate interfaces, discovered by type
// assertion: Cycler (atomic key rotation), ExpiryLoader (a record's expiry
// along with its data, which cachedstore needs to fill its cache), Swapper
// (compare-and-swap, for optimistic concurrency), Owners (an index of
// records by owner, to list and revoke a user's sessions), OwnedSwapper
// (compare-and-swap of an owned record), ClientSide (the
// session lives in the cookie itself) and Unsealer (a client-side store
// that authenticates what it seals).
//
// # The contract in detail
//
// Expiry. A record is live while the current time is before its expiry,
// and a store never returns, reports as existing, or updates a record that
// is not live, whether or not it has removed it yet. A store may keep the
// expiry to the millisecond (Redis does; SQL and files keep microseconds),
// no coarser: the suite saves records that expire a tenth of a second later.
//
// Expiry already passed. A Save whose expiry has already passed succeeds
// or fails with ErrCreate or ErrUpdate as any Save would, and leaves no
// live record under the key: the store may drop the record at once
// (memstore, redisstore) or keep it unseen until ClearExpired (sqlstore,
// filestore). The session package saves such a record when a session is
// given an expiry in the past.
//
// Create and update. Save with mustCreate over an expired record succeeds
// and replaces it: only a live record holds its key. Save without
// mustCreate of an expired record fails with ErrUpdate, even if the record
// is still stored, because the session it held has ended. Of several
// concurrent creates of one key exactly one succeeds: the check for the
// key and the write are one step (a primary key, SET NX, a lock), never a
// read followed by a write.
//
// Keys. The session package passes only keys for which ValidKey is true.
// For any other key, Load reports not found, Exists false and Delete nil,
// never an error; Save and Cycle may refuse it with an error, and must
// never write outside the store's namespace. Cycle with oldKey equal to
// newKey is a Cycle onto a key that exists: ErrCreate if its record is
// live, and nothing changes (the session package always draws a fresh
// key).
//
// ErrCorrupt. Client-side stores return it for a value that does not open.
// A server-side store holds payloads that the session package verifies
// itself, so it need not return it: a record in a format the store cannot
// read (written by a newer release, say) loads as not found, as in
// filestore.
//
// Errors. Every error a store returns, the sentinels of this package and
// the context's error included, is wrapped with the store's name and the
// operation, as in "redisstore: save: store: session key already exists".
// No error is returned bare: callers test with errors.Is, never ==.
//
// # Checking a store
//
// The conformance suite, package sessiontest, checks all of the above call
// by call; run it with -race. Its behaviour ids are listed in
// runtime/sessiontest/CONFORMANCE.md.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrCreate is returned (wrapped) by Save with mustCreate set, and by
// Cycle, when the key already has a live record. The session package
// answers it by drawing a new key.
var ErrCreate = errors.New("store: session key already exists")

// ErrUpdate is returned (wrapped) by Save without mustCreate when the key
// has no live record, typically because a concurrent request (a logout in another tab)
// deleted it. Saving anyway would resurrect a session the user ended.
var ErrUpdate = errors.New("store: session to update no longer exists")

// ErrNotSupported is returned (wrapped) by an operation a store cannot
// perform, such as ClearExpired on a store that keeps nothing server side.
var ErrNotSupported = errors.New("store: operation not supported by this store")

// ErrCorrupt is returned (wrapped) by Load when the record exists but cannot
// be trusted, such as a client-side value that fails to open. The session
// package treats it as "no session" and reports it on its security logger,
// so stores need no logger of their own for it. Server-side stores need not
// return it (see the package documentation).
var ErrCorrupt = errors.New("store: session record is corrupt or forged")

// Store is the contract every backend implements.
//
// Implementations must be safe for concurrent use, must never return a record
// whose expiry has passed, and must wrap every error with the store's name
// and the operation (for example "redisstore: load: ..."); the package
// documentation spells out the edge cases.
type Store interface {
	// Load returns the payload stored under key. found is false, with a nil
	// error, when there is no live record: unknown key or expired. The
	// caller does not modify the returned slice, so a store may share it.
	Load(ctx context.Context, key string) (data []byte, found bool, err error)

	// Save stores data under key until expiry. data is only valid during
	// the call: a store that keeps it in memory must copy it (the session
	// package reuses the buffer).
	//
	// With mustCreate, Save creates a new record and returns ErrCreate if the
	// key exists. Without it, Save updates an existing record and returns
	// ErrUpdate if there is no live one: it never creates one. An update
	// writes the new expiry as well as the new data.
	Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error

	// Delete removes the record under key. Deleting a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error

	// Exists reports whether a live record exists under key.
	Exists(ctx context.Context, key string) (bool, error)

	// ClearExpired removes every expired record, and no live one, and
	// reports how many it removed. A store whose records expire by
	// themselves (Redis) returns 0, nil; a store that cannot clear returns
	// an error wrapping ErrNotSupported.
	ClearExpired(ctx context.Context) (int64, error)
}

// Cycler is implemented by stores that can move a record to a new key in one
// step, without a moment when neither key exists. Cycle must fail with
// ErrCreate if newKey exists. If oldKey is missing the new record is still
// created: the caller holds the data. As for Save, data is only valid
// during the call.
type Cycler interface {
	Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error
}

// ExpiryLoader is implemented by stores that can report a record's expiry
// along with its data, so that a cache in front of them (cachedstore) never
// keeps a copy longer than the record lives. LoadWithExpiry follows Load
// (no expired records, found false for none) and reports the expiry the
// last Save or Cycle wrote; a store that derives it from a remaining time
// to live may report it early by a round trip, never late.
type ExpiryLoader interface {
	LoadWithExpiry(ctx context.Context, key string) (data []byte, expiry time.Time, found bool, err error)
}

// ClientSide is implemented by stores that keep the session in the cookie
// itself (see cookiestore). For them the session key is the cookie value:
// Load opens it, and Seal produces the cookie value for data. Save, Delete
// and Exists keep their signatures but have cookie meaning: nothing is
// recorded server side, so a sealed value cannot be revoked before it
// expires.
type ClientSide interface {
	Store
	// Seal returns the cookie value that carries data until expiry: only
	// RFC 6265 cookie-octets (base64url is), or the session package refuses
	// to send it. data is only valid during the call.
	Seal(ctx context.Context, data []byte, expiry time.Time) (string, error)
}

// Unsealer is implemented by client-side stores that authenticate what
// they seal (cookiestore, with AES-GCM) and report how a value was sealed.
// The session package gives such a store its payloads unsigned, since a
// signature inside an authenticated seal adds nothing but length, and
// trusts Seal to return cookie-octets only. It re-writes a session whose
// value Unseal reports as sealed with a fallback secret or as Signed.
type Unsealer interface {
	ClientSide
	// Unseal is Load, and also reports how the value was sealed.
	Unseal(ctx context.Context, value string) (data []byte, found bool, how Sealing, err error)
}

// Sealing describes how a client-side value that opened was sealed.
type Sealing struct {
	// Secret is the index of the secret that opened the value: 0 for the
	// current one, more for a fallback.
	Secret int
	// Signed reports a value sealed by a release whose session package
	// signed the data it sealed: the data ends with its signature, which
	// the session package verifies and removes.
	Signed bool
}
