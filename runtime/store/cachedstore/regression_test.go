package cachedstore_test

import "testing"

// A logout (Delete) that runs after another request's update reached the
// durable store but before that update reached the cache: put's update
// meets no cache entry (ErrUpdate), switches to create, and puts the
// deleted session back into the cache, where it loads until it expires.
func TestSaveRacingDeleteDoesNotResurrect(t *testing.T) {
	for _, cached := range []bool{false, true} {
		cache, durable := newFake("cache"), newFake("durable")
		s, _ := newStore(cache, durable)
		k := newKey()
		mustSave(t, s, k, "v1", true)
		if !cached {
			if err := cache.Delete(ctx, k); err != nil { // e.g. evicted by the cache
				t.Fatal(err)
			}
		}
		durable.afterSave = func() {
			durable.afterSave = nil
			if err := s.Delete(ctx, k); err != nil { // the concurrent logout
				t.Errorf("Delete: %v", err)
			}
		}
		mustSave(t, s, k, "v2", false) // won the race in the durable store
		wantHeld(t, durable, k, "")
		wantLoad(t, s, k, "") // the logout must stick
	}
}
