package cachedstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// hookedDurable is a swapping durable store that runs a hook once, after a
// swap has succeeded in it and before cachedstore refreshes its cache: the
// moment another request's whole swap can slip in.
type hookedDurable struct {
	*memstore.Store
	afterSwap func()
	afterRead func()
}

func (d *hookedDurable) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	if err := d.Store.Swap(ctx, key, old, data, expiry); err != nil {
		return err
	}
	if f := d.afterSwap; f != nil {
		d.afterSwap = nil
		f()
	}
	return nil
}

// TestCrossedSwapsLeaveNoOlderCopy: two swaps succeed in the durable store
// (v1 to v2, then v2 to v3), but the first one's cache refresh arrives
// after the second's. The cache must not be left holding v2 while the
// durable store holds v3, or every later Load serves the older session:
// the fields lost in the C90 conformance flake (plain cache).
func TestCrossedSwapsLeaveNoOlderCopy(t *testing.T) {
	for name, cache := range map[string]func() store.Store{
		"swapping_cache": func() store.Store { return memstore.NewWithCleanup(0) },
		"plain_cache":    func() store.Store { return plain{memstore.NewWithCleanup(0)} },
	} {
		t.Run(name, func(t *testing.T) {
			durable := &hookedDurable{Store: memstore.NewWithCleanup(0)}
			s, _ := newStore(cache(), durable)
			key := newKey()
			mustSave(t, s, key, "v1", true)
			durable.afterSwap = func() { // the second request, start to end
				if err := swap(s, key, "v2", "v3"); err != nil {
					t.Errorf("second swap: %v", err)
				}
			}
			if err := swap(s, key, "v1", "v2"); err != nil {
				t.Fatal(err)
			}
			wantLoad(t, durable, key, "v3")
			wantLoad(t, s, key, "v3")
		})
	}
}

// LoadWithExpiry makes hookedDurable a store.ExpiryLoader, so that a Load
// through cachedstore fills the cache, and runs afterRead once, between the
// durable read and the fill.
func (d *hookedDurable) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	data, found, err := d.Store.Load(ctx, key)
	if f := d.afterRead; f != nil {
		d.afterRead = nil
		f()
	}
	return data, hour(), found, err
}

// TestFillRacingSwapLeavesNoOlderCopy: a read that misses the cache reads
// v1 from the durable store; before it fills the cache, another request
// swaps v1 for v2, and its refresh finds no entry to update (a swapping
// cache leaves a missing entry missing; a plain one gets v2 and then loses
// it to a third request's failed swap). The fill must not leave v1 in the
// cache: the reading request saves nothing, so no failed swap of its own
// would ever drop the copy.
func TestFillRacingSwapLeavesNoOlderCopy(t *testing.T) {
	for name, cache := range map[string]func() store.Store{
		"swapping_cache": func() store.Store { return memstore.NewWithCleanup(0) },
		"plain_cache":    func() store.Store { return plain{memstore.NewWithCleanup(0)} },
	} {
		t.Run(name, func(t *testing.T) {
			c := cache()
			durable := &hookedDurable{Store: memstore.NewWithCleanup(0)}
			s, _ := newStore(c, durable)
			key := newKey()
			mustSave(t, durable, key, "v1", true) // not cached
			durable.afterRead = func() {
				if err := swap(s, key, "v1", "v2"); err != nil {
					t.Errorf("concurrent swap: %v", err)
				}
				if err := c.Delete(ctx, key); err != nil { // a failed swap's drop
					t.Errorf("cache delete: %v", err)
				}
			}
			wantLoad(t, s, key, "v1") // what it read: the swap came after
			wantLoad(t, durable, key, "v2")
			wantLoad(t, s, key, "v2")
		})
	}
}
