package sessiontest

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// copiesBuffer checks that Save (create and update) and Cycle keep a copy
// of data, not the caller's buffer, which the session package reuses.
func copiesBuffer(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	hour := time.Now().Add(time.Hour)
	const want = "original"
	write := map[string]func(key string, buf []byte) error{
		"Save(create)": func(key string, buf []byte) error { return st.Save(ctx, key, buf, hour, true) },
		"Save(update)": func(key string, buf []byte) error {
			mustSave(t, st, key, "before", hour, true)
			return st.Save(ctx, key, buf, hour, false)
		},
	}
	if cy, ok := st.(store.Cycler); ok {
		write["Cycle"] = func(key string, buf []byte) error {
			old := newKey("old")
			mustSave(t, st, old, "before", hour, true)
			return cy.Cycle(ctx, old, key, buf, hour)
		}
	}
	for call, fn := range write {
		key := newKey("buffer")
		buf := []byte(want)
		if err := fn(key, buf); err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		copy(buf, "XXXXXXXX") // the caller reuses its buffer
		if data, _ := load(t, st, key); string(data) != want {
			t.Errorf("%s kept the caller's buffer: Load = %q after the caller reused it; want %q", call, data, want)
		}
	}
}
