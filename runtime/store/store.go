// Package store defines the contract between typedsession and its backends.
//
// A Store keeps opaque, already signed session payloads under random keys
// until an expiry time. The session package decides what to keep; a store
// decides only where. Every method takes a context first and must honour
// its cancellation and deadline.
//
// Optional capabilities are separate interfaces, discovered by type
// assertion: Cycler (atomic key rotation) and ClientSide (the session lives
// in the cookie itself).
package store

import (
	"context"
	"errors"
	"time"
)

// ErrCreate is returned by Save with mustCreate set when the key already
// exists. The session package answers it by drawing a new key.
var ErrCreate = errors.New("store: session key already exists")

// ErrUpdate is returned by Save without mustCreate when the key no longer
// exists, typically because a concurrent request (a logout in another tab)
// deleted it. Saving anyway would resurrect a session the user ended.
var ErrUpdate = errors.New("store: session to update no longer exists")

// ErrNotSupported is returned (wrapped) by an operation a store cannot
// perform, such as ClearExpired on a store that keeps nothing server side.
var ErrNotSupported = errors.New("store: operation not supported by this store")

// ErrCorrupt is returned (wrapped) by Load when the record exists but cannot
// be trusted, such as a client-side value that fails to open. The session
// package treats it as "no session" and reports it on its security logger,
// so stores need no logger of their own for it.
var ErrCorrupt = errors.New("store: session record is corrupt or forged")

// Store is the contract every backend implements.
//
// Implementations must be safe for concurrent use, must never return a record
// whose expiry has passed, and must wrap their errors with the store's name
// and the operation (for example "redisstore: load: ...").
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
	// ErrUpdate if there is none: it never creates one.
	Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error

	// Delete removes the record under key. Deleting a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error

	// Exists reports whether a live record exists under key.
	Exists(ctx context.Context, key string) (bool, error)

	// ClearExpired removes expired records and reports how many it removed.
	// A store whose records expire by themselves returns 0, nil; a store that
	// cannot clear returns an error wrapping ErrNotSupported.
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
// keeps a copy longer than the record lives.
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
