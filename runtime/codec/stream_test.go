package codec_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// TestEncoderReuse checks that an Encoder from the pool starts empty and
// with msgpack's default options, whatever its previous user wrote or set.
func TestEncoderReuse(t *testing.T) {
	big := strings.Repeat("x", 4096)
	wantSmall, err := msgpack.Marshal(int64(1))
	if err != nil {
		t.Fatal(err)
	}
	// Several rounds, because the pool may drop an Encoder (it does at random
	// under the race detector); most rounds reuse one.
	for i := 0; i < 20; i++ {
		e := codec.GetEncoder()
		if n := len(e.Bytes()); n != 0 {
			t.Fatalf("round %d: GetEncoder holds %d bytes, want 0", i, n)
		}
		e.Msgpack().UseCompactInts(true)
		if err := e.Msgpack().EncodeString(big); err != nil {
			t.Fatal(err)
		}
		e.Release()

		e = codec.GetEncoder()
		if err := e.Msgpack().Encode(int64(1)); err != nil {
			t.Fatal(err)
		}
		got := bytes.Clone(e.Bytes())
		e.Release()
		if diff := cmp.Diff(wantSmall, got); diff != "" {
			t.Fatalf("round %d: encoding after a big one with other options (-want +got):\n%s", i, diff)
		}
	}
}

// TestEncoderReleaseDropsBigBuffer checks an Encoder whose buffer grew past
// 64 KiB is not pooled, so one huge session does not pin its memory.
func TestEncoderReleaseDropsBigBuffer(t *testing.T) {
	e := codec.GetEncoder()
	if err := e.Msgpack().EncodeBytes(make([]byte, 100<<10)); err != nil {
		t.Fatal(err)
	}
	e.Release()
	// Holding on to what the pool hands out drains it, so this would meet e
	// again had Release pooled it.
	var held []*codec.Encoder
	defer func() {
		for _, h := range held {
			h.Release()
		}
	}()
	for i := 0; i < 100; i++ {
		got := codec.GetEncoder()
		held = append(held, got)
		if got == e {
			t.Fatalf("GetEncoder returned the encoder with a %d KiB buffer", 100)
		}
	}
}

// TestDecoderReuse checks that a Decoder from the pool reads only the data it
// was given, with msgpack's default options, whatever its previous user read
// or set.
func TestDecoderReuse(t *testing.T) {
	first := mp(t, []any{strings.Repeat("x", 4096), 1, 2, 3})
	second := []byte{0x05}
	for i := 0; i < 20; i++ {
		d := codec.GetDecoder(first)
		d.Msgpack().UseLooseInterfaceDecoding(true)
		if _, err := d.Msgpack().DecodeArrayLen(); err != nil {
			t.Fatal(err)
		}
		// Leave the rest unread: the next user must not see it.
		d.Done(nil)

		d = codec.GetDecoder(second)
		var got any
		if err := d.Msgpack().Decode(&got); err != nil {
			t.Fatal(err)
		}
		// Loose decoding would give int64(5).
		if diff := cmp.Diff(any(int8(5)), got); diff != "" {
			t.Fatalf("round %d: decoding after another use (-want +got):\n%s", i, diff)
		}
		if v, err := d.Msgpack().DecodeInterface(); !errors.Is(err, io.EOF) {
			t.Fatalf("round %d: after the only value got %v, %v; want io.EOF", i, v, err)
		}
		d.Done(nil)
	}
}

// pooledAgain reports whether the pool hands out d again, holding on to
// what it hands out meanwhile so as to drain it. Only a false answer is
// certain: sync.Pool may drop what it was given (under the race detector it
// does at random), so a decoder that was pooled can still not come back.
func pooledAgain(d *codec.Decoder) bool {
	var held []*codec.Decoder
	defer func() {
		for _, h := range held {
			h.Done(nil)
		}
	}()
	for i := 0; i < 100; i++ {
		got := codec.GetDecoder([]byte{0x01})
		held = append(held, got)
		if got == d {
			return true
		}
	}
	return false
}

// TestDecoderDone checks that Done returns the outcome it was given and
// never pools a decoder that failed (msgpack may have grown its buffer for a
// length the input did not hold) or read more than 64 KiB. Which decoders
// Done may pool is TestDecoderReusable's: whether sync.Pool then keeps one
// is not for a test to rely on.
func TestDecoderDone(t *testing.T) {
	failure := errors.New("decode failed")
	for _, tt := range []struct {
		name        string
		data        []byte
		err         error
		mayBePooled bool
	}{
		{"succeeded", []byte{0x01}, nil, true},
		{"failed", []byte{0x01}, failure, false},
		{"read 100 KiB", mp(t, strings.Repeat("x", 100<<10)), nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := codec.GetDecoder(tt.data)
			if err := d.Done(tt.err); err != tt.err {
				t.Errorf("Done(%v) = %v, want its argument", tt.err, err)
			}
			if !tt.mayBePooled && pooledAgain(d) {
				t.Errorf("Done(%v) pooled the decoder of %d bytes", tt.err, len(tt.data))
			}
		})
	}
}
