// Package cachedstore puts a fast store (a cache, such as memstore or
// redisstore) in front of a durable one (such as sqlstore), as Django's
// cached_db backend does.
//
// Reads try the cache first and fall back to the durable store; writes go to
// the durable store first, which alone decides create and update semantics
// (ErrCreate, ErrUpdate), and then to the cache. The cache is never the only
// holder of a session, so it may lose entries, be flushed or go down without
// losing anything: a cache failure is logged and the durable store answers.
//
// # Keeping the cache honest
//
//   - A cache entry never outlives the session: it gets the session's expiry
//     when written. On a read that misses the cache, the entry is filled only
//     when the durable store can report the record's expiry
//     (store.ExpiryLoader, as sqlstore, filestore and redisstore are);
//     otherwise the read is answered without filling.
//   - A fill never resurrects a session deleted meanwhile, nor puts back
//     data a concurrent write replaced: after filling, the durable store is
//     read again, and the entry is dropped unless the record still holds
//     what was filled.
//   - A write whose cache update fails drops the cache entry, so the cache
//     cannot keep serving the older data.
//   - Two saves that succeed in order in the durable store may reach the
//     cache in the other order. A save that updates writes the entry and
//     then reads the durable record again, dropping the entry unless it
//     holds the bytes just written: one more durable read per updating
//     save, so that the older of two crossed writes cannot stay cached. A
//     save that creates pays it only when the cache already has an entry
//     (stale, or a later save's): no one else knew the new key, so a cache
//     entry it creates cannot be older than another write. Dropping the entry on
//     update instead, and letting the next Load fill it, would save that
//     read only to spend two on the next Load (a fill reads the durable
//     store, then checks it again), since a saved session is almost always
//     loaded again; and a durable store that cannot report expiry
//     (store.ExpiryLoader) is never filled from, so its sessions would
//     stop being cached after their first update.
//   - A create with an owner (SaveOwned, CycleOwned) is the exception: its
//     key is in the owner's index at once, where a revoke can find it and
//     delete it before the cache is written. Such a create checks the
//     durable store after writing the cache, and drops the entry if the
//     record is gone: one more durable read per sign-in.
//   - Once the durable store has changed, the cache is brought in line even
//     if the caller's context ends meanwhile (the cache's own timeouts still
//     apply): a client that goes away mid-request must not leave a stale or
//     deleted session in the cache.
//   - Deleting (logout) fails if the cache cannot drop its copy, since the
//     session would otherwise still load.
//   - Swap (store.Swapper, when the durable store is one) and SwapOwned
//     (store.OwnedSwapper, likewise) compare in the durable store; a failed
//     swap drops the cache's copy, which may be the stale one the caller
//     loaded, and a successful one refreshes the copy only if it still
//     holds what the caller loaded. A cache that cannot swap is written and
//     checked as an updating save is. The owner index lives in the durable
//     store alone.
//
// Every instance of the application must use the same cache (Redis, not a
// per-process memstore) unless there is only one instance: a per-process
// cache cannot learn that another process changed or deleted a session.
package cachedstore

import (
	"log/slog"

	"github.com/typedsession/typedsession/runtime/store"
)

// Config configures a Store. The zero value is ready to use.
type Config struct {
	// Logger receives cache failures, which are not fatal. Session keys are
	// never logged. Default slog.Default().
	Logger *slog.Logger
}

// Store is a store.Store that serves reads from a cache store and keeps
// every session in a durable store. It is safe for concurrent use if both
// stores are.
type Store struct {
	cache, durable store.Store
	log            *slog.Logger
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Cycler = (*Store)(nil)
)

// New returns a Store that reads through cache and keeps sessions in
// durable. Neither may be a client-side store (cookiestore).
func New(cache, durable store.Store, cfg Config) *Store {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Store{cache: cache, durable: durable, log: cfg.Logger}
}
