package sessiontest

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

// hashedKeyCases are C61: a session stored under its clear cookie key, as
// versions before hashed store keys wrote it, still loads and is moved to
// its hashed key (session.StoreKey) by the next save; a logout removes it.
var hashedKeyCases = []testCase{
	{"C61", "clear_key_session_moved", func(t *testing.T, h *harness) {
		h.skipClientSide("the cookie carries the session; there is no store key")
		if inClear(h.raw) {
			t.Skip("the store keeps sessions under the cookie's key (session.ClearKeyStore): nothing to move")
		}
		moved := h.plantClear("Ada")
		p := h.open(moved)
		if p.Name() != "Ada" || p.Key() != moved {
			t.Fatalf("clear-key session: Name %q, Key %q; want it found under its cookie key", p.Name(), p.Key())
		}
		h.save(p)
		if h.existsRaw(moved) || !h.exists(moved) {
			t.Errorf("after the save: clear record kept %v, hashed record made %v; want moved", h.existsRaw(moved), h.exists(moved))
		}
		if got := h.open(moved).Name(); got != "Ada" {
			t.Errorf("moved session: Name %q, want Ada", got)
		}

		flushed := h.plantClear("Bob")
		if err := h.m.Open(flushed).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if h.existsRaw(flushed) || h.exists(flushed) {
			t.Error("a clear-key session survived Flush")
		}
	}},
}

// plantClear stores a session with name under a fresh cookie key in clear,
// as a version that did not hash keys did, and returns the key.
func (h *harness) plantClear(name string) string {
	h.t.Helper()
	ctx := context.Background()
	src := h.saved(func(p *probe.Session) { p.SetName(name) })
	data, found, err := h.raw.Load(ctx, h.storeKey(src))
	if err != nil || !found {
		h.t.Fatalf("load the saved session: found %v, err %v", found, err)
	}
	key := strings.ToLower(rand.Text() + rand.Text())[:32] // a cookie key's form
	if err := h.raw.Save(ctx, key, data, time.Now().Add(time.Hour), true); err != nil {
		h.t.Fatal(err)
	}
	return key
}
