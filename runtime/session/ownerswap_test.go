package session_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// ownedStore is a memstore that counts its owner-index writes. Unless
// noSwap is set it is a store.OwnedSwapper, whose SwapOwned runs before
// (when set) first: the moment a concurrent request can save in between.
type ownedStore struct {
	*memstore.Store
	saveOwned, swapOwned, swaps atomic.Int64
	before                      func(n int64)
}

func (s *ownedStore) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	s.saveOwned.Add(1)
	return s.Store.SaveOwned(ctx, key, owner, data, expiry, mustCreate)
}

func (s *ownedStore) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	s.swaps.Add(1)
	return s.Store.Swap(ctx, key, old, data, expiry)
}

func (s *ownedStore) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	n := s.swapOwned.Add(1)
	if s.before != nil {
		s.before(n)
	}
	return s.Store.SwapOwned(ctx, key, owner, old, data, expiry)
}

// noOwnedSwap is an owner-indexing store that can swap, but not swap
// owned records: a store written before store.OwnedSwapper.
type noOwnedSwap struct {
	store.Store
	st *ownedStore
}

func (s noOwnedSwap) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	return s.st.SaveOwned(ctx, key, owner, data, expiry, mustCreate)
}

func (s noOwnedSwap) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	return s.st.CycleOwned(ctx, oldKey, newKey, owner, data, expiry)
}

func (s noOwnedSwap) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	return s.st.ListOwned(ctx, owner)
}

func (s noOwnedSwap) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	return s.st.Swap(ctx, key, old, data, expiry)
}

// withoutOwnedSwap returns st without its SwapOwned.
func withoutOwnedSwap(st *memstore.Store) store.Store {
	s := &ownedStore{Store: st}
	return noOwnedSwap{Store: s, st: s}
}

// TestOwnerKeySavesSwapOwned: a Manager with Config.OwnerKey saves a
// loaded session with one SwapOwned, and over a store without
// store.OwnedSwapper falls back to SaveOwned (last writer wins) without
// a plain Swap, which would leave the owner index behind.
func TestOwnerKeySavesSwapOwned(t *testing.T) {
	for _, tc := range []struct {
		name string
		wrap func(*ownedStore) store.Store
		want [3]int64 // SwapOwned, SaveOwned, Swap calls of the update
	}{
		{"owned_swapper", func(s *ownedStore) store.Store { return s }, [3]int64{1, 0, 0}},
		{"owners_and_swapper_only", func(s *ownedStore) store.Store { return noOwnedSwap{Store: s, st: s} }, [3]int64{0, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &ownedStore{Store: memstore.NewWithCleanup(0)}
			e := newEnv(t, func(c *session.Config) { c.Store = tc.wrap(st); c.OwnerKey = "name" })
			key := e.seed(t, "ada")
			st.saveOwned.Store(0)
			e.do(t, setCount(t, 1), key)
			got := [3]int64{st.swapOwned.Load(), st.saveOwned.Load(), st.swaps.Load()}
			if got != tc.want {
				t.Errorf("SwapOwned, SaveOwned, Swap calls = %v, want %v", got, tc.want)
			}
			if p := e.load(t, key); p.Count() != 1 {
				t.Errorf("stored count %d, want 1", p.Count())
			}
			if got := handles(t, e.m, "ada"); len(got) != 1 {
				t.Errorf("owner ada has %d sessions listed, want 1", len(got))
			}
		})
	}
}

// TestOwnerFollowsMergedRecord: a request that changes one field meets a
// concurrent save that changed the owner field (the hook runs that whole
// request between this request's load and its swap). The merge keeps
// both changes, and the owner index follows the merged record: listed
// under the new owner only.
func TestOwnerFollowsMergedRecord(t *testing.T) {
	st := &ownedStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = st; c.OwnerKey = "name" })
	key := e.seed(t, "ada")
	st.before = func(n int64) {
		if n == 1 { // the other request, start to end
			if resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
				mustProbe(t, r).SetName("grace-" + strings.Repeat("x", 64))
			}, key); resp.StatusCode != http.StatusOK {
				t.Errorf("concurrent request: status %d", resp.StatusCode)
			}
		}
	}
	if resp := e.do(t, setCount(t, 7), key); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	owner := "grace-" + strings.Repeat("x", 64)
	if p := e.load(t, key); p.Name() != owner || p.Count() != 7 {
		t.Errorf("stored name %q count %d, want both requests' changes", p.Name(), p.Count())
	}
	if got := handles(t, e.m, "ada"); len(got) != 0 {
		t.Errorf("old owner still lists %d sessions, want 0", len(got))
	}
	if got := handles(t, e.m, owner); len(got) != 1 {
		t.Errorf("new owner lists %d sessions, want 1", len(got))
	}
}

// BenchmarkRequestSignedIn is BenchmarkRequest on a Manager with
// Config.OwnerKey: the save swaps through SwapOwned (swap_owned) or, over a
// store without it, is a SaveOwned (save_owned, the path before SwapOwned).
func BenchmarkRequestSignedIn(b *testing.B) {
	for _, bc := range []struct {
		name string
		st   func() store.Store
	}{
		{"swap_owned", func() store.Store { return memstore.NewWithCleanup(0) }},
		{"save_owned", func() store.Store { return withoutOwnedSwap(memstore.NewWithCleanup(0)) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := session.NewManager(session.Config{Store: bc.st(), Secret: secret, OwnerKey: "name"})
			if err != nil {
				b.Fatal(err)
			}
			benchmarkChange(b, &env{m: m})
		})
	}
}
