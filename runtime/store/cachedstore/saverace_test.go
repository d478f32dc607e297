package cachedstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// TestCrossedSavesLeaveNoOlderCopy: two saves succeed in the durable store
// one after the other, but the first one's cache write arrives after the
// second's (the durable store's afterSave hook runs the second request,
// start to end, in between). The cache must not be left holding the first
// save's data while the durable store holds the second's, or every later
// Load serves the older session until the entry expires.
func TestCrossedSavesLeaveNoOlderCopy(t *testing.T) {
	caches := map[string]func() store.Store{
		"memstore": func() store.Store { return memstore.NewWithCleanup(0) },
		"fake":     func() store.Store { return newFake("cache") },
	}
	tests := []struct {
		name        string
		firstCreate bool // the first save creates the session
	}{
		{"update_then_update", false},
		{"create_then_update", true},
	}
	for cname, cache := range caches {
		for _, tc := range tests {
			t.Run(cname+"/"+tc.name, func(t *testing.T) {
				durable := newFake("durable")
				s, _ := newStore(cache(), durable)
				key := newKey()
				if !tc.firstCreate {
					mustSave(t, s, key, "v1", true)
				}
				durable.afterSave = func() { // the second request
					durable.afterSave = nil
					mustSave(t, s, key, "v3", false)
				}
				mustSave(t, s, key, "v2", tc.firstCreate)
				wantHeld(t, durable, key, "v3")
				wantLoad(t, s, key, "v3")
			})
		}
	}
}
