package codec_test

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// FuzzReaderValues feeds arbitrary bytes to decoders of composite types
// written as generated code writes them, and to Raw and DecodeRawValue.
// Nothing may panic; every error must wrap ErrMalformed; whatever decodes
// must survive a round trip; Raw and DecodeRawValue must take the bytes
// msgpack/v5's DecodeRaw takes.
func FuzzReaderValues(f *testing.F) {
	for _, s := range [][]byte{
		{0x83, 0xa5, 'l', 'i', 'n', 'e', 's', 0x91, 0x82, 0xa3, 's', 'k', 'u', 0xa1, 'A', 0xa3, 'q', 't', 'y', 0x02,
			0xa6, 'c', 'o', 'u', 'n', 't', 's', 0x81, 0xa1, '/', 0x03, 0xa5, 'o', 'w', 'n', 'e', 'r', 0xa3, 'a', 'd', 'a'},
		{0x81, 0xa5, 'l', 'i', 'n', 'e', 's', 0xdc, 0xff, 0xff, 0x80},
		nested(300, []byte{0x01}), {0xd4, 0x01, 0x81, 0x01, 0x02}, {0x92, 0xc1, 0x01},
	} {
		f.Add(s)
	}
	for _, c := range rawCases {
		if len(c.data) < 1024 {
			f.Add(c.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTripCart(t, data)
		for _, read := range []func(*codec.Reader){readStrings, readNested, readPtrs, readBigs, readMap, readMapStr, readFields} {
			r := codec.NewReader(data)
			read(&r)
			if err := r.Done(); err != nil && !errors.Is(err, codec.ErrMalformed) {
				t.Fatalf("decoding % x: %v, which does not wrap ErrMalformed", clip(data), err)
			}
		}
		compareRaw(t, data)
	})
}

func roundTripCart(t *testing.T, data []byte) {
	r := codec.NewReader(data)
	c := readCart(&r, 0)
	if err := r.Done(); err != nil {
		if !errors.Is(err, codec.ErrMalformed) {
			t.Fatalf("readCart(% x): %v, which does not wrap ErrMalformed", clip(data), err)
		}
		return
	}
	w := codec.NewWriter(nil)
	appendCart(&w, c)
	r2 := codec.NewReader(w.Bytes())
	c2 := readCart(&r2, 0)
	if err := r2.Done(); err != nil {
		t.Fatalf("re-encoded cart % x does not decode: %v", w.Bytes(), err)
	}
	if diff := cmp.Diff(c, c2); diff != "" {
		t.Fatalf("round trip of % x changed the cart (-first +second):\n%s", clip(data), diff)
	}
}

// compareRaw checks Raw and DecodeRawValue against msgpack/v5's DecodeRaw,
// which recurses: it is called only on small inputs, or where Raw found a
// value within the depth limit.
func compareRaw(t *testing.T, data []byte) {
	r := codec.NewReader(data)
	raw := r.Raw(0)
	for _, in := range []*msgpack.Decoder{
		msgpack.NewDecoder(bytes.NewReader(data)),
		msgpack.NewDecoder(iotest.OneByteReader(bytes.NewReader(data))),
	} {
		got, err := codec.DecodeRawValue(in)
		if !bytes.Equal(got, raw) || (err == nil) != (r.Err() == nil) {
			t.Fatalf("DecodeRawValue(% x) = % x, %v; Raw % x, %v", clip(data), clip(got), err, clip(raw), r.Err())
		}
	}
	// On a 32-bit platform msgpack/v5 reads lengths past math.MaxInt32 as
	// negative, and so as empty, where Raw refuses them.
	if errors.Is(r.Err(), codec.ErrTooDeep) || r.Err() != nil && len(data) > 64<<10 || strconv.IntSize == 32 {
		return
	}
	want, err := msgpack.NewDecoder(bytes.NewReader(data)).DecodeRaw()
	switch {
	case err != nil && r.Err() == nil:
		t.Fatalf("Raw(% x) = % x; msgpack/v5 fails: %v", clip(data), clip(raw), err)
	case err == nil && r.Err() != nil:
		t.Fatalf("Raw(% x) fails: %v; msgpack/v5 reads % x", clip(data), r.Err(), clip(want))
	case err == nil && !bytes.Equal(raw, want):
		t.Fatalf("Raw(% x) = % x; msgpack/v5 reads % x", clip(data), clip(raw), clip(want))
	}
}
