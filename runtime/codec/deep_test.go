package codec_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
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
		{"unknown field of millions of levels", field("deep", nested(hostile, []byte{0x01})), codec.ErrTooDeep, nil},
		{"mistyped known field past the limit", field("tags", pastLimit), codec.ErrTooDeep, nil},
		{"mistyped known field of millions of levels", field("tags", nested(hostile, []byte{0x01})), codec.ErrTooDeep, nil},
		{"version 0 field at the limit", payloadOf(0, append([]byte{0x81, 0xa4, 'd', 'e', 'e', 'p'}, atLimit...)...), nil, atLimit},
		{"version 0 field past the limit", payloadOf(0, append([]byte{0x81, 0xa4, 'd', 'e', 'e', 'p'}, pastLimit...)...), codec.ErrTooDeep, nil},
		{"appended metadata past the limit", payloadOf(1, append([]byte{0x97, 0, 0, 0, 0, 0, 0x80}, pastLimit...)...), codec.ErrTooDeep, nil},
		{"whole payload millions of levels", payloadOf(1, nested(hostile, []byte{0x01})...), codec.ErrTooDeep, nil},
		{"whole payload millions of maps", payloadOf(1, nestedMaps(hostile/3, []byte{0x01})...), codec.ErrTooDeep, nil},
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

// TestDecodeHostileNestingCost checks that 8 MiB of hostile nesting, in
// any of the places a payload can hold it, is survived and costs little
// memory (the process used to die of a stack overflow; below that, 1 MiB
// of nesting cost 265 MB). Decoding is with Fields, so that a known field's
// value goes to its decoder and an unknown one is skipped. The test counts
// bytes allocated, as timings are not reliable on a shared machine;
// BenchmarkDecodeHostile measures the time.
func TestDecodeHostileNestingCost(t *testing.T) {
	const budget = 64 << 20
	for _, in := range hostileInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			var err error
			n := bytesAllocated(func() { err = in.decode(&visitor{}) })
			if in.ok && err != nil || !in.ok && !errors.Is(err, codec.ErrMalformed) {
				t.Fatalf("decoding %d bytes = %v, want ok = %v", len(in.data), err, in.ok)
			}
			if n > budget {
				t.Errorf("decoding %d bytes allocated %d MiB, want at most %d", len(in.data), n>>20, budget>>20)
			}
		})
	}
}

// BenchmarkDecodeHostile times the inputs of TestDecodeHostileNestingCost.
func BenchmarkDecodeHostile(b *testing.B) {
	for _, in := range hostileInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				_ = in.decode(&visitor{})
			}
		})
	}
}

type hostileInput struct {
	name   string
	data   []byte
	ok     bool // whether it decodes: it is within the limit
	decode func(codec.Fields) error
}

// hostileInputs returns 8 MiB payloads of nesting: bare, and inside a
// record signed with the session key, as a store would return it (the
// signature is checked, then the payload decoded, as session loading does).
func hostileInputs(t testing.TB) []hostileInput {
	t.Helper()
	keys, err := signing.NewKeyring([]byte("deep-nesting test secret: 0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	signer := keys.Signer(session.SignerSalt)
	bare := func(payload []byte) func(codec.Fields) error {
		return func(f codec.Fields) error {
			_, err := codec.Decode(payload, f, nil)
			return err
		}
	}
	signed := func(payload []byte) func(codec.Fields) error {
		record := signer.Sign(nil, payload)
		return func(f codec.Fields) error {
			payload, _, err := signer.Verify(record)
			if err != nil {
				return err
			}
			_, err = codec.Decode(payload, f, nil)
			return err
		}
	}
	arrays := nested(hostile, []byte{0x01})
	maps := nestedMaps(hostile/3, []byte{0x01})
	// An array of values as deep as allowed (MaxDepth with the array): the
	// limit refuses none, so every one is walked, and skipped or kept raw.
	wide := []byte{0xdd, 0, 0, 0, 0}
	for n := uint16(1); len(wide) < hostile; n++ {
		wide = append(wide, nested(codec.MaxDepth-1, []byte{0x01})...)
		wide[3], wide[4] = byte(n>>8), byte(n)
	}
	return []hostileInput{
		{"arrays", payloadOf(1, arrays...), false, bare(payloadOf(1, arrays...))},
		{"maps", payloadOf(1, maps...), false, bare(payloadOf(1, maps...))},
		{"signed, known field", field("tags", arrays), false, signed(field("tags", arrays))},
		{"signed, unknown field", field("deep", arrays), false, signed(field("deep", arrays))},
		{"signed, unknown field of maps", field("deep", maps), false, signed(field("deep", maps))},
		{"signed, known field of values at the limit", field("tags", wide), true, signed(field("tags", wide))},
		{"signed, unknown field of values at the limit", field("deep", wide), true, signed(field("deep", wide))},
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
