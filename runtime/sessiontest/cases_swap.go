package sessiontest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

// swapCases are C70–C78: the optional store.Swapper capability
// (compare-and-swap of a record), for stores that implement it.
var swapCases = []testCase{
	{"C70", "swap_current_replaces", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		for _, tc := range []struct{ name, old, data string }{
			{"payload", "v1", "v2"},
			{"empty_to_payload", "", "v2"},
			{"payload_to_empty", "v1", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := "swapcur" + randomSuffix()
				check(t, h.raw.Save(ctx, key, []byte(tc.old), time.Now().Add(time.Hour), true))
				expiry := time.Now().Add(3 * time.Hour)
				if err := sw.Swap(ctx, key, []byte(tc.old), []byte(tc.data), expiry); err != nil {
					t.Fatalf("Swap with the current payload = %v, want nil", err)
				}
				h.wantRecord(t, key, tc.data, expiry)
			})
		}
	}},
	{"C71", "swap_stale_is_changed", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		key := "swapstale" + randomSuffix()
		expiry := time.Now().Add(time.Hour)
		check(t, h.raw.Save(ctx, key, []byte("v1"), expiry, true))
		check(t, h.raw.Save(ctx, key, []byte("v2"), expiry, false)) // another request's save
		err := sw.Swap(ctx, key, []byte("v1"), []byte("v3"), time.Now().Add(3*time.Hour))
		if !errors.Is(err, store.ErrChanged) || errors.Is(err, store.ErrUpdate) {
			t.Fatalf("Swap with a stale payload = %v, want ErrChanged (and not ErrUpdate)", err)
		}
		h.wantRecord(t, key, "v2", expiry)
	}},
	{"C72", "swap_gone_is_update", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			make func(t *testing.T, key string) // leaves no live record under key
		}{
			{"never_there", func(*testing.T, string) {}},
			{"deleted", func(t *testing.T, key string) {
				check(t, h.raw.Save(ctx, key, []byte("v1"), time.Now().Add(time.Hour), true))
				check(t, h.raw.Delete(ctx, key))
			}},
			{"expired", func(t *testing.T, key string) {
				check(t, h.raw.Save(ctx, key, []byte("v1"), time.Now().Add(-time.Hour), true))
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := "swapgone" + randomSuffix()
				tc.make(t, key)
				err := sw.Swap(ctx, key, []byte("v1"), []byte("v2"), time.Now().Add(time.Hour))
				if !errors.Is(err, store.ErrUpdate) || errors.Is(err, store.ErrChanged) {
					t.Fatalf("Swap of a record that is gone = %v, want ErrUpdate (and not ErrChanged)", err)
				}
				if got := records(t, h.raw, key); len(got) != 0 {
					t.Errorf("Swap resurrected the record: %q", got)
				}
			})
		}
	}},
	{"C73", "swap_past_expiry_removes", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		key := "swappast" + randomSuffix()
		check(t, h.raw.Save(ctx, key, []byte("v1"), time.Now().Add(time.Hour), true))
		if err := sw.Swap(ctx, key, []byte("v1"), []byte("v2"), time.Now().Add(-time.Hour)); err != nil {
			t.Fatalf("Swap with an expiry already past = %v, want nil", err)
		}
		if got := records(t, h.raw, key); len(got) != 0 {
			t.Errorf("record after a swap with a past expiry = %q, want none", got)
		}
		if h.existsRaw(key) { // key is a store key: exists would look under its hash
			t.Error("Exists = true after a swap with a past expiry")
		}
	}},
	{"C74", "swap_concurrent_increments", func(t *testing.T, h *harness) {
		sw := h.swapper()
		const workers, each = 8, 5
		ctx := context.Background()
		key := "swapcount" + randomSuffix()
		check(t, h.raw.Save(ctx, key, counterPayload(0), time.Now().Add(time.Hour), true))
		for _, err := range inParallel(workers, each, func() error {
			return increment(ctx, h.raw, key, func(old, data []byte) error {
				return sw.Swap(ctx, key, old, data, time.Now().Add(time.Hour))
			})
		}) {
			t.Error(err)
		}
		data, found, err := h.raw.Load(ctx, key)
		check(t, err)
		if got, ok := parseCounter(data); !found || !ok || got != workers*each {
			t.Errorf("counter after %d concurrent increments = %q (found %v), want %d", workers*each, data, found, workers*each)
		}
	}},
	{"C75", "swap_copies_buffers", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		key := "swapcopy" + randomSuffix()
		check(t, h.raw.Save(ctx, key, []byte("v1"), time.Now().Add(time.Hour), true))
		old, data := []byte("v1"), []byte("v2")
		check(t, sw.Swap(ctx, key, old, data, time.Now().Add(time.Hour)))
		copy(old, "xx")
		copy(data, "yy")
		if diff := cmp.Diff(map[string]string{key: "v2"}, records(t, h.raw, key)); diff != "" {
			t.Errorf("record after the caller reused its buffers (-want +got):\n%s", diff)
		}
	}},
	{"C76", "swap_context_honoured", func(t *testing.T, h *harness) {
		sw := h.swapper()
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel2()
		// In a fixed order, each on a record of its own: a store that
		// ignores the context must fail both the same way every run.
		for _, tc := range []struct {
			name string
			ctx  context.Context
		}{{"cancelled", cancelled}, {"deadline", expired}} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := tc.ctx
				key := "swapctx" + randomSuffix()
				check(t, h.raw.Save(context.Background(), key, []byte("v1"), time.Now().Add(time.Hour), true))
				err := sw.Swap(ctx, key, []byte("v1"), []byte("v2"), time.Now().Add(time.Hour))
				if !errors.Is(err, ctx.Err()) {
					t.Errorf("Swap = %v, want %v", err, ctx.Err())
				}
				if diff := cmp.Diff(map[string]string{key: "v1"}, records(t, h.raw, key)); diff != "" {
					t.Errorf("record after a swap with a done context (-want +got):\n%s", diff)
				}
			})
		}
	}},
	{"C77", "swap_errors_name_store_and_operation", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		// The store's name, as its Save reports it.
		saveErr := h.raw.Save(ctx, "swapname"+randomSuffix(), []byte("x"), time.Now().Add(time.Hour), false)
		m := regexp.MustCompile(`^([a-z0-9]+): save: `).FindStringSubmatch(fmt.Sprint(saveErr))
		if m == nil {
			t.Fatalf("Save of a missing record = %v, want an error starting with the store's name and \"save: \"", saveErr)
		}
		key := "swapname" + randomSuffix()
		check(t, h.raw.Save(ctx, key, []byte("v1"), time.Now().Add(time.Hour), true))
		for name, err := range map[string]error{
			"changed": sw.Swap(ctx, key, []byte("v0"), []byte("v2"), time.Now().Add(time.Hour)),
			"gone":    sw.Swap(ctx, "swapnone"+randomSuffix(), []byte("v1"), []byte("v2"), time.Now().Add(time.Hour)),
		} {
			if want := m[1] + ": swap"; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s: Swap = %v, want an error starting with %q", name, err, want)
			}
		}
	}},
	{"C78", "swap_identical_payload", func(t *testing.T, h *harness) {
		sw := h.swapper()
		ctx := context.Background()
		key := "swapsame" + randomSuffix()
		expiry := time.Now().Add(time.Hour)
		check(t, h.raw.Save(ctx, key, []byte("v1"), expiry, true))
		for _, exp := range []time.Time{expiry, time.Now().Add(3 * time.Hour)} {
			if err := sw.Swap(ctx, key, []byte("v1"), []byte("v1"), exp); err != nil {
				t.Fatalf("Swap writing the payload the record holds = %v, want nil", err)
			}
			h.wantRecord(t, key, "v1", exp)
		}
	}},
}

// swapper returns the harness's store as a store.Swapper, or skips the
// case when the store cannot swap.
func (h *harness) swapper() store.Swapper {
	h.t.Helper()
	sw, ok := h.raw.(store.Swapper)
	if !ok {
		h.t.Skip("the store does not implement store.Swapper (optimistic concurrency): saves stay last-writer-wins")
	}
	err := sw.Swap(context.Background(), "swapprobe"+randomSuffix(), nil, nil, time.Now().Add(time.Hour))
	if errors.Is(err, store.ErrNotSupported) {
		h.t.Skipf("the store cannot swap: %v", err)
	}
	return sw
}

// wantRecord checks that key holds data and, where the store reports
// expiry (store.ExpiryLoader), that it expires at expiry. The expiries the
// cases compare differ by hours; the minute allowed covers the stores'
// precision and the time a store takes to measure a remaining TTL.
func (h *harness) wantRecord(t *testing.T, key, data string, expiry time.Time) {
	t.Helper()
	if diff := cmp.Diff(map[string]string{key: data}, records(t, h.raw, key)); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	el, ok := h.raw.(store.ExpiryLoader)
	if !ok {
		return
	}
	_, got, found, err := el.LoadWithExpiry(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(expiry).Abs(); found && d > time.Minute {
		t.Errorf("record expires at %v, want %v", got, expiry)
	}
}

// maxIncrementAttempts bounds one increment's retries: each ErrChanged
// means another increment succeeded, so a store that keeps answering it
// for longer is broken, not contended.
const maxIncrementAttempts = 10000

// increment adds one to the counter under key by load, modify, swap
// (swap from old to data), retrying when another goroutine swapped first.
func increment(ctx context.Context, st store.Store, key string, swap func(old, data []byte) error) error {
	for range maxIncrementAttempts {
		data, found, err := st.Load(ctx, key)
		if err != nil || !found {
			return fmt.Errorf("load: found %v, err %v", found, err)
		}
		n, ok := parseCounter(data)
		if !ok {
			return fmt.Errorf("load returned %q, not a counter", data)
		}
		// Load's slice may be shared with the store: pass a copy as old,
		// as the session package's reused buffers would be.
		err = swap(bytes.Clone(data), counterPayload(n+1))
		if !errors.Is(err, store.ErrChanged) {
			return err
		}
	}
	return fmt.Errorf("no increment succeeded in %d attempts", maxIncrementAttempts)
}

// inParallel runs workers goroutines that each call round each times,
// stopping at its first error, and returns the errors once all are done.
func inParallel(workers, each int, round func() error) []error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := round(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// counterPayload is a record holding n, padded to the size of a small
// session so stores compare more than a few bytes.
func counterPayload(n int) []byte {
	return fmt.Appendf(nil, "counter=%d;%s", n, strings.Repeat("p", 200))
}

func parseCounter(data []byte) (int, bool) {
	s, _, ok := strings.Cut(strings.TrimPrefix(string(data), "counter="), ";")
	n, err := strconv.Atoi(s)
	return n, ok && err == nil
}
