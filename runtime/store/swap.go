package store

import (
	"context"
	"errors"
	"time"
)

// ErrChanged is returned (wrapped) by Swapper.Swap when the record under the
// key is live but no longer holds the payload the caller loaded: another
// request saved it meanwhile. The caller reloads and tries again (the
// session package merges by field). It is distinct from
// ErrUpdate, which means the record is gone (deleted or expired): a logout
// must win, so a missing record is never recreated by a swap.
var ErrChanged = errors.New("store: session record changed since it was loaded")

// Swapper is implemented by stores that can replace a record only if it
// still holds what the caller loaded (compare-and-swap), atomically in the
// store. It is the base of optimistic concurrency: a request that loaded
// old saves with Swap instead of Save, and learns when a concurrent request
// saved in between instead of silently overwriting its changes.
//
// Swap replaces the record under key with data until expiry if the record
// is live and holds exactly old. Otherwise it changes nothing and returns
// an error wrapping ErrChanged (live, but holding something else) or
// ErrUpdate (no live record: deleted, expired, or never there). As for
// Save, an expiry already past removes the record when the swap succeeds,
// and old and data are only valid during the call (a store that keeps
// them must copy them). A store that wraps another store and can swap only
// if that store can (cachedstore) returns an error wrapping ErrNotSupported
// when it cannot; callers then fall back to Save.
//
// In the uncontended case Swap costs what Save costs: the comparison is
// part of the one command or statement that writes (a Lua script on Redis,
// an UPDATE ... WHERE session_data = ? in SQL, a check under the lock the
// store already takes in memstore and filestore). Only a failed swap may
// cost a second round trip, to tell ErrChanged from ErrUpdate.
//
// # Why the payload and not a version
//
// The record is compared by its payload, not by a version number. The
// session package already holds the bytes it loaded, so nothing new is
// stored: no schema migration for SQL tables, no new file or value format
// that a rolling deploy would have to read both ways, and stores written
// against the current contract keep working unchanged. The price is
// bandwidth: a save sends the old payload along with the new one (a few
// hundred bytes for a typical session; the store compares them with a
// memory comparison after the key lookup it does anyway). A version column
// would make each save a few bytes smaller but needs a migration for every
// existing table and a format change for every other store, which outweighs
// it for payloads of the size sessions have. Sending a digest of the old
// payload instead would move hashing onto the store (on Redis, its single
// thread) for every save, and SQL has no portable hash function. Measured
// on Redis 7.0 (server time per call from INFO commandstats, a script
// comparing redis.sha1hex(current) with a digest against redisstore's,
// alternated five times): the digest cost more, not less, 6.1 µs against
// 4.9 µs at 330 bytes and 49 µs against 45 µs at 9.8 KB, and more client
// CPU; hashing the record costs Redis more than taking the old payload as
// an argument and comparing it.
//
// Comparing payloads cannot be fooled by a record that changed and changed
// back (ABA): if the bytes are identical, so is the session, and saving
// over it is what would have happened had this request run after the
// others.
//
// The cookie store (cookiestore) does not implement Swapper: nothing is
// shared between requests, so there is nothing to compare with; each
// request's cookie carries its own copy and the last response wins in the
// browser.
type Swapper interface {
	Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error
}
