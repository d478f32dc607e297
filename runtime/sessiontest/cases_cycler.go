package sessiontest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

// capabilityCases check the optional interfaces a store implements, for
// stores that do: C49.
var capabilityCases = []testCase{
	{"C49", "cycler_contract", func(t *testing.T, h *harness) {
		cy, ok := h.raw.(store.Cycler)
		if !ok {
			t.Skip("the store does not implement store.Cycler")
		}
		hour, past := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)
		for _, tc := range []struct {
			name      string
			oldExists bool
			newExpiry *time.Time // a record already under the new key
			sameKey   bool       // Cycle(k, k, ...)
			wantErr   error
		}{
			{"moves", true, nil, false, nil},
			{"old_missing", false, nil, false, nil},
			{"new_taken", true, &hour, false, store.ErrCreate},
			{"new_expired", true, &past, false, nil},
			{"same_key", true, nil, true, store.ErrCreate},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				oldKey, newKey := "cycleold"+randomSuffix(), "cyclenew"+randomSuffix()
				if tc.sameKey {
					newKey = oldKey
				}
				if tc.oldExists {
					mustSave(t, h.raw, oldKey, "old", hour, true)
				}
				if tc.newExpiry != nil {
					mustSave(t, h.raw, newKey, "other", *tc.newExpiry, true)
				}
				err := cy.Cycle(ctx, oldKey, newKey, []byte("data"), hour)
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Cycle(%s) %s; want %s", tc.name, outcome(err), sentinel(tc.wantErr))
				}
				want := map[string]string{newKey: "data"}
				switch {
				case tc.sameKey:
					want = map[string]string{oldKey: "old"}
				case tc.wantErr != nil:
					want = map[string]string{oldKey: "old", newKey: "other"}
				}
				if diff := cmp.Diff(want, records(t, h.raw, oldKey, newKey)); diff != "" {
					t.Errorf("Load of both keys after Cycle(%s) (-want +got):\n%s", tc.name, diff)
				}
			})
		}
	}},
}

// records returns the live records under keys, as Load reports them.
func records(t *testing.T, st store.Store, keys ...string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, k := range keys {
		data, found, err := st.Load(context.Background(), k)
		if err != nil {
			t.Fatalf("Load(%s) = %v; want a nil error, and found false for no record", k, err)
		}
		if found {
			got[k] = string(data)
		}
	}
	return got
}
