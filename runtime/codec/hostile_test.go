package codec_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
)

// TestDecodeHostileCost checks that 8 MiB hostile payloads, nested in any
// of the places a payload can hold nesting, or made of millions of tiny
// fields, are survived and cost little memory (nesting used to end the
// process with a stack overflow, and below that 1 MiB of it cost 265 MB;
// 8 MiB of empty fields cost 985 MiB). Decoding is with Fields, so that a
// known field's value goes to its decoder and an unknown one is skipped.
// The test counts bytes allocated, as timings are not reliable on a shared
// machine; BenchmarkDecodeHostile measures the time.
func TestDecodeHostileCost(t *testing.T) {
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

// BenchmarkDecodeHostile times the inputs of TestDecodeHostileCost.
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

// hostileInputs returns 8 MiB payloads: nesting, bare and inside a record
// signed with the session key as a store would return it (the signature is
// checked, then the payload decoded, as session loading does), and a
// signed record of millions of fields.
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
	// The smallest field there is: an empty key and nil.
	const fields = hostile / 2
	many := append([]byte{0xdf, fields >> 24, fields >> 16 & 0xff, fields >> 8 & 0xff, fields & 0xff}, bytes.Repeat([]byte{0xa0, 0xc0}, fields)...)
	return []hostileInput{
		{"arrays", payloadOf(1, arrays...), false, bare(payloadOf(1, arrays...))},
		{"maps", payloadOf(1, maps...), false, bare(payloadOf(1, maps...))},
		{"signed, known field", field("tags", arrays), false, signed(field("tags", arrays))},
		{"signed, unknown field", field("deep", arrays), false, signed(field("deep", arrays))},
		{"signed, unknown field of maps", field("deep", maps), false, signed(field("deep", maps))},
		{"signed, known field of values at the limit", field("tags", wide), true, signed(field("tags", wide))},
		{"signed, unknown field of values at the limit", field("deep", wide), true, signed(field("deep", wide))},
		{"signed, millions of fields", v1(many...), false, signed(v1(many...))},
	}
}
