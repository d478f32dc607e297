package cachedstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// revokedDurable is an owner-indexing durable store that runs a hook
// once, after an owned record was created in it and before cachedstore
// writes its cache: the moment a revoke that found the new key in its
// owner's index can delete it.
type revokedDurable struct {
	*memstore.Store
	afterCreate func(key string)
}

func (d *revokedDurable) created(key string) {
	if f := d.afterCreate; f != nil {
		d.afterCreate = nil
		f(key)
	}
}

func (d *revokedDurable) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := d.Store.SaveOwned(ctx, key, owner, data, expiry, mustCreate); err != nil {
		return err
	}
	if mustCreate {
		d.created(key)
	}
	return nil
}

func (d *revokedDurable) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := d.Store.CycleOwned(ctx, oldKey, newKey, owner, data, expiry); err != nil {
		return err
	}
	d.created(newKey)
	return nil
}

// TestRevokeRacingOwnedCreateLeavesNoCopy: an owned record is created in
// the durable store, and before cachedstore writes it to the cache a
// revoke lists the owner, finds the new key and deletes it (the durable
// store's hook runs that Delete in between): it finds no cache entry to
// drop. The cache write that follows must not leave the deleted session
// in the cache, where it would load until the entry expired: a session
// signed out everywhere would stay signed in.
func TestRevokeRacingOwnedCreateLeavesNoCopy(t *testing.T) {
	caches := map[string]func() store.Store{
		"memstore": func() store.Store { return memstore.NewWithCleanup(0) },
		"plain":    func() store.Store { return plain{memstore.NewWithCleanup(0)} },
		"fake":     func() store.Store { return newFake("cache") },
	}
	// Each creates key, owned by alice, through o; d's hook is armed.
	creates := map[string]func(t *testing.T, o store.Owners, d *revokedDurable, key string){
		"save_owned": func(t *testing.T, o store.Owners, _ *revokedDurable, key string) {
			if err := o.SaveOwned(ctx, key, "alice", []byte("v1"), hour(), true); err != nil {
				t.Fatal(err)
			}
		},
		"cycle_owned": func(t *testing.T, o store.Owners, d *revokedDurable, key string) {
			old := newKey()
			if err := d.Store.SaveOwned(ctx, old, "", []byte("anonymous"), hour(), true); err != nil {
				t.Fatal(err)
			}
			if err := o.CycleOwned(ctx, old, key, "alice", []byte("v1"), hour()); err != nil {
				t.Fatal(err)
			}
		},
	}
	for cname, cache := range caches {
		for name, create := range creates {
			t.Run(cname+"/"+name, func(t *testing.T) {
				durable := &revokedDurable{Store: memstore.NewWithCleanup(0)}
				s, _ := newStore(cache(), durable)
				key := newKey()
				durable.afterCreate = func(k string) { // the revoke
					list, err := s.ListOwned(ctx, "alice")
					if err != nil || len(list) != 1 || list[0].Key != k {
						t.Errorf("the revoke listed %v, %v; want the new key", list, err)
					}
					if err := s.Delete(ctx, k); err != nil {
						t.Errorf("revoke: %v", err)
					}
				}
				create(t, s, durable, key)
				if durable.afterCreate != nil {
					t.Fatal("the hook did not run")
				}
				wantLoad(t, durable, key, "")
				wantLoad(t, s, key, "")
			})
		}
	}
}
