package codec_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
)

// payloadOf builds a payload from a version byte and msgpack bytes.
func payloadOf(version byte, body ...byte) []byte { return append([]byte{version}, body...) }

// v1 metadata: array of 6, then created, saved, kind, expiry, flags as
// fixints, then the fields map.
var v1Head = []byte{0x96, 0, 0, 0, 0, 0}

func v1(fields ...byte) []byte { return payloadOf(1, append(bytes.Clone(v1Head), fields...)...) }

// C29/C30: what cannot be parsed is an error wrapping ErrMalformed, never a
// panic, never a partly filled Fields.
func TestDecodeMalformed(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
	}{
		{"empty", nil},
		{"version byte only", []byte{1}},
		{"version 0 byte only", []byte{0}},
		{"unknown version 2", payloadOf(2, 0x90)},
		{"unknown version 255", payloadOf(255)},
		{"v1 not an array", payloadOf(1, 0x80)},
		{"v1 nil instead of array", payloadOf(1, 0xc0)},
		{"v1 array too short", payloadOf(1, 0x95, 0, 0, 0, 0, 0)},
		{"v1 created is a string", payloadOf(1, 0x96, 0xa1, 'x', 0, 0, 0, 0, 0x80)},
		{"v1 kind is negative", payloadOf(1, 0x96, 0, 0, 0xff, 0, 0, 0x80)},
		{"v1 unknown expiry kind", payloadOf(1, 0x96, 0, 0, 3, 0, 0, 0x80)},
		{"v1 fields is an array", v1(0x90)},
		{"v1 fields is a string", v1(0xa1, 'x')},
		{"v1 fields missing", payloadOf(1, v1Head...)},
		{"v1 trailing metadata missing", payloadOf(1, 0x97, 0, 0, 0, 0, 0, 0x80)},
		{"int key", v1(0x81, 0x01, 0x01)},
		{"nil key", v1(0x81, 0xc0, 0x01)},
		{"binary key", v1(0x81, 0xc4, 0x01, 'k', 0x01)},
		{"array key", v1(0x81, 0x91, 0xa1, 'k', 0x01)},
		{"key without value", v1(0x81, 0xa1, 'k')},
		{"value is a reserved code", v1(0x81, 0xa1, 'k', 0xc1)},
		{"huge key length", v1(0x81, 0xdb, 0xff, 0xff, 0xff, 0xff, 'k')},
		{"key length cut short", v1(0x81, 0xda, 0x00)},
		{"huge map length", v1(0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 'k', 0x01)},
		{"huge array length", payloadOf(1, 0xdd, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0x80)},
		{"huge string value", v1(0x81, 0xa4, 'n', 'a', 'm', 'e', 0xdb, 0xff, 0xff, 0xff, 0xff, 'A')},
		{"huge list value", v1(0x81, 0xa4, 't', 'a', 'g', 's', 0xdd, 0xff, 0xff, 0xff, 0xff, 0xa1, 'a')},
		{"huge binary raw value", v1(0x81, 0xa1, 'k', 0xc6, 0xff, 0xff, 0xff, 0xff)},
		{"huge ext raw value", v1(0x81, 0xa1, 'k', 0xc9, 0xff, 0xff, 0xff, 0xff, 0x01)},
		{"deep nesting, never closed", v1(append([]byte{0x81, 0xa1, 'k'}, bytes.Repeat([]byte{0x91}, 100000)...)...)},
		{"v0 not a map", payloadOf(0, 0x90)},
		{"v0 created is a string", payloadOf(0, 0x81, 0xa8, '_', 'c', 'r', 'e', 'a', 't', 'e', 'd', 0xa1, 'x')},
		{"v0 expiry is not a time", payloadOf(0, 0x81, 0xa7, '_', 'e', 'x', 'p', 'i', 'r', 'y', 0xa3, 'n', 'o', 'w')},
		{"v0 expiry is a list", payloadOf(0, 0x81, 0xa7, '_', 'e', 'x', 'p', 'i', 'r', 'y', 0x90)},
		{"v0 expiry missing", payloadOf(0, 0x81, 0xa7, '_', 'e', 'x', 'p', 'i', 'r', 'y')},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertMalformed(t, tt.payload)
		})
	}
}

// assertMalformed decodes payload with and without Fields and requires an
// error wrapping ErrMalformed and Fields left empty.
func assertMalformed(t *testing.T, payload []byte) {
	t.Helper()
	if env, err := codec.Decode(payload, nil, nil); !errors.Is(err, codec.ErrMalformed) {
		t.Errorf("Decode(%x, nil) = %+v, %v; want ErrMalformed", clip(payload), env, err)
	}
	var f visitor
	env, err := codec.Decode(payload, &f, nil)
	if !errors.Is(err, codec.ErrMalformed) {
		t.Errorf("Decode(%x, fields) = %+v, %v; want ErrMalformed", clip(payload), env, err)
	}
	if f.Has != 0 {
		t.Errorf("Decode(%x, fields) left fields %+v partly filled, want them reset", clip(payload), f)
	}
}

func clip(b []byte) []byte { return b[:min(len(b), 48)] }

// Every strict prefix of a valid payload, in either version, is malformed:
// nothing cut short can pass for a complete session.
func TestDecodeTruncated(t *testing.T) {
	full := visitor{Name: "Ada", Visits: 300, Tags: []string{"a", "bb"}, Has: hasName | hasVisits | hasTags}
	payloads := map[string][]byte{
		"v1": encode(t, codec.Meta{Created: created, Saved: saved, Expiry: codec.ExpiryAt, ExpiresAt: saved, TestCookie: true},
			&full, codec.RawField{Key: "theme", Value: mp(t, map[string]any{"dark": true})}),
		"v0": version0(t, "_created", created.Unix(), "name", "Ada", "_expiry", "2031-01-02T03:04:05Z", "visits", 3),
	}
	for name, payload := range payloads {
		t.Run(name, func(t *testing.T) {
			var f visitor
			if _, err := codec.Decode(payload, &f, noWarnings(t)); err != nil {
				t.Fatalf("the whole payload does not decode: %v", err)
			}
			for n := range len(payload) {
				assertMalformed(t, payload[:n])
			}
		})
	}
}

// Random bytes, and random mutations of valid payloads, never panic; an
// error always wraps ErrMalformed. (FuzzDecode explores further.)
func TestDecodeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	valid := encode(t, codec.Meta{Created: created}, &visitor{Name: "Ada", Tags: []string{"x"}, Has: hasName | hasTags})
	for i := range 5000 {
		var b []byte
		if i%2 == 0 {
			b = make([]byte, rng.IntN(64))
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
			if len(b) > 0 {
				b[0] = byte(rng.IntN(2)) // a known version, so the body is parsed
			}
		} else {
			b = bytes.Clone(valid)
			for range 1 + rng.IntN(3) {
				b[rng.IntN(len(b))] = byte(rng.Uint32())
			}
		}
		for _, f := range []codec.Fields{nil, &visitor{}} {
			if _, err := codec.Decode(b, f, nil); err != nil && !errors.Is(err, codec.ErrMalformed) {
				t.Errorf("input %d: Decode(%x) = %v, want nil or ErrMalformed", i, b, err)
			}
		}
	}
}
