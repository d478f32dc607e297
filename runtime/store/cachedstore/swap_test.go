package cachedstore_test

import (
	"errors"
	"testing"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func swap(s store.Store, key, old, data string) error {
	return s.(store.Swapper).Swap(ctx, key, []byte(old), []byte(data), hour())
}

func TestSwapRefreshesTheCache(t *testing.T) {
	for name, cache := range map[string]store.Store{
		"swapping_cache": memstore.NewWithCleanup(0),
		"plain_cache":    plain{memstore.NewWithCleanup(0)},
	} {
		t.Run(name, func(t *testing.T) {
			durable := memstore.NewWithCleanup(0)
			s, _ := newStore(cache, durable)
			key := newKey()
			mustSave(t, s, key, "v1", true)
			if err := swap(s, key, "v1", "v2"); err != nil {
				t.Fatal(err)
			}
			wantLoad(t, durable, key, "v2")
			wantLoad(t, cache, key, "v2")
		})
	}
}

// TestSwapOverStaleCacheEntry: a cache that missed a write serves stale
// data; the swap based on it fails with ErrChanged and drops the entry, so
// the caller's reload reads the durable store and its retry succeeds.
func TestSwapOverStaleCacheEntry(t *testing.T) {
	cache, durable := memstore.NewWithCleanup(0), memstore.NewWithCleanup(0)
	s, _ := newStore(cache, durable)
	key := newKey()
	mustSave(t, s, key, "v1", true)
	mustSave(t, durable, key, "v2", false) // a write the cache missed
	wantLoad(t, s, key, "v1")
	if err := swap(s, key, "v1", "v3"); !errors.Is(err, store.ErrChanged) {
		t.Fatalf("Swap over a stale cache entry = %v, want ErrChanged", err)
	}
	wantLoad(t, durable, key, "v2")
	wantLoad(t, cache, key, "")
	wantLoad(t, s, key, "v2")
	if err := swap(s, key, "v2", "v3"); err != nil {
		t.Fatalf("retry after reloading: %v", err)
	}
	wantLoad(t, s, key, "v3")
}

// TestSwapDoesNotPutOlderDataInTheCache: when two swaps' cache refreshes
// cross, the late one finds data it did not load and drops the entry
// instead of overwriting it.
func TestSwapDoesNotPutOlderDataInTheCache(t *testing.T) {
	cache, durable := memstore.NewWithCleanup(0), memstore.NewWithCleanup(0)
	s, _ := newStore(cache, durable)
	key := newKey()
	mustSave(t, s, key, "v1", true)
	mustSave(t, cache, key, "other", false) // a refresh that arrived first
	if err := swap(s, key, "v1", "v2"); err != nil {
		t.Fatal(err)
	}
	wantLoad(t, cache, key, "")
	wantLoad(t, s, key, "v2")
}

// TestSwapDoesNotRefillADroppedEntry: with no cache entry to refresh (a
// Delete may have just removed it), the swap creates none.
func TestSwapDoesNotRefillADroppedEntry(t *testing.T) {
	cache, durable := memstore.NewWithCleanup(0), memstore.NewWithCleanup(0)
	s, _ := newStore(cache, durable)
	key := newKey()
	mustSave(t, durable, key, "v1", true)
	if err := swap(s, key, "v1", "v2"); err != nil {
		t.Fatal(err)
	}
	wantLoad(t, cache, key, "")
	wantLoad(t, durable, key, "v2")
}

func TestSwapOfADeletedSessionDropsTheCopy(t *testing.T) {
	cache, durable := memstore.NewWithCleanup(0), memstore.NewWithCleanup(0)
	s, _ := newStore(cache, durable)
	key := newKey()
	mustSave(t, s, key, "v1", true)
	if err := durable.Delete(ctx, key); err != nil { // a logout the cache missed
		t.Fatal(err)
	}
	err := swap(s, key, "v1", "v2")
	wantErr(t, err, store.ErrUpdate, "cachedstore: swap: ")
	wantLoad(t, cache, key, "")
	wantLoad(t, s, key, "")
}

func TestSwapNeedsASwappingDurableStore(t *testing.T) {
	cache, durable := memstore.NewWithCleanup(0), newFake("durable")
	s, _ := newStore(cache, durable)
	key := newKey()
	mustSave(t, s, key, "v1", true)
	err := swap(s, key, "v1", "v2")
	wantErr(t, err, store.ErrNotSupported, "cachedstore: swap: ")
	wantHeld(t, durable, key, "v1")
	wantLoad(t, s, key, "v1")
}

func TestSwapCacheFailureIsLoggedNotFatal(t *testing.T) {
	cache, durable := newFake("cache"), memstore.NewWithCleanup(0)
	s, logs := newStore(cache, durable)
	key := newKey()
	mustSave(t, s, key, "v1", true)
	cache.failing("save")
	if err := swap(s, key, "v1", "v2"); err != nil {
		t.Fatalf("Swap with a failing cache = %v, want nil: the durable store has the data", err)
	}
	wantLoad(t, durable, key, "v2")
	wantHeld(t, cache, key, "")
	if logs.String() == "" {
		t.Error("the cache failure was not logged")
	}
}
