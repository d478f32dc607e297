package sessiontest

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// ownerCases are C80–C89: the optional store.Owners capability (an index
// of records by owner, for listing and revoking a user's sessions), for
// stores that implement it.
var ownerCases = []testCase{
	{"C80", "owner_save_lists", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		alice, bob := "alice-"+randomSuffix(), "bob-"+randomSuffix()
		a1, a2, b1, none := "own"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix()
		expiry := time.Now().Add(time.Hour)
		check(t,
			o.SaveOwned(ctx, a1, alice, []byte("a1"), expiry, true),
			o.SaveOwned(ctx, a2, alice, []byte("a2"), expiry.Add(time.Hour), true),
			o.SaveOwned(ctx, b1, bob, []byte("b1"), expiry, true),
			o.SaveOwned(ctx, none, "", []byte("none"), expiry, true),
		)
		h.wantOwned(t, alice, map[string]string{a1: "a1", a2: "a2"})
		h.wantOwned(t, bob, map[string]string{b1: "b1"})
		h.wantOwned(t, "carol-"+randomSuffix(), map[string]string{})
		if diff := cmp.Diff(map[string]string{none: "none"}, records(t, h.raw, none)); diff != "" {
			t.Errorf("record saved without an owner (-want +got):\n%s", diff)
		}
		got, err := o.ListOwned(ctx, alice)
		check(t, err)
		for _, r := range got {
			want := expiry
			if r.Key == a2 {
				want = expiry.Add(time.Hour)
			}
			if d := r.Expiry.Sub(want).Abs(); d > time.Minute {
				t.Errorf("ListOwned expiry of %s = %v, want %v", r.Key, r.Expiry, want)
			}
		}
	}},
	{"C81", "owner_update_listed_once", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		owner, key := "u-"+randomSuffix(), "own"+randomSuffix()
		check(t, o.SaveOwned(ctx, key, owner, []byte("v1"), time.Now().Add(time.Hour), true))
		check(t, o.SaveOwned(ctx, key, owner, []byte("v2"), time.Now().Add(2*time.Hour), false))
		h.wantOwned(t, owner, map[string]string{key: "v2"})
	}},
	{"C82", "owner_change_moves", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		alice, bob, key := "alice-"+randomSuffix(), "bob-"+randomSuffix(), "own"+randomSuffix()
		check(t, o.SaveOwned(ctx, key, alice, []byte("v1"), time.Now().Add(time.Hour), true))
		check(t, o.SaveOwned(ctx, key, bob, []byte("v2"), time.Now().Add(time.Hour), false))
		h.wantOwned(t, alice, map[string]string{})
		h.wantOwned(t, bob, map[string]string{key: "v2"})
		check(t, o.SaveOwned(ctx, key, "", []byte("v3"), time.Now().Add(time.Hour), false))
		h.wantOwned(t, bob, map[string]string{})
		check(t, o.SaveOwned(ctx, key, alice, []byte("v4"), time.Now().Add(time.Hour), false))
		h.wantOwned(t, alice, map[string]string{key: "v4"})
	}},
	{"C83", "owner_delete_unlists", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		owner, k1, k2 := "u-"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix()
		check(t,
			o.SaveOwned(ctx, k1, owner, []byte("v1"), time.Now().Add(time.Hour), true),
			o.SaveOwned(ctx, k2, owner, []byte("v2"), time.Now().Add(time.Hour), true),
		)
		check(t, h.raw.Delete(ctx, k1))
		h.wantOwned(t, owner, map[string]string{k2: "v2"})
		check(t, h.raw.Delete(ctx, k2))
		h.wantOwned(t, owner, map[string]string{})
		// A new record for the owner after all were deleted is listed.
		k3 := "own" + randomSuffix()
		check(t, o.SaveOwned(ctx, k3, owner, []byte("v3"), time.Now().Add(time.Hour), true))
		h.wantOwned(t, owner, map[string]string{k3: "v3"})
	}},
	{"C84", "owner_cycle_moves_key", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		owner, old, next := "u-"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix()
		check(t, o.SaveOwned(ctx, old, owner, []byte("v1"), time.Now().Add(time.Hour), true))
		check(t, o.CycleOwned(ctx, old, next, owner, []byte("v2"), time.Now().Add(time.Hour)))
		h.wantOwned(t, owner, map[string]string{next: "v2"})
		// Cycling an anonymous session at sign-in files it under its owner.
		anon, signed := "own"+randomSuffix(), "own"+randomSuffix()
		check(t, o.SaveOwned(ctx, anon, "", []byte("anon"), time.Now().Add(time.Hour), true))
		check(t, o.CycleOwned(ctx, anon, signed, owner, []byte("signed"), time.Now().Add(time.Hour)))
		h.wantOwned(t, owner, map[string]string{next: "v2", signed: "signed"})
		// CycleOwned onto a live key fails and changes no listing.
		err := o.CycleOwned(ctx, signed, next, owner, []byte("x"), time.Now().Add(time.Hour))
		if !errors.Is(err, store.ErrCreate) {
			t.Fatalf("CycleOwned onto a live key = %v, want ErrCreate", err)
		}
		h.wantOwned(t, owner, map[string]string{next: "v2", signed: "signed"})
	}},
	{"C85", "owner_expired_not_listed", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		owner, short, past, long := "u-"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix()
		check(t,
			o.SaveOwned(ctx, short, owner, []byte("short"), time.Now().Add(100*time.Millisecond), true),
			o.SaveOwned(ctx, past, owner, []byte("past"), time.Now().Add(-time.Hour), true),
			o.SaveOwned(ctx, long, owner, []byte("long"), time.Now().Add(time.Hour), true),
		)
		time.Sleep(250 * time.Millisecond) // past short's expiry; no timing is asserted
		h.wantOwned(t, owner, map[string]string{long: "long"})
		// Shortening a record's expiry to the past unlists it too.
		check(t, o.SaveOwned(ctx, long, owner, []byte("gone"), time.Now().Add(-time.Second), false))
		h.wantOwned(t, owner, map[string]string{})
	}},
	{"C86", "owner_failed_write_changes_nothing", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		alice, bob, key, missing := "alice-"+randomSuffix(), "bob-"+randomSuffix(), "own"+randomSuffix(), "own"+randomSuffix()
		check(t, o.SaveOwned(ctx, key, alice, []byte("v1"), time.Now().Add(time.Hour), true))
		if err := o.SaveOwned(ctx, key, bob, []byte("v2"), time.Now().Add(time.Hour), true); !errors.Is(err, store.ErrCreate) {
			t.Fatalf("SaveOwned create over a live key = %v, want ErrCreate", err)
		}
		if err := o.SaveOwned(ctx, missing, bob, []byte("v3"), time.Now().Add(time.Hour), false); !errors.Is(err, store.ErrUpdate) {
			t.Fatalf("SaveOwned update of a missing key = %v, want ErrUpdate", err)
		}
		h.wantOwned(t, alice, map[string]string{key: "v1"})
		h.wantOwned(t, bob, map[string]string{})
		if got := records(t, h.raw, missing); len(got) != 0 {
			t.Errorf("a failed update created a record: %q", got)
		}
	}},
	{"C87", "owner_index_never_behind", func(t *testing.T, h *harness) {
		o := h.owners()
		const workers, each = 6, 5
		ctx := context.Background()
		owner := "u-" + randomSuffix()
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		kept := make(chan string, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					key := "own" + randomSuffix()
					if err := o.SaveOwned(ctx, key, owner, []byte("v"), time.Now().Add(time.Hour), true); err != nil {
						errs <- err
						return
					}
					if !listed(ctx, o, owner, key) {
						errs <- fmt.Errorf("key %s missing from its owner's list right after SaveOwned returned", key)
					}
					if (w+i)%2 == 0 {
						kept <- key
						continue
					}
					if err := h.raw.Delete(ctx, key); err != nil {
						errs <- err
						return
					}
					if listed(ctx, o, owner, key) {
						errs <- fmt.Errorf("key %s listed right after Delete returned", key)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		close(kept)
		for err := range errs {
			t.Error(err)
		}
		want := map[string]string{}
		for k := range kept {
			want[k] = "v"
		}
		h.wantOwned(t, owner, want)
	}},
	{"C88", "owner_invalid_refused", func(t *testing.T, h *harness) {
		o := h.owners()
		ctx := context.Background()
		for _, owner := range []string{"line\nbreak", "nul\x00", strings.Repeat("x", store.MaxOwnerLen+1), "bad\xffutf8"} {
			key := "own" + randomSuffix()
			if err := o.SaveOwned(ctx, key, owner, []byte("v"), time.Now().Add(time.Hour), true); err == nil {
				t.Errorf("SaveOwned with owner %q = nil, want an error", owner)
			}
			if got := records(t, h.raw, key); len(got) != 0 {
				t.Errorf("SaveOwned with owner %q stored a record", owner)
			}
		}
		ok := strings.Repeat("é", store.MaxOwnerLen/2) // 254 bytes of UTF-8
		key := "own" + randomSuffix()
		check(t, o.SaveOwned(ctx, key, ok, []byte("v"), time.Now().Add(time.Hour), true))
		h.wantOwned(t, ok, map[string]string{key: "v"})
	}},
	{"C89", "owner_revoke_through_manager", func(t *testing.T, h *harness) {
		h.owners()
		ctx := context.Background()
		m := h.manager(func(c *session.Config) { c.Store = h.raw; c.OwnerKey = "count" })
		uid := mrand.Int64N(1 << 50)
		owner := strconv.FormatInt(uid, 10)
		signIn := func(device string) *probe.Session {
			p := h.openWith(m, "")
			p.SetCount(uid)
			check(t, p.Session().SetLabels(map[string]string{"device": device}))
			h.save(p)
			return p
		}
		a, b, c := signIn("a"), signIn("b"), signIn("c")
		list, err := m.Sessions(ctx, owner)
		check(t, err)
		got := map[string]string{}
		for _, info := range list {
			got[info.Handle] = info.Labels["device"]
			for _, p := range []*probe.Session{a, b, c} {
				if info.Handle == p.Key() || info.Handle == h.storeKey(p.Key()) {
					t.Errorf("handle %q is a session's cookie key or store key", info.Handle)
				}
			}
			if info.Created.IsZero() || info.Saved.IsZero() || !info.Expiry.After(time.Now()) {
				t.Errorf("session info lacks its times: %+v", info)
			}
		}
		want := map[string]string{a.Session().Handle(): "a", b.Session().Handle(): "b", c.Session().Handle(): "c"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Sessions(%s) by handle (-want +got):\n%s", owner, diff)
		}

		// A request in flight on b when b is revoked cannot save it back.
		inflight := h.openWith(m, b.Key())
		inflight.SetName("late")
		check(t, m.Revoke(ctx, owner, b.Session().Handle()))
		if err := inflight.Session().Save(ctx); !errors.Is(err, session.ErrInterrupted) {
			t.Errorf("save of a revoked session in flight = %v, want ErrInterrupted", err)
		}
		if next := h.openWith(m, b.Key()); next.Key() != "" || !next.IsEmpty() {
			t.Errorf("next request of a revoked session: key %q, empty %t; want a fresh anonymous session", next.Key(), next.IsEmpty())
		}
		if err := m.Revoke(ctx, owner, b.Session().Handle()); !errors.Is(err, session.ErrUnknownHandle) {
			t.Errorf("Revoke of a revoked handle = %v, want ErrUnknownHandle", err)
		}
		// A handle only resolves within its owner's sessions.
		if err := m.Revoke(ctx, owner+"0", a.Session().Handle()); !errors.Is(err, session.ErrUnknownHandle) {
			t.Errorf("Revoke of another owner's handle = %v, want ErrUnknownHandle", err)
		}
		// Sign out everywhere else.
		n, err := m.RevokeAll(ctx, owner, a.Session().Handle())
		check(t, err)
		if n != 1 || !h.exists(a.Key()) || h.exists(c.Key()) {
			t.Errorf("RevokeAll except the current one signed out %d; current kept %v, other kept %v; want 1, true, false", n, h.exists(a.Key()), h.exists(c.Key()))
		}
		list, err = m.Sessions(ctx, owner)
		check(t, err)
		if len(list) != 1 || list[0].Handle != a.Session().Handle() {
			t.Errorf("Sessions after RevokeAll = %+v, want only the current one", list)
		}
	}},
}

// owners returns the store's store.Owners, or skips the case.
func (h *harness) owners() store.Owners {
	h.t.Helper()
	o, ok := h.raw.(store.Owners)
	if !ok {
		h.t.Skip("the store does not implement store.Owners: it cannot list or revoke an owner's sessions")
	}
	if _, err := o.ListOwned(context.Background(), "probe"); errors.Is(err, store.ErrNotSupported) {
		h.t.Skipf("the store cannot index by owner: %v", err)
	}
	return o
}

// wantOwned checks that ListOwned(owner) reports exactly want (key to
// data).
func (h *harness) wantOwned(t *testing.T, owner string, want map[string]string) {
	t.Helper()
	list, err := h.raw.(store.Owners).ListOwned(context.Background(), owner)
	if err != nil {
		t.Fatalf("ListOwned(%q) = %v", owner, err)
	}
	got := map[string]string{}
	keys := make([]string, 0, len(list))
	for _, r := range list {
		got[r.Key] = string(r.Data)
		keys = append(keys, r.Key)
	}
	slices.Sort(keys)
	if len(slices.Compact(keys)) != len(list) {
		t.Errorf("ListOwned(%q) reports a key twice: %v", owner, list)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListOwned(%q) (-want +got):\n%s", owner, diff)
	}
}

func listed(ctx context.Context, o store.Owners, owner, key string) bool {
	list, err := o.ListOwned(ctx, owner)
	return err == nil && slices.ContainsFunc(list, func(r store.Owned) bool { return r.Key == key })
}
