package session_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/internal/viewfields"
	"github.com/vmihailenco/msgpack/v5"
)

// encoded is v as the generated codecs write it (integers compact).
func encoded(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := msgpack.NewEncoder(&b)
	enc.UseCompactInts(true)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rawField returns the encoded value stored under field key of the
// session under key, read without a type bound.
func (e *env) rawField(t *testing.T, key, field string) []byte {
	t.Helper()
	s := e.m.Open(key)
	v, ok, err := s.RawField(context.Background(), field)
	if err != nil || !ok {
		t.Fatalf("RawField(%q) = %v, %v", field, ok, err)
	}
	return v
}

// TestFieldLazy checks that a field is decoded only when used: a stored
// value that does not fit its field's type is written back untouched by a
// request that does not use the field, and reads as absent, with a
// warning, in one that does.
func TestFieldLazy(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	bad := encoded(t, "not a number")
	s := e.m.Open(key)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	// Before a type is bound, every field is raw: "count" is stored as a string.
	if err := s.SetRawField(ctx, "count", bad); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}

	p := e.load(t, key)
	p.SetName("Grace") // "count" untouched
	save(t, p)
	if got := e.rawField(t, key, "count"); string(got) != string(bad) {
		t.Errorf("untouched field saved as %x, want its loaded bytes %x", got, bad)
	}
	if strings.Contains(e.log.String(), "does not fit") {
		t.Errorf("a field nobody read was decoded:\n%s", e.log.String())
	}

	p = e.load(t, key)
	if p.HasCount() || p.Count() != 0 {
		t.Errorf("corrupt count: Has %v, value %d; want absent", p.HasCount(), p.Count())
	}
	if !strings.Contains(e.log.String(), "field=count") {
		t.Errorf("no warning naming the corrupt field:\n%s", e.log.String())
	}
	if p.Name() != "Grace" {
		t.Errorf("Name = %q, want Grace", p.Name())
	}
}

// TestFieldUse checks what each accessor records for the merge of a
// concurrent save (codec.Tracked).
func TestFieldUse(t *testing.T) {
	const (
		r = codec.UseRead
		w = codec.UseWritten
		d = codec.UseDeleted
		m = codec.UseModified
	)
	inc := func(n *int64) { *n++ }
	tests := []struct {
		name    string
		present bool // count stored before the request
		op      func(p *probe.Session)
		want    codec.Use
	}{
		{"untouched", true, func(*probe.Session) {}, 0},
		{"get", true, func(p *probe.Session) { p.Count() }, r},
		{"has", false, func(p *probe.Session) { p.HasCount() }, r},
		{"set", true, func(p *probe.Session) { p.SetCount(1) }, w},
		{"get then set", true, func(p *probe.Session) { p.SetCount(p.Count() + 1) }, r | w},
		{"delete present", true, func(p *probe.Session) { p.DeleteCount() }, d},
		{"delete absent", false, func(p *probe.Session) { p.DeleteCount() }, r},
		{"pop present", true, func(p *probe.Session) { p.PopCount() }, r | d},
		{"set default present", true, func(p *probe.Session) { p.SetDefaultCount(5) }, r},
		{"set default absent", false, func(p *probe.Session) { p.SetDefaultCount(5) }, r | w},
		{"modify", true, func(p *probe.Session) { p.ModifyCount(inc) }, m},
		{"get then modify", true, func(p *probe.Session) { p.Count(); p.ModifyCount(inc) }, r | m},
		{"modify then set", true, func(p *probe.Session) { p.ModifyCount(inc); p.SetCount(9) }, r | w},
		{"set then modify", true, func(p *probe.Session) { p.SetCount(9); p.ModifyCount(inc) }, w},
		{"delete then set", true, func(p *probe.Session) { p.DeleteCount(); p.SetCount(1) }, w},
		{"clear", true, func(p *probe.Session) { p.Clear() }, d},
		{"update", true, func(p *probe.Session) { p.Update(func(v *probe.Probe) { v.Count++ }) }, r | w},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			p, err := probe.Of(context.Background(), e.m.Open(""))
			if err != nil {
				t.Fatal(err)
			}
			if tt.present {
				p.SetCount(3)
				save(t, p)
				p = e.load(t, p.Key())
			}
			tt.op(p)
			tracked := viewfields.Of(p).(codec.Tracked)
			if got := tracked.FieldUse("count"); got != tt.want {
				t.Errorf("FieldUse(count) = %04b, want %04b", got, tt.want)
			}
			wantName := codec.Use(0) // the request did not touch it
			if tt.name == "update" {
				wantName = r // Update reads every field
			}
			if got := tracked.FieldUse("name"); got != wantName {
				t.Errorf("FieldUse(name) = %04b, want %04b", got, wantName)
			}
		})
	}
}

// TestReplay checks that Replay applies the request's ModifyX calls, in
// order, to the value a concurrent save stored.
func TestReplay(t *testing.T) {
	e := newEnv(t, nil)
	p, err := probe.Of(context.Background(), e.m.Open(""))
	if err != nil {
		t.Fatal(err)
	}
	p.ModifyCount(func(n *int64) { *n += 2 })
	p.ModifyCount(func(n *int64) { *n *= 10 })
	p.ModifyTags(func(tags *[]string) { *tags = append(*tags, "b") })
	if p.Count() != 20 {
		t.Errorf("Count = %d after the calls, want 20", p.Count())
	}
	tracked := viewfields.Of(p).(codec.Tracked)
	tests := []struct {
		key      string
		cur      []byte
		want     any
		wantDecl string
	}{
		{"count", encoded(t, int64(1)), int64(30), "(1+2)*10"},
		{"count", nil, int64(20), "absent: from 0"},
		{"tags", encoded(t, []string{"a"}), []string{"a", "b"}, "appended to the stored tags"},
	}
	for _, tt := range tests {
		got, err := tracked.Replay(tt.key, tt.cur)
		if err != nil {
			t.Fatalf("Replay(%s, %x): %v", tt.key, tt.cur, err)
		}
		if diff := cmp.Diff(encoded(t, tt.want), got); diff != "" {
			t.Errorf("Replay(%s) %s (-want +got):\n%s", tt.key, tt.wantDecl, diff)
		}
	}
	if _, err := tracked.Replay("count", encoded(t, "text")); err == nil {
		t.Error("Replay on a value that does not fit: no error")
	}
}

// TestDecodeAgainHasItsOwnBudget decodes one record into the same view
// twice, as a Format's tests or a benchmark do: each decode is a record of
// its own, so the second gets the whole width budget again instead of
// what the first left of it.
func TestDecodeAgainHasItsOwnBudget(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(t, e.seed(t, "Ada"))
	wide := make([]string, codec.MaxElements/2+1) // fits once, not twice
	p.SetTags(wide)
	payload, err := codec.Encode(nil, nil, viewfields.Of(p), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := codec.Decode(payload, viewfields.Of(p), func(key string, err error) {
			t.Errorf("decode %d: field %q dropped: %v", i+1, key, err)
		}); err != nil {
			t.Fatal(err)
		}
		if got := len(p.Tags()); got != len(wide) {
			t.Errorf("decode %d: %d tags, want %d", i+1, got, len(wide))
		}
	}
}

// TestFieldGetCopies checks copies on get for a field read from its
// encoded form: the first Get hands out a decode of its own, every Get
// after it a copy, and none of them aliases what the session saves, for a
// value kept in the record's head and for a detached one.
func TestFieldGetCopies(t *testing.T) {
	for _, tags := range [][]string{{"a", "b"}, longTags()} {
		e := newEnv(t, nil)
		p := e.load(t, "")
		p.SetTags(tags)
		save(t, p)
		key := p.Key()

		p = e.load(t, key)
		first := p.Tags()
		first[0] = "changed"
		second := p.Tags()
		second[1] = "changed too"
		if diff := cmp.Diff(tags, p.Tags()); diff != "" {
			t.Errorf("%d tags: Get after changing what earlier Gets returned (-want +got):\n%s", len(tags), diff)
		}
		p.SetName("Ada") // save with tags untouched since the load
		save(t, p)
		if diff := cmp.Diff(tags, e.load(t, key).Tags()); diff != "" {
			t.Errorf("%d tags: stored (-want +got):\n%s", len(tags), diff)
		}
	}
}
