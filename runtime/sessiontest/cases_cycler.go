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
			wantErr   error
		}{
			{"moves", true, nil, nil},
			{"old_missing", false, nil, nil},
			{"new_taken", true, &hour, store.ErrCreate},
			{"new_expired", true, &past, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				oldKey, newKey := "cycleold"+randomSuffix(), "cyclenew"+randomSuffix()
				if tc.oldExists {
					check(t, h.raw.Save(ctx, oldKey, []byte("old"), hour, true))
				}
				if tc.newExpiry != nil {
					check(t, h.raw.Save(ctx, newKey, []byte("other"), *tc.newExpiry, true))
				}
				if err := cy.Cycle(ctx, oldKey, newKey, []byte("data"), hour); !errors.Is(err, tc.wantErr) {
					t.Fatalf("Cycle = %v, want %v", err, tc.wantErr)
				}
				want := map[string]string{newKey: "data"}
				if tc.wantErr != nil {
					want = map[string]string{oldKey: "old", newKey: "other"}
				}
				if diff := cmp.Diff(want, h.records(oldKey, newKey)); diff != "" {
					t.Errorf("records after Cycle (-want +got):\n%s", diff)
				}
			})
		}
	}},
}

// records returns the live records under keys.
func (h *harness) records(keys ...string) map[string]string {
	h.t.Helper()
	got := map[string]string{}
	for _, k := range keys {
		data, found, err := h.raw.Load(context.Background(), k)
		if err != nil {
			h.t.Fatal(err)
		}
		if found {
			got[k] = string(data)
		}
	}
	return got
}
