package sessiontest

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

// dataCases are C01–C10: reading and changing fields, and the accessed and
// modified flags each operation sets.
var dataCases = []testCase{
	{"C01", "new_session_untouched", func(t *testing.T, h *harness) {
		flags(t, h.open(""), false, false)
	}},
	{"C02", "absent_field_reads_zero", func(t *testing.T, h *harness) {
		p := h.open("")
		if got := p.Name(); got != "" {
			t.Errorf("Name() = %q, want zero value", got)
		}
		flags(t, p, true, false)
		if p.HasName() {
			t.Error("HasName() = true for an absent field")
		}
	}},
	{"C03", "set_marks_modified", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetName("Ada")
		flags(t, p, true, true)
		if got := p.Name(); got != "Ada" {
			t.Errorf("Name() = %q, want %q", got, "Ada")
		}
	}},
	{"C04", "pop_present", func(t *testing.T, h *harness) {
		p := h.open(h.saved(func(p *probe.Session) { p.SetName("Ada") }))
		v, ok := p.PopName()
		if v != "Ada" || !ok {
			t.Errorf("PopName() = %q, %v; want %q, true", v, ok, "Ada")
		}
		flags(t, p, true, true)
		if p.HasName() {
			t.Error("field still present after Pop")
		}
	}},
	{"C05", "pop_absent", func(t *testing.T, h *harness) {
		p := h.open("")
		if v, ok := p.PopName(); v != "" || ok {
			t.Errorf("PopName() = %q, %v; want \"\", false", v, ok)
		}
		flags(t, p, true, false)
	}},
	{"C06", "set_default", func(t *testing.T, h *harness) {
		p := h.open(h.saved(func(p *probe.Session) { p.SetName("Ada") }))
		if got := p.SetDefaultName("Bob"); got != "Ada" {
			t.Errorf("SetDefaultName on present = %q, want %q", got, "Ada")
		}
		flags(t, p, true, false)

		q := h.open("")
		if got := q.SetDefaultName("Bob"); got != "Bob" {
			t.Errorf("SetDefaultName on absent = %q, want %q", got, "Bob")
		}
		flags(t, q, true, true)
		if got := q.Name(); got != "Bob" {
			t.Errorf("Name() after SetDefault = %q, want %q", got, "Bob")
		}
	}},
	{"C07", "update_marks_modified", func(t *testing.T, h *harness) {
		p := h.open("")
		p.Update(func(v *probe.Probe) { v.Name, v.Count = "Ada", 3 })
		flags(t, p, true, true)
		want := probe.Probe{Name: "Ada", Count: 3}
		if diff := cmp.Diff(want, p.Values()); diff != "" {
			t.Errorf("Values() after Update (-want +got):\n%s", diff)
		}
		if !p.HasName() || !p.HasCount() || p.HasTags() {
			t.Error("presence after Update: want name and count present, tags absent")
		}
	}},
	{"C08", "has_marks_accessed_only", func(t *testing.T, h *harness) {
		p := h.open(h.saved(func(p *probe.Session) { p.SetName("Ada") }))
		if !p.HasName() {
			t.Error("HasName() = false for a stored field")
		}
		flags(t, p, true, false)
	}},
	{"C09", "listing_marks_accessed_only", func(t *testing.T, h *harness) {
		p := h.open(h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(2) }))
		keys, err := p.Session().Keys(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(keys)
		if diff := cmp.Diff([]string{"count", "name"}, keys); diff != "" {
			t.Errorf("Keys() (-want +got):\n%s", diff)
		}
		flags(t, p, true, false)
		q := h.open(p.Key())
		if diff := cmp.Diff(probe.Probe{Name: "Ada", Count: 2}, q.Values()); diff != "" {
			t.Errorf("Values() (-want +got):\n%s", diff)
		}
		flags(t, q, true, false)
	}},
	{"C10", "clear_without_loading", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		loads := h.counts.load.Load()
		s := h.m.Open(key)
		s.Clear()
		if !s.Accessed() || !s.Modified() {
			t.Errorf("after Clear: accessed, modified = %v, %v; want true, true", s.Accessed(), s.Modified())
		}
		p, err := probe.Of(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if p.HasName() {
			t.Error("field present after Clear")
		}
		if n := h.counts.load.Load() - loads; n != 0 {
			t.Errorf("Clear then bind loaded from the store %d times, want 0", n)
		}
	}},
}
