package sessiontest

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// ownerSwapCases are C79 and C99: the optional store.OwnedSwapper
// capability (compare-and-swap that also files the record under its
// owner), called directly and through a Manager with Config.OwnerKey.
var ownerSwapCases = []testCase{
	{"C79", "swap_owned_contract", func(t *testing.T, h *harness) {
		sw := h.ownedSwapper()
		ctx := context.Background()
		hour := time.Now().Add(time.Hour)
		// Each subtest gets a record "v1" of alice under a key of its own.
		setup := func(t *testing.T) (key, alice, bob string) {
			t.Helper()
			key, alice, bob = "swapown"+randomSuffix(), "alice-"+randomSuffix(), "bob-"+randomSuffix()
			check(t, h.raw.(store.Owners).SaveOwned(ctx, key, alice, []byte("v1"), hour, true))
			return key, alice, bob
		}
		t.Run("current_moves_to_owner", func(t *testing.T) {
			key, alice, bob := setup(t)
			expiry := time.Now().Add(3 * time.Hour)
			if err := sw.SwapOwned(ctx, key, bob, []byte("v1"), []byte("v2"), expiry); err != nil {
				t.Fatalf("SwapOwned with the current payload = %v, want nil", err)
			}
			h.wantRecord(t, key, "v2", expiry)
			h.wantOwned(t, alice, map[string]string{})
			h.wantOwned(t, bob, map[string]string{key: "v2"})
			// The same owner again: listed once, with the new data.
			check(t, sw.SwapOwned(ctx, key, bob, []byte("v2"), []byte("v3"), expiry))
			h.wantOwned(t, bob, map[string]string{key: "v3"})
		})
		t.Run("identical_payload", func(t *testing.T) {
			key, alice, _ := setup(t)
			if err := sw.SwapOwned(ctx, key, alice, []byte("v1"), []byte("v1"), hour); err != nil {
				t.Fatalf("SwapOwned writing what the record holds = %v, want nil", err)
			}
			h.wantOwned(t, alice, map[string]string{key: "v1"})
		})
		t.Run("no_owner_unlists", func(t *testing.T) {
			key, alice, _ := setup(t)
			check(t, sw.SwapOwned(ctx, key, "", []byte("v1"), []byte("v2"), hour))
			h.wantRecord(t, key, "v2", hour)
			h.wantOwned(t, alice, map[string]string{})
			// And an owner again lists it again.
			check(t, sw.SwapOwned(ctx, key, alice, []byte("v2"), []byte("v3"), hour))
			h.wantOwned(t, alice, map[string]string{key: "v3"})
		})
		t.Run("unowned_record_gets_owner", func(t *testing.T) {
			key, owner := "swapown"+randomSuffix(), "u-"+randomSuffix()
			check(t, h.raw.Save(ctx, key, []byte("v1"), hour, true))
			check(t, sw.SwapOwned(ctx, key, owner, []byte("v1"), []byte("v2"), hour))
			h.wantOwned(t, owner, map[string]string{key: "v2"})
		})
		t.Run("stale_is_changed", func(t *testing.T) {
			key, alice, bob := setup(t)
			check(t, h.raw.(store.Owners).SaveOwned(ctx, key, alice, []byte("v2"), hour, false)) // another request's save
			err := sw.SwapOwned(ctx, key, bob, []byte("v1"), []byte("v3"), time.Now().Add(3*time.Hour))
			if !errors.Is(err, store.ErrChanged) || errors.Is(err, store.ErrUpdate) {
				t.Fatalf("SwapOwned with a stale payload = %v, want ErrChanged (and not ErrUpdate)", err)
			}
			h.wantRecord(t, key, "v2", hour)
			h.wantOwned(t, alice, map[string]string{key: "v2"})
			h.wantOwned(t, bob, map[string]string{})
		})
		for _, tc := range []struct {
			name string
			make func(t *testing.T, key string) // leaves no live record under key
		}{
			{"never_there", func(*testing.T, string) {}},
			{"deleted", func(t *testing.T, key string) {
				check(t, h.raw.(store.Owners).SaveOwned(ctx, key, "x-"+randomSuffix(), []byte("v1"), hour, true))
				check(t, h.raw.Delete(ctx, key))
			}},
			{"expired", func(t *testing.T, key string) {
				check(t, h.raw.(store.Owners).SaveOwned(ctx, key, "x-"+randomSuffix(), []byte("v1"), time.Now().Add(-time.Hour), true))
			}},
		} {
			t.Run("gone_is_update_"+tc.name, func(t *testing.T) {
				key, owner := "swapown"+randomSuffix(), "u-"+randomSuffix()
				tc.make(t, key)
				err := sw.SwapOwned(ctx, key, owner, []byte("v1"), []byte("v2"), hour)
				if !errors.Is(err, store.ErrUpdate) || errors.Is(err, store.ErrChanged) {
					t.Fatalf("SwapOwned of a record that is gone = %v, want ErrUpdate (and not ErrChanged)", err)
				}
				if got := records(t, h.raw, key); len(got) != 0 {
					t.Errorf("SwapOwned resurrected the record: %q", got)
				}
				h.wantOwned(t, owner, map[string]string{})
			})
		}
		t.Run("past_expiry_removes", func(t *testing.T) {
			key, alice, _ := setup(t)
			if err := sw.SwapOwned(ctx, key, alice, []byte("v1"), []byte("v2"), time.Now().Add(-time.Hour)); err != nil {
				t.Fatalf("SwapOwned with an expiry already past = %v, want nil", err)
			}
			if got := records(t, h.raw, key); len(got) != 0 {
				t.Errorf("record after a swap with a past expiry = %q, want none", got)
			}
			h.wantOwned(t, alice, map[string]string{})
		})
		t.Run("invalid_owner_refused", func(t *testing.T) {
			key, alice, _ := setup(t)
			for _, owner := range []string{"line\nbreak", "nul\x00", strings.Repeat("x", store.MaxOwnerLen+1), "bad\xffutf8"} {
				if err := sw.SwapOwned(ctx, key, owner, []byte("v1"), []byte("v2"), hour); err == nil {
					t.Errorf("SwapOwned with owner %q = nil, want an error", owner)
				}
			}
			h.wantRecord(t, key, "v1", hour)
			h.wantOwned(t, alice, map[string]string{key: "v1"})
		})
		t.Run("context_honoured", func(t *testing.T) {
			key, alice, bob := setup(t)
			done, cancel := context.WithCancel(ctx)
			cancel()
			if err := sw.SwapOwned(done, key, bob, []byte("v1"), []byte("v2"), hour); !errors.Is(err, context.Canceled) {
				t.Errorf("SwapOwned with a cancelled context = %v, want context.Canceled", err)
			}
			h.wantRecord(t, key, "v1", hour)
			h.wantOwned(t, alice, map[string]string{key: "v1"})
		})
		t.Run("concurrent_increments_stay_listed", func(t *testing.T) {
			// As C74, through SwapOwned: every swap that succeeds leaves
			// the record listed under its owner, once.
			const workers, each = 4, 5
			key, owner := "swapown"+randomSuffix(), "u-"+randomSuffix()
			check(t, h.raw.(store.Owners).SaveOwned(ctx, key, owner, counterPayload(0), hour, true))
			for _, err := range inParallel(workers, each, func() error {
				err := increment(ctx, h.raw, key, func(old, data []byte) error {
					return sw.SwapOwned(ctx, key, owner, old, data, hour)
				})
				if err == nil && !listed(ctx, h.raw.(store.Owners), owner, key) {
					err = fmt.Errorf("key %s missing from its owner's list right after SwapOwned returned", key)
				}
				return err
			}) {
				t.Error(err)
			}
			h.wantOwned(t, owner, map[string]string{key: string(counterPayload(workers * each))})
		})
		t.Run("errors_name_store_and_operation", func(t *testing.T) {
			key, _, bob := setup(t)
			saveErr := h.raw.Save(ctx, "swapname"+randomSuffix(), []byte("x"), hour, false)
			m := regexp.MustCompile(`^([a-z0-9]+): save: `).FindStringSubmatch(fmt.Sprint(saveErr))
			if m == nil {
				t.Fatalf("Save of a missing record = %v, want an error starting with the store's name and \"save: \"", saveErr)
			}
			for name, err := range map[string]error{
				"changed": sw.SwapOwned(ctx, key, bob, []byte("v0"), []byte("v2"), hour),
				"gone":    sw.SwapOwned(ctx, "swapnone"+randomSuffix(), bob, []byte("v1"), []byte("v2"), hour),
				"invalid": sw.SwapOwned(ctx, key, "bad\x00", []byte("v1"), []byte("v2"), hour),
			} {
				if want := m[1] + ": swap"; err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%s: SwapOwned = %v, want an error starting with %q", name, err, want)
				}
			}
		})
	}},
	{"C99", "owner_concurrent_requests_merge", func(t *testing.T, h *harness) {
		h.ownedSwapper()
		h.m = h.manager(func(c *session.Config) { c.Store = h.raw; c.OwnerKey = "count" })
		uid, next := mrand.Int64N(1<<50), (1<<50)+mrand.Int64N(1<<50)
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(uid) })
		fns := []func(*probe.Session){func(p *probe.Session) { p.SetCount(next) }} // signs in as another user
		for i := range concurrentRequests - 1 {
			fns = append(fns, func(p *probe.Session) { h.setRaw(p, fmt.Sprintf("f%d", i), i) })
		}
		h.wantStatuses(h.concurrently(key, fns...), http.StatusOK)
		want := map[string]string{"name": h.encoded("Ada"), "count": h.encoded(next)}
		for i := range concurrentRequests - 1 {
			want[fmt.Sprintf("f%d", i)] = h.encoded(i)
		}
		h.wantFields(key, want)
		data, found, err := h.raw.Load(context.Background(), h.storeKey(key))
		if err != nil || !found {
			t.Fatalf("load the merged record: found %v, err %v", found, err)
		}
		h.wantOwned(t, strconv.FormatInt(next, 10), map[string]string{h.storeKey(key): string(data)})
		h.wantOwned(t, strconv.FormatInt(uid, 10), map[string]string{})
	}},
}

// ownedSwapper returns the store's store.OwnedSwapper, or skips the case.
func (h *harness) ownedSwapper() store.OwnedSwapper {
	h.t.Helper()
	h.owners()
	sw, ok := h.raw.(store.OwnedSwapper)
	if !ok {
		h.t.Skip("the store does not implement store.OwnedSwapper: a Manager with Config.OwnerKey saves last-writer-wins")
	}
	err := sw.SwapOwned(context.Background(), "swapprobe"+randomSuffix(), "", nil, nil, time.Now().Add(time.Hour))
	if errors.Is(err, store.ErrNotSupported) {
		h.t.Skipf("the store cannot swap owned records: %v", err)
	}
	return sw
}
