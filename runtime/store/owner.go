package store

import (
	"context"
	"time"
	"unicode/utf8"
)

// MaxOwnerLen bounds the length in bytes of an owner id (see Owners): it
// fits an indexed VARCHAR(255) column and a Redis key name.
const MaxOwnerLen = 255

// ValidOwner reports whether owner can be an owner id: 1 to MaxOwnerLen
// bytes of UTF-8 without control characters, so that it is safe in a key
// name, a column and a line of sessionctl output. The empty owner means
// "no owner" and is not valid here.
func ValidOwner(owner string) bool {
	if owner == "" || len(owner) > MaxOwnerLen || !utf8.ValidString(owner) {
		return false
	}
	for _, r := range owner {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// Owned is one live record of an owner, as Owners.ListOwned reports it.
type Owned struct {
	Key    string    // the store key
	Data   []byte    // the payload; the caller does not modify it
	Expiry time.Time // as the last write set it
}

// Owners is implemented by stores that keep an index of records by owner
// (the user a session belongs to), so that an owner's sessions can be
// listed and revoked at a cost proportional to their number, not to the
// size of the store.
//
// SaveOwned is Save that also records the record's owner in the same step:
// "" for none. CycleOwned is Cycle that does the same for the new record.
// Both follow Save's and Cycle's contracts otherwise (ErrCreate, ErrUpdate,
// expiry, invalid keys). An owner other than "" for which ValidOwner is
// false is refused with an error.
//
// ListOwned returns every live record whose last SaveOwned or CycleOwned
// named owner, in no particular order. Once SaveOwned (or CycleOwned)
// returns, the record is listed under its owner and under no other; once
// Delete returns, it is listed nowhere. The index is never behind the
// records: there is no moment in which a live record is missing from its
// owner's list, nor (after Delete returns, or after it expired) in which a
// deleted or expired record is listed. Stores that cannot make the record
// and its index entry one atomic write (Redis Cluster, where they live in
// different hash slots) order the writes so that the index may briefly
// hold too much, never too little, and filter what it holds against the
// records at list time; they clean up dead entries lazily.
//
// Revoking needs no method of its own: Delete removes a record from its
// owner's index too.
//
// Save, Cycle and Swap are for records without an owner. Writing a record
// that has one through them leaves its index entry in a state that only the
// next SaveOwned makes right again; the session package writes every save
// through SaveOwned (or OwnedSwapper.SwapOwned) when Config.OwnerKey is set.
//
// A client-side store (cookiestore) cannot implement Owners: nothing is
// recorded server side, so there is nothing to list or delete.
type Owners interface {
	SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error
	CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error
	ListOwned(ctx context.Context, owner string) ([]Owned, error)
}

// OwnedSwapper is implemented by stores that keep an owner index (Owners)
// and can compare and swap (Swapper): SwapOwned is Swap that also records
// the record's owner in the same step, as SaveOwned does for Save. It lets
// a Manager with Config.OwnerKey save optimistically, so that concurrent
// requests of a signed-in user merge instead of overwriting each other.
//
// SwapOwned replaces the record under key with data until expiry, filed
// under owner ("" for none), if the record is live and holds exactly old.
// Otherwise it changes neither the record nor what ListOwned reports for
// any owner, and returns an error wrapping ErrChanged or ErrUpdate, as Swap does. An
// owner other than "" for which ValidOwner is false is refused with an
// error, before anything is written. Once SwapOwned returns nil the record
// is listed under owner and under no other (none for ""), with the
// guarantees Owners gives SaveOwned: the index is never behind the
// records. An expiry already past removes the record, and its listing, as
// Swap and SaveOwned do. As for Swap, old and data are only valid during
// the call.
//
// Uncontended, SwapOwned costs no more than SaveOwned, the comparison being
// part of the step that writes: one statement in SQL, the store's existing
// lock in memstore and filestore, one script on a single Redis node (two
// commands on a Cluster, where the owner's index lives in another hash
// slot than the record and is written first, as by SaveOwned). A store
// that wraps another and can swap owned records only if that store can
// (cachedstore) returns an error wrapping ErrNotSupported when it cannot;
// callers then fall back to SaveOwned.
//
// It is an interface of its own, not a method of Owners or Swapper, so
// that stores implementing either alone keep compiling; every server-side
// store of this module implements all three.
type OwnedSwapper interface {
	SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error
}
