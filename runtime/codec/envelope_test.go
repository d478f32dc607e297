package codec_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// encode encodes an envelope, failing the test if it cannot.
func encode(t testing.TB, meta codec.Meta, f codec.Fields, raw ...codec.RawField) []byte {
	t.Helper()
	b, err := codec.Encode(nil, &meta, f, raw)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b
}

// encodeV2 encodes an envelope in version 2, failing the test if it cannot.
func encodeV2(t testing.TB, meta codec.Meta, f codec.Fields, raw ...codec.RawField) []byte {
	t.Helper()
	b, signed, err := codec.EncodeDetached(nil, &meta, f, raw)
	if err != nil {
		t.Fatalf("EncodeDetached: %v", err)
	}
	if n, err := codec.SignedLen(b); err != nil || n != signed {
		t.Fatalf("SignedLen = %d, %v; EncodeDetached said %d", n, err, signed)
	}
	return b
}

// encoders are the two ways a record is written: Encode, and
// EncodeDetached, which writes version 1 too for a record with no value
// longer than codec.DetachAbove (TestVersion2Vector and detached_test.go
// have the others).
var encoders = []struct {
	name   string
	encode func(t testing.TB, meta codec.Meta, f codec.Fields, raw ...codec.RawField) []byte
}{{"Encode", encode}, {"EncodeDetached", encodeV2}}

// mp is one msgpack value, for raw fields.
func mp(t testing.TB, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// warnings records what Decode dropped.
type warnings struct{ keys []string }

func (w *warnings) warn(key string, err error) {
	if err == nil {
		panic("codec warned with a nil error for " + key)
	}
	w.keys = append(w.keys, key)
}

// noWarnings fails the test on any warning.
func noWarnings(t testing.TB) codec.Warner {
	return func(key string, err error) {
		t.Helper()
		t.Errorf("unexpected warning for field %q: %v", key, err)
	}
}

// cmpFields compares test Fields, and empty slices with nil ones: an empty
// tags list decodes as an empty slice.
var cmpFields = []cmp.Option{cmpopts.EquateEmpty()}

var (
	created = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	saved   = time.Date(2025, 3, 2, 18, 0, 5, 0, time.UTC)
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	ada := visitor{Name: "Ada Lovelace", Visits: 7, Tags: []string{"admin", "", "日本"}, Has: hasName | hasVisits | hasTags}
	tests := []struct {
		name   string
		meta   codec.Meta
		fields visitor
		raw    []codec.RawField
	}{
		{"empty", codec.Meta{}, visitor{}, nil},
		{"all fields", codec.Meta{Created: created, Saved: saved}, ada, nil},
		{"zero values present", codec.Meta{Created: created},
			visitor{Tags: []string{}, Has: hasName | hasVisits | hasTags}, nil},
		{"one field", codec.Meta{Created: created}, visitor{Visits: -1 << 62, Has: hasVisits}, nil},
		{"idle expiry", codec.Meta{Created: created, Expiry: codec.ExpiryIdle, IdleSeconds: 3600}, ada, nil},
		{"browser close", codec.Meta{Expiry: codec.ExpiryIdle, IdleSeconds: 0}, ada, nil},
		{"absolute expiry to the nanosecond", codec.Meta{Expiry: codec.ExpiryAt,
			ExpiresAt: time.Date(2031, 1, 2, 3, 4, 5, 678901234, time.UTC)}, ada, nil},
		{"test cookie", codec.Meta{TestCookie: true}, visitor{}, nil},
		{"raw fields beside typed ones", codec.Meta{Saved: saved}, ada, []codec.RawField{
			{Key: "theme", Value: mp(t, "dark")},
			{Key: "cart", Value: mp(t, map[string]any{"sku": []int{1, 2}})},
		}},
	}
	for _, tt := range tests {
		for _, e := range encoders {
			t.Run(tt.name+"/"+e.name, func(t *testing.T) {
				payload := e.encode(t, tt.meta, &tt.fields, tt.raw...)
				if payload[0] != 1 {
					t.Errorf("version byte = %d, want 1", payload[0])
				}
				var got visitor
				env, err := codec.Decode(payload, &got, noWarnings(t))
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if env.Version != 1 {
					t.Errorf("Version = %d, want 1", env.Version)
				}
				if diff := cmp.Diff(tt.meta, env.Meta); diff != "" {
					t.Errorf("meta (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.fields, got, cmpFields...); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.raw, env.Raw, cmpFields...); diff != "" {
					t.Errorf("raw (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// Encode appends to dst.
func TestEncodeAppends(t *testing.T) {
	meta := codec.Meta{Created: created}
	got, err := codec.Encode([]byte("signed:"), &meta, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]byte("signed:"), encode(t, meta, nil)...); !bytes.Equal(got, want) {
		t.Errorf("Encode(dst) = %x, want %x", got, want)
	}
}

// Without a Fields, every field stays raw, and encoding them again gives
// back the same bytes: a session can be loaded, cycled and saved before
// (or without) its type being known.
func TestDecodeWithoutFieldsKeepsRaw(t *testing.T) {
	meta := codec.Meta{Created: created, Saved: saved, Expiry: codec.ExpiryIdle, IdleSeconds: 60, TestCookie: true}
	fields := visitor{Name: "Ada", Visits: 3, Tags: []string{"x"}, Has: hasName | hasVisits | hasTags}
	payload := encode(t, meta, &fields, codec.RawField{Key: "theme", Value: mp(t, "dark")})

	env, err := codec.Decode(payload, nil, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range env.Raw {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{"name", "visits", "tags", "theme"}, keys); diff != "" {
		t.Errorf("raw keys (-want +got):\n%s", diff)
	}
	again, err := codec.Encode(nil, &env.Meta, nil, env.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(payload, again) {
		t.Errorf("re-encoded raw envelope differs:\n got %x\nwant %x", again, payload)
	}
}

func TestDecodeRaw(t *testing.T) {
	payload := encode(t, codec.Meta{}, nil,
		codec.RawField{Key: "name", Value: mp(t, "Ada")},
		codec.RawField{Key: "theme", Value: mp(t, "dark")},
		codec.RawField{Key: "visits", Value: mp(t, "not a number")},
		codec.RawField{Key: "tags", Value: mp(t, []string{"a"})},
		codec.RawField{Key: "locale", Value: mp(t, "fr")},
	)
	env, err := codec.Decode(payload, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got visitor
	var w warnings
	rest := codec.DecodeRaw(&got, env.Raw, w.warn)

	want := visitor{Name: "Ada", Tags: []string{"a"}, Has: hasName | hasTags}
	if diff := cmp.Diff(want, got, cmpFields...); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	wantRest := []codec.RawField{{Key: "theme", Value: mp(t, "dark")}, {Key: "locale", Value: mp(t, "fr")}}
	if diff := cmp.Diff(wantRest, rest); diff != "" {
		t.Errorf("rest (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"visits"}, w.keys); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// DecodeRaw survives a Fields that panics on a value: the field is dropped
// with a warning, as one that does not fit.
func TestDecodeRawPanickingField(t *testing.T) {
	raw := []codec.RawField{{Key: "boom", Value: mp(t, 1)}, {Key: "name", Value: mp(t, "Ada")}}
	var w warnings
	f := &panicky{}
	rest := codec.DecodeRaw(f, raw, w.warn)
	if len(rest) != 0 || f.Name != "Ada" {
		t.Errorf("rest = %v, Name = %q; want none, Ada", rest, f.Name)
	}
	if diff := cmp.Diff([]string{"boom"}, w.keys); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// C39: a field this type does not know, written by a newer release, is
// kept and written back, so the newer release finds it again.
func TestUnknownFieldsSurvive(t *testing.T) {
	newer := newerVisitor{visitor: visitor{Name: "Ada", Has: hasName}, Email: "ada@example.com"}
	payload := encode(t, codec.Meta{Created: created}, &newer)

	// The older release loads it, changes a field it knows, and saves.
	var old visitor
	env, err := codec.Decode(payload, &old, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]codec.RawField{{Key: "email", Value: mp(t, "ada@example.com")}}, env.Raw); diff != "" {
		t.Fatalf("raw (-want +got):\n%s", diff)
	}
	old.Visits, old.Has = 1, old.Has|hasVisits
	payload = encode(t, env.Meta, &old, env.Raw...)

	// The newer release still finds its field.
	var got newerVisitor
	env, err = codec.Decode(payload, &got, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	want := newerVisitor{visitor: visitor{Name: "Ada", Visits: 1, Has: hasName | hasVisits}, Email: "ada@example.com"}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(newerVisitor{})); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if len(env.Raw) != 0 {
		t.Errorf("raw = %v, want none", env.Raw)
	}
}

// C40: a stored value that no longer fits its field's type is dropped with
// a warning naming the field; the fields before and after it survive.
func TestMistypedFieldDropped(t *testing.T) {
	name := codec.RawField{Key: "name", Value: mp(t, "Ada")}
	theme := codec.RawField{Key: "theme", Value: mp(t, "dark")}
	tests := []struct {
		name string
		bad  codec.RawField
		want visitor
	}{
		{"int field holds a string", codec.RawField{Key: "visits", Value: mp(t, "seven")},
			visitor{Name: "Ada", Has: hasName}},
		{"string field holds an int", codec.RawField{Key: "name", Value: mp(t, 42)},
			visitor{Name: "Ada", Has: hasName}}, // the later "name" is kept
		{"list holds a number midway", codec.RawField{Key: "tags", Value: mp(t, []any{"a", 1, "c"})},
			visitor{Name: "Ada", Has: hasName}},
		{"list field holds a map", codec.RawField{Key: "tags", Value: mp(t, map[string]int{"a": 1})},
			visitor{Name: "Ada", Has: hasName}},
		{"int field holds a list", codec.RawField{Key: "visits", Value: mp(t, []int{1, 2})},
			visitor{Name: "Ada", Has: hasName}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The bad field sits between two good ones, so decoding must
			// resume exactly after it.
			payload := encode(t, codec.Meta{Created: created}, nil, tt.bad, name, theme)
			var got visitor
			var w warnings
			env, err := codec.Decode(payload, &got, w.warn)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpFields...); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{tt.bad.Key}, w.keys); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]codec.RawField{theme}, env.Raw); diff != "" {
				t.Errorf("raw (-want +got):\n%s", diff)
			}
			if !env.Created.Equal(created) {
				t.Errorf("Created = %v, want %v", env.Created, created)
			}
		})
	}
}

// A nil warner is allowed.
func TestDecodeNilWarner(t *testing.T) {
	payload := encode(t, codec.Meta{}, nil, codec.RawField{Key: "visits", Value: mp(t, "x")})
	var got visitor
	if _, err := codec.Decode(payload, &got, nil); err != nil || got.Has != 0 {
		t.Errorf("Decode = %v, fields %+v; want no error, no fields", err, got)
	}
}

// A Fields that panics (a bug in generated code) costs the session, not the
// process.
func TestDecodePanickingFields(t *testing.T) {
	payload := encode(t, codec.Meta{}, nil, codec.RawField{Key: "boom", Value: mp(t, 1)})
	f := &panicky{visitor: visitor{Name: "left over", Has: hasName}}
	_, err := codec.Decode(payload, f, nil)
	if !errors.Is(err, codec.ErrMalformed) {
		t.Errorf("Decode = %v, want ErrMalformed", err)
	}
	if f.Has != 0 {
		t.Errorf("fields after a failed decode = %+v, want reset", f.visitor)
	}
}

// panicky panics when asked to decode the field "boom".
type panicky struct{ visitor }

func (p *panicky) DecodeField(key, value []byte) (bool, error) {
	if string(key) == "boom" {
		panic("generated code bug")
	}
	return p.visitor.DecodeField(key, value)
}
