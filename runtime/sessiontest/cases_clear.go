package sessiontest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

// clearExpiredCase is C56: ClearExpired removes the expired records, every
// one of them and nothing else, and counts them.
//
// Records saved with an expiry already in the past may have been dropped at
// once or kept unseen (both are allowed), so they widen the range of right
// counts. Records that expire while stored must be removed and counted,
// unless the backend removes them by itself (Options.SelfExpiring).
func clearExpiredCase(t *testing.T, h *harness) {
	h.skipClientSide("expired sessions live in the clients' cookies")
	const n = 3
	live := map[string]string{}
	for i := range n {
		key := newKey("live")
		live[key] = fmt.Sprintf("live%d", i)
		mustSave(t, h.raw, key, live[key], time.Now().Add(time.Hour), true)
	}
	for range n {
		mustSave(t, h.raw, newKey("past"), "past", time.Now().Add(-time.Hour), true)
	}
	lo, hi := int64(0), int64(n)
	want := fmt.Sprintf("0 to %d (the records saved with an expiry already past, if the store kept them)", n)
	if !h.opts.SelfExpiring {
		kept, saved := expireWhileStored(t, h.raw, n)
		lo, hi = int64(kept), int64(n+saved)
		want = fmt.Sprintf("%d to %d: the %d records that expired while stored, plus those saved with an expiry already past if the store kept them (Options.SelfExpiring is false)", lo, hi, kept)
	}

	ctx := context.Background()
	got, err := h.raw.ClearExpired(ctx)
	if errors.Is(err, store.ErrNotSupported) {
		t.Skipf("the store cannot clear: ClearExpired = %v", err)
	}
	if err != nil {
		t.Fatalf("ClearExpired() = %d, %v; want nil error", got, err)
	}
	if got < lo || got > hi {
		t.Errorf("ClearExpired() = %d; want %s", got, want)
	}
	var keys []string
	for k := range live {
		keys = append(keys, k)
	}
	if diff := cmp.Diff(live, records(t, h.raw, keys...)); diff != "" {
		t.Errorf("ClearExpired removed or changed live records: Load afterwards (-want +got):\n%s", diff)
	}
	again, err := h.raw.ClearExpired(ctx)
	if err != nil || again != 0 {
		t.Errorf("a second ClearExpired() = %d, %v; want 0, nil: nothing expired since the first, which reported %d", again, err, got)
	}
}

// expireWhileStored saves n records that are live when saved and lets them
// expire. It returns how many it made sure were stored live (n), and how
// many it saved in all: when saving took longer than the short expiry it
// tries again with more time, and the earlier records expire too.
func expireWhileStored(t *testing.T, st store.Store, n int) (kept, saved int) {
	t.Helper()
	for life := 100 * time.Millisecond; life <= 30*time.Second; life *= 4 {
		expiry := time.Now().Add(life)
		var keys []string
		for range n {
			key := newKey("expiring")
			mustSave(t, st, key, "expiring", expiry, true)
			keys = append(keys, key)
			saved++
		}
		var missing []string
		for _, key := range keys {
			if !exists(t, st, key) {
				missing = append(missing, key)
			}
		}
		if time.Now().Before(expiry) {
			if len(missing) > 0 {
				t.Fatalf("Exists right after Save(create) with an expiry %v ahead = false for %d of %d records; want true", life, len(missing), n)
			}
			time.Sleep(time.Until(expiry) + 20*time.Millisecond)
			return n, saved
		}
		// Too slow to tell whether they were stored live: more time.
	}
	t.Fatalf("saving and checking %d records took longer than 30s each time", n)
	return 0, 0
}
