package sessiontest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// storeCall is one call of a store method, for the checks that go over
// every method.
type storeCall struct {
	name string // as in messages: "Save(update)"
	op   string // the method: "Save"
	call func(ctx context.Context) error
}

// storeCalls returns a call of every method st has, the optional
// capabilities included. The reads and Delete use key; the writes create
// fresh keys.
func storeCalls(st store.Store, key string) []storeCall {
	hour := time.Now().Add(time.Hour)
	calls := []storeCall{
		{"Load", "Load", func(ctx context.Context) error { _, _, err := st.Load(ctx, key); return err }},
		{"Exists", "Exists", func(ctx context.Context) error { _, err := st.Exists(ctx, key); return err }},
		{"Save(create)", "Save", func(ctx context.Context) error {
			return st.Save(ctx, newKey("call"), []byte("x"), hour, true)
		}},
		{"Delete", "Delete", func(ctx context.Context) error { return st.Delete(ctx, key) }},
		{"ClearExpired", "ClearExpired", func(ctx context.Context) error { _, err := st.ClearExpired(ctx); return err }},
	}
	if cy, ok := st.(store.Cycler); ok {
		calls = append(calls, storeCall{"Cycle", "Cycle", func(ctx context.Context) error {
			return cy.Cycle(ctx, key, newKey("call"), []byte("x"), hour)
		}})
	}
	if el, ok := st.(store.ExpiryLoader); ok {
		calls = append(calls, storeCall{"LoadWithExpiry", "LoadWithExpiry", func(ctx context.Context) error {
			_, _, _, err := el.LoadWithExpiry(ctx, key)
			return err
		}})
	}
	if cl, ok := st.(store.ClientSide); ok {
		calls = append(calls, storeCall{"Seal", "Seal", func(ctx context.Context) error {
			_, err := cl.Seal(ctx, []byte("x"), hour)
			return err
		}})
	}
	return calls
}

// checkErrorPrefixes is C59: every error a store returns reads "<store>:
// <operation>: …", with one store name throughout, whether it wraps a
// context's error or one of the store package's sentinels.
func checkErrorPrefixes(t *testing.T, h *harness) {
	t.Helper()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	type sample struct {
		call, op string
		err      error
	}
	var samples []sample
	for _, c := range storeCalls(h.raw, newKey("call")) {
		samples = append(samples, sample{c.name + " with a cancelled context", c.op, c.call(cancelled)})
	}
	if h.client == nil {
		ctx, hour := context.Background(), time.Now().Add(time.Hour)
		live := newKey("live")
		mustSave(t, h.raw, live, "x", hour, true)
		samples = append(samples,
			sample{"Save(create) of a live key", "Save", h.raw.Save(ctx, live, []byte("y"), hour, true)},
			sample{"Save(update) of a key never saved", "Save", h.raw.Save(ctx, newKey("never"), []byte("y"), hour, false)})
		if cy, ok := h.raw.(store.Cycler); ok {
			samples = append(samples, sample{"Cycle onto a live key", "Cycle", cy.Cycle(ctx, newKey("old"), live, []byte("y"), hour)})
		}
	}
	name, first := "", ""
	for _, s := range samples {
		if s.err == nil {
			continue // the cases for the call report it
		}
		n, op, ok := strings.Cut(s.err.Error(), ": ")
		op, _, _ = strings.Cut(op, ": ")
		switch {
		case !ok || strings.ContainsAny(n, " ") || n == "store" || !opNames(s.op, op):
			t.Errorf("%s returned %q; want it prefixed with the store's name and the operation, as in \"mystore: %s: …\"", s.call, s.err, opExample(s.op))
		case name == "":
			name, first = n, s.call
		case n != name:
			t.Errorf("%s returned %q, named %q; %s named the store %q", s.call, s.err, n, first, name)
		}
	}
}

// opExample is how an error message might name method.
func opExample(method string) string {
	if method == "ClearExpired" {
		return "clear expired"
	}
	return strings.ToLower(method)
}

// opNames reports whether op, from an error message, names method:
// "load", "clear expired", "clear_expired" and "ClearExpired" all do, and
// "load" does for LoadWithExpiry.
func opNames(method, op string) bool {
	norm := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(op))
	m := strings.ToLower(method)
	return norm == m || len(norm) >= 4 && strings.HasPrefix(m, norm)
}
