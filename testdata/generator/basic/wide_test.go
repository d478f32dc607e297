package basic

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
)

// wideAllocLimit bounds what decoding a wide input may allocate, as
// deepAllocLimit does for a deep one (issue 9: any 8 MiB input, < 64 MB).
const wideAllocLimit = 64 << 20

// share is three quarters of codec.MaxElements: a field that wide decodes
// alone, two of them do not fit one decode.
const share = codec.MaxElements * 3 / 4

// wideVisitor returns a Visitor whose array and map fields are each as
// wide as share allows: an element counts against codec.MaxElements once
// per 16 bytes it takes (a CartLine 6 times, and 4 more for the entries
// of the map it is written as), a map entry about twice its
// key and value plus one (3 for Counts and ByID, 5 for Prefs, 7 for
// Nested). The elements are as small as they come (empty strings, empty
// structs, nils), the cheapest input for the memory they take.
func wideVisitor() Visitor {
	x := Visitor{
		Roles:  make([]string, share),
		Alias:  make(Alias, share),
		Cart:   make([]CartLine, share/10),
		Tree:   &Node{Children: make([]*Node, share)},
		Prefs:  map[string]string{},
		Counts: map[int64]uint16{},
		ByID:   map[uint32]*Theme{},
		Nested: map[string][]CartLine{},
	}
	for i := range share / 3 {
		x.Counts[int64(i)] = 0
		x.ByID[uint32(i)] = nil
	}
	for i := range share / 5 {
		x.Prefs[strconv.Itoa(i)] = ""
	}
	for i := range share / 7 {
		x.Nested[strconv.Itoa(i)] = nil
	}
	return x
}

// wideFields are the keys of wideVisitor's wide fields, in the order of
// Visitor's fields, each with a getter that reads that field alone.
var wideFields = []struct {
	key string
	get func(*VisitorSession) Visitor
}{
	{"roles", func(v *VisitorSession) Visitor { return Visitor{Roles: v.Roles()} }},
	{"cart", func(v *VisitorSession) Visitor { return Visitor{Cart: v.Cart()} }},
	{"prefs", func(v *VisitorSession) Visitor { return Visitor{Prefs: v.Prefs()} }},
	{"counts", func(v *VisitorSession) Visitor { return Visitor{Counts: v.Counts()} }},
	{"by_id", func(v *VisitorSession) Visitor { return Visitor{ByID: v.ByID()} }},
	{"nested", func(v *VisitorSession) Visitor { return Visitor{Nested: v.Nested()} }},
	{"alias", func(v *VisitorSession) Visitor { return Visitor{Alias: v.Alias()} }},
	{"tree", func(v *VisitorSession) Visitor { return Visitor{Tree: v.Tree()} }},
}

// widths returns the number of elements of x's wide fields, by key.
func widths(x Visitor) map[string]int {
	tree := 0
	if x.Tree != nil {
		tree = len(x.Tree.Children)
	}
	return map[string]int{
		"roles": len(x.Roles), "cart": len(x.Cart), "prefs": len(x.Prefs), "counts": len(x.Counts),
		"by_id": len(x.ByID), "nested": len(x.Nested), "alias": len(x.Alias), "tree": tree,
	}
}

// fieldWarnings is a slog.Handler that keeps the field and error of each
// "stored field does not fit its type" warning.
type fieldWarnings struct{ got *[]fieldWarning }

type fieldWarning struct {
	field string
	err   error
}

func (h fieldWarnings) Enabled(context.Context, slog.Level) bool { return true }
func (h fieldWarnings) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h fieldWarnings) WithGroup(string) slog.Handler            { return h }
func (h fieldWarnings) Handle(_ context.Context, r slog.Record) error {
	var w fieldWarning
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "field":
			w.field = a.Value.String()
		case "err":
			w.err, _ = a.Value.Any().(error)
		}
		return true
	})
	if w.field != "" {
		*h.got = append(*h.got, w)
	}
	return nil
}

// TestWideSignedRecord loads, through the middleware, a record the Manager
// signed itself whose wide fields each decode alone, and reads every
// field. The fields are decoded lazily, one by one, but with one width
// budget for the record (codec.MaxElements): the first wide field read
// decodes, every later one reads as absent with a warning wrapping
// codec.ErrTooWide, as a field that does not fit its type does, and the
// request costs the budget once, not once per field.
func TestWideSignedRecord(t *testing.T) {
	var warnings []fieldWarning
	st := &mapStore{m: map[string][]byte{}}
	m, err := session.NewManager(session.Config{
		Store: st, Secret: "sessiongen-test-secret-0123456789abcdef", Logger: slog.New(fieldWarnings{&warnings}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := m.Open("")
	v, err := VisitorOf(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	wide := wideVisitor()
	v.Update(func(x *Visitor) { *x = wide })
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	for _, record := range st.m {
		t.Logf("record of %d KiB", len(record)>>10)
	}
	serve := func(h func(v *VisitorSession)) (allocated uint64, code int) {
		t.Helper()
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: s.Key()})
		w := httptest.NewRecorder()
		handler := m.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			v, err := VisitorFrom(r)
			if err != nil {
				t.Error(err)
				return
			}
			h(v)
		}))
		allocated = bytesAllocated(func() { handler.ServeHTTP(w, r) })
		return allocated, w.Code
	}
	want := widths(wide)

	// Alone, each field decodes: the record is within what one field may
	// hold.
	for _, f := range wideFields {
		var got int
		serve(func(v *VisitorSession) { got = widths(f.get(v))[f.key] })
		if got != want[f.key] {
			t.Errorf("%s read alone: %d elements, want %d", f.key, got, want[f.key])
		}
	}
	if len(warnings) > 0 {
		t.Fatalf("fields read alone: warnings %v, want none", warnings)
	}

	// Together, only the first fits the record's budget.
	got := map[string]int{}
	var keys []string
	allocated, code := serve(func(v *VisitorSession) {
		for _, f := range wideFields {
			got[f.key] = widths(f.get(v))[f.key]
		}
		v.Values()
		keys, _ = v.Session().Keys(ctx)
	})
	if code != http.StatusOK {
		t.Errorf("status %d, want 200", code)
	}
	first := wideFields[0].key
	wantGot := map[string]int{}
	var wantWarned []string
	for _, f := range wideFields {
		wantGot[f.key] = 0
		if f.key != first {
			wantWarned = append(wantWarned, f.key)
		}
	}
	wantGot[first] = want[first]
	if diff := cmp.Diff(wantGot, got); diff != "" {
		t.Errorf("elements read (-want +got):\n%s", diff)
	}
	var warned []string
	for _, w := range warnings {
		warned = append(warned, w.field)
		if !errors.Is(w.err, codec.ErrTooWide) {
			t.Errorf("warning for %s: %v, want codec.ErrTooWide", w.field, w.err)
		}
	}
	if diff := cmp.Diff(wantWarned, warned); diff != "" {
		t.Errorf("fields warned about (-want +got):\n%s", diff)
	}
	for _, key := range wantWarned {
		if slices.Contains(keys, key) {
			t.Errorf("Keys() = %v, has %s, which read as absent", keys, key)
		}
	}
	if allocated > wideAllocLimit {
		t.Errorf("the request allocated %d MiB, want at most %d", allocated>>20, wideAllocLimit>>20)
	}
	t.Logf("the request reading every field allocated %d KiB", allocated>>10)
}

// array32 returns head, then an array header announcing n elements and
// elem repeated to fill deepSize bytes.
func array32(head string, elem ...byte) []byte {
	b := []byte(head)
	n := (deepSize - len(b) - 5) / len(elem)
	b = binary.BigEndian.AppendUint32(append(b, 0xdd), uint32(n))
	return append(b, bytes.Repeat(elem, n)...)
}

// map32 is array32 for a map of entries made by entry.
func map32(head string, size int, entry func(i int) []byte) []byte {
	b := []byte(head)
	n := (deepSize - len(b) - 5) / size
	b = binary.BigEndian.AppendUint32(append(b, 0xdf), uint32(n))
	for i := range n {
		b = append(b, entry(i)...)
	}
	return b
}

// TestHostileInput feeds a Visitor's UnmarshalMsgpack and DecodeMsgpack
// 8 MiB values aimed at its fields: arrays and maps announcing millions of
// the smallest elements (refused with codec.ErrTooWide as their header is
// read), and one-element arrays nested millions of levels deep (refused
// at the first element that does not fit, or by the depth limit). Each is refused with an error wrapping
// codec.ErrMalformed having allocated less than 64 MB. A value with every
// wide field of wideVisitor, within the budget one by one but not
// together, is refused too: one value is one decode.
func TestHostileInput(t *testing.T) {
	wide := wideVisitor()
	all, err := wide.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty strings into roles", array32("\x81\xa5roles", 0xa0), codec.ErrTooWide},
		{"tiny keys into prefs", map32("\x81\xa5prefs", 4, func(i int) []byte { return []byte{0xa2, byte(i >> 8), byte(i), 0xc0} }), codec.ErrTooWide},
		{"empty maps into cart", array32("\x81\xa4cart", 0x80), codec.ErrTooWide},
		{"nils into tree's children", array32("\x81\xa4tree\x81\xa8Children", 0xc0), codec.ErrTooWide},
		{"every wide field, each within the budget", all, codec.ErrTooWide},
		{"arrays", deep("", "\x91"), codec.ErrMalformed},
		{"arrays into roles", deep("\x81\xa5roles", "\x91"), codec.ErrMalformed},
		{"arrays into cart", deep("\x81\xa4cart", "\x91"), codec.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range []struct {
				name   string
				decode func(v *Visitor) error
			}{
				{"UnmarshalMsgpack", func(v *Visitor) error { return v.UnmarshalMsgpack(tt.in) }},
				{"DecodeMsgpack", func(v *Visitor) error { return v.DecodeMsgpack(msgpack.NewDecoder(bytes.NewReader(tt.in))) }},
			} {
				var err error
				allocated := bytesAllocated(func() {
					var v Visitor
					err = d.decode(&v)
				})
				if !errors.Is(err, tt.want) || !errors.Is(err, codec.ErrMalformed) {
					t.Errorf("%s of %d KiB: err = %v, want %v (wrapping codec.ErrMalformed)", d.name, len(tt.in)>>10, err, tt.want)
				}
				if allocated > wideAllocLimit {
					t.Errorf("%s of %d KiB: %d MiB allocated, want at most %d", d.name, len(tt.in)>>10, allocated>>20, wideAllocLimit>>20)
				}
				t.Logf("%s of %d KiB: %d KiB allocated", d.name, len(tt.in)>>10, allocated>>10)
			}
		})
	}
}
