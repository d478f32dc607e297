package sessiontest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
)

// storeCases are C11–C17: what saving, deleting, flushing and cycling do to
// the store.
var storeCases = []testCase{
	{"C11", "exists_after_save", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		if !h.exists(key) {
			t.Error("Exists(key) = false after Save")
		}
		if h.client == nil && !inClear(h.raw) && h.existsRaw(key) {
			t.Error("the store holds a record under the cookie's key; want it under session.StoreKey(key) only")
		}
	}},
	{"C12", "not_exists_after_delete", func(t *testing.T, h *harness) {
		h.skipClientSide("a sealed cookie cannot be revoked before it expires")
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		if err := h.raw.Delete(context.Background(), h.storeKey(key)); err != nil {
			t.Fatal(err)
		}
		if h.exists(key) {
			t.Error("Exists(key) = true after Delete")
		}
	}},
	{"C13", "flush", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		p := h.open(key)
		if err := p.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if p.Key() != "" {
			t.Errorf("Key() = %q after Flush, want empty", p.Key())
		}
		flags(t, p, true, true)
		if p.HasName() {
			t.Error("data left after Flush")
		}
		if h.client == nil && h.exists(key) {
			t.Error("old key still exists after Flush")
		}
	}},
	{"C14", "cycle_keeps_data", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetTags([]string{"a", "b"}) })
		p := h.open(key)
		before := p.Values()
		if err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if h.client == nil {
			if p.Key() == key || p.Key() == "" {
				t.Errorf("Key() after Cycle = %q, want a new key", p.Key())
			}
			if h.exists(key) {
				t.Error("old key still exists after Cycle")
			}
		}
		if diff := cmp.Diff(before, p.Values()); diff != "" {
			t.Errorf("data changed by Cycle (-before +after):\n%s", diff)
		}
		h.save(p)
		if diff := cmp.Diff(before, h.open(p.Key()).Values()); diff != "" {
			t.Errorf("stored data under the new key (-want +got):\n%s", diff)
		}
	}},
	{"C15", "cycle_before_load_keeps_data", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		s := h.m.Open(key)
		if err := s.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := h.open(s.Key()).Name(); got != "Ada" {
			t.Errorf("Name() under the cycled key = %q, want %q", got, "Ada")
		}
		p, err := probe.Of(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Name(); got != "Ada" {
			t.Errorf("Name() bound after Cycle = %q, want %q", got, "Ada")
		}
	}},
	{"C16", "save_keeps_memory", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetName("Ada")
		h.save(p)
		if got := p.Name(); got != "Ada" {
			t.Errorf("Name() after Save = %q, want %q", got, "Ada")
		}
	}},
	{"C17", "unknown_key_not_adopted", func(t *testing.T, h *harness) {
		const planted = "attackerchosenkey0123456789"
		p := h.open(planted)
		if p.HasName() {
			t.Error("unknown key reads as non-empty")
		}
		p.SetName("Ada")
		h.save(p)
		if p.Key() == planted {
			t.Fatal("session saved under the attacker-chosen key")
		}
		if h.client == nil && (h.exists(planted) || h.existsRaw(planted)) {
			t.Error("a record exists under the attacker-chosen key")
		}
	}},
}

// keyCases are C18–C21: which keys are valid.
var keyCases = []testCase{
	{"C18", "empty_key_invalid", func(t *testing.T, h *harness) {
		if k := h.m.Open("").Key(); k != "" {
			t.Errorf("Key() = %q, want empty", k)
		}
	}},
	{"C19", "short_key_invalid", func(t *testing.T, h *harness) {
		for _, key := range []string{"a", "abc1234"} {
			if k := h.open(key).Key(); k != "" {
				t.Errorf("Open(%q) then bind: Key() = %q, want empty", key, k)
			}
		}
	}},
	{"C20", "eight_chars_valid", func(t *testing.T, h *harness) {
		h.skipClientSide("the key is the sealed cookie value, not a server-side key")
		for _, key := range []string{"abcd1234", strings.Repeat("k", 32)} {
			if k := h.m.Open(key).Key(); k != key {
				t.Errorf("Open(%q).Key() = %q, want it kept", key, k)
			}
		}
	}},
	{"C21", "key_read_only", func(t *testing.T, h *harness) {
		typ := reflect.TypeOf(&session.Session{})
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			if strings.Contains(name, "SetKey") || strings.Contains(name, "SetSessionKey") {
				t.Errorf("(*session.Session).%s lets callers set the key; only Cycle and Flush may", name)
			}
		}
		if _, ok := typ.Elem().FieldByName("Key"); ok {
			t.Error("session.Session has an exported Key field")
		}
	}},
}
