package codec_test

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
)

// nestedMaps returns depth maps of one entry, each under the key "k",
// around the value v: 0x81 0xa1 'k' repeated.
func nestedMaps(depth int, v []byte) []byte {
	return append(bytes.Repeat([]byte{0x81, 0xa1, 'k'}, depth), v...)
}

// field returns a v1 payload whose fields map holds key with the given
// msgpack value.
func field(key string, value []byte) []byte {
	return v1(append(append([]byte{0x81, 0xa0 | byte(len(key))}, key...), value...)...)
}

// hostile is 8 MiB of nesting, with a value at the bottom so that the
// structure is otherwise complete.
const hostile = 8 << 20

// TestDecodeDepth checks the nesting limit of the envelope decoder: a
// field's value may nest MaxDepth arrays and maps, whichever path it takes
// (a known field, an unknown one kept raw, version 0, metadata a newer
// release appended); one level more is ErrTooDeep, which is ErrMalformed.
// Before the limit, the deep inputs here ended the process with a stack
// overflow in msgpack's recursive Skip.
func TestDecodeDepth(t *testing.T) {
	atLimit := nested(codec.MaxDepth, []byte{0x01})
	pastLimit := nested(codec.MaxDepth+1, []byte{0x01})
	tests := []struct {
		name    string
		payload []byte
		err     error  // nil: decodes
		raw     []byte // the raw value of the field "deep", when it decodes
	}{
		{"unknown field at the limit", field("deep", atLimit), nil, atLimit},
		{"unknown field past the limit", field("deep", pastLimit), codec.ErrTooDeep, nil},
		{"unknown field of maps at the limit", field("deep", nestedMaps(codec.MaxDepth, []byte{0xc0})), nil, nestedMaps(codec.MaxDepth, []byte{0xc0})},
		{"unknown field of maps past the limit", field("deep", nestedMaps(codec.MaxDepth+1, []byte{0xc0})), codec.ErrTooDeep, nil},
		{"empty array past the limit", field("deep", nested(codec.MaxDepth, []byte{0x90})), codec.ErrTooDeep, nil},
		{"unknown field, branchy, at the limit", field("deep", branchy(codec.MaxDepth)), nil, branchy(codec.MaxDepth)},
		{"unknown field, branchy, past the limit", field("deep", branchy(codec.MaxDepth+1)), codec.ErrTooDeep, nil},
		{"unknown field of millions of levels", field("deep", nested(hostile, []byte{0x01})), codec.ErrTooDeep, nil},
		{"mistyped known field past the limit", field("tags", pastLimit), codec.ErrTooDeep, nil},
		{"mistyped known field of millions of levels", field("tags", nested(hostile, []byte{0x01})), codec.ErrTooDeep, nil},
		{"version 0 field at the limit", payloadOf(0, append([]byte{0x81, 0xa4, 'd', 'e', 'e', 'p'}, atLimit...)...), nil, atLimit},
		{"version 0 field past the limit", payloadOf(0, append([]byte{0x81, 0xa4, 'd', 'e', 'e', 'p'}, pastLimit...)...), codec.ErrTooDeep, nil},
		// After the labels (the 7th element, empty here): metadata a later
		// release may append.
		{"appended metadata past the limit", payloadOf(1, append([]byte{0x98, 0, 0, 0, 0, 0, 0x80, 0x80}, pastLimit...)...), codec.ErrTooDeep, nil},
		// Not an envelope at all: refused at its first bytes, whose
		// header is not the envelope's, before anything walks the rest.
		{"whole payload millions of levels", payloadOf(1, nested(hostile, []byte{0x01})...), codec.ErrMalformed, nil},
		{"whole payload millions of maps", payloadOf(1, nestedMaps(hostile/3, []byte{0x01})...), codec.ErrMalformed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []*visitor{nil, {}} {
				var fields codec.Fields
				if f != nil {
					fields = f
				}
				env, err := codec.Decode(tt.payload, fields, nil)
				if tt.err != nil {
					if !errors.Is(err, tt.err) || !errors.Is(err, codec.ErrMalformed) {
						t.Fatalf("Decode(fields %v) = %v, want %v (an ErrMalformed)", f != nil, err, tt.err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Decode(fields %v) = %v, want it to decode", f != nil, err)
				}
				want := []codec.RawField{{Key: "deep", Value: tt.raw}}
				if diff := cmp.Diff(want, env.Raw); diff != "" {
					t.Errorf("Decode(fields %v) raw fields (-want +got):\n%s", f != nil, diff)
				}
			}
		})
	}
}

// TestEncodeDepth checks that Encode refuses a field Decode would refuse
// for its depth, rather than writing a session that cannot be loaded.
func TestEncodeDepth(t *testing.T) {
	tests := []struct {
		name  string
		value []byte
		err   error
	}{
		{"at the limit", nested(codec.MaxDepth, []byte{0x01}), nil},
		{"past the limit", nested(codec.MaxDepth+1, []byte{0x01}), codec.ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []codec.RawField{{Key: "deep", Value: tt.value}}
			b, err := codec.Encode(nil, &codec.Meta{}, nil, raw)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Encode = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			env, err := codec.Decode(b, nil, nil)
			if err != nil {
				t.Fatalf("Decode of what Encode wrote: %v", err)
			}
			if diff := cmp.Diff(raw, env.Raw); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFieldCountLimit checks that Decode refuses a payload of more than
// 4096 fields, whose RawFields would cost memory a multiple of its bytes,
// and that Encode refuses to write one.
func TestFieldCountLimit(t *testing.T) {
	const limit = 4096
	fieldsMap := func(n int) []byte {
		b := []byte{0xde, byte(n >> 8), byte(n)}
		for i := range n {
			b = append(b, 0xa2, byte(i>>8), byte(i), 0xc0) // distinct 2-byte keys
		}
		return b
	}
	raws := func(n int) []codec.RawField {
		raw := make([]codec.RawField, n)
		for i := range raw {
			raw[i] = codec.RawField{Key: strconv.Itoa(i), Value: []byte{0xc0}}
		}
		return raw
	}
	for _, tt := range []struct {
		n  int
		ok bool
	}{{limit, true}, {limit + 1, false}} {
		env, err := codec.Decode(v1(fieldsMap(tt.n)...), &visitor{}, nil)
		if tt.ok && (err != nil || len(env.Raw) != tt.n) || !tt.ok && !errors.Is(err, codec.ErrMalformed) {
			t.Errorf("Decode of %d fields = %d raw, %v; want ok = %v", tt.n, len(env.Raw), err, tt.ok)
		}
		if _, err := codec.Encode(nil, &codec.Meta{}, nil, raws(tt.n)); (err == nil) != tt.ok {
			t.Errorf("Encode of %d fields = %v; want ok = %v", tt.n, err, tt.ok)
		}
	}
}
