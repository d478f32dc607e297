package basic

import (
	"runtime"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the generated decoders, which must
// return an error or a value, never panic. (codec.Decode recovers from
// panics as a last line of defence, so the decoders are called directly.)
func FuzzDecode(f *testing.F) {
	for _, v := range values() {
		data, err := v.MarshalMsgpack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{0xdf, 0xff, 0xff, 0xff, 0xff})                                 // map32 with 2^32-1 entries
	f.Add([]byte{0x81, 0xa4, 'c', 'a', 'r', 't', 0xdd, 0xff, 0xff, 0xff, 0xff}) // huge array
	f.Add([]byte{0x81, 0xdb, 0xff, 0xff, 0xff, 0xff})                           // key of 4 GiB
	for _, in := range hugeDeclared {
		f.Add(in)
	}
	for _, in := range deepInputs() {
		f.Add(in[:4096]) // deep enough for the limit; the fuzzer mutates short inputs
	}
	keys := visitorKeys()
	_, s := bound(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Visitor
		_ = v.UnmarshalMsgpack(data)
		if len(data) == 0 {
			return
		}
		known, _ := s.DecodeField([]byte(keys[int(data[0])%len(keys)]), data[1:])
		if !known {
			t.Fatalf("key %q not known", keys[int(data[0])%len(keys)])
		}
	})
}

// hugeDeclared are inputs the fuzzer found in which a few bytes declare a
// bin or string of gigabytes: a []byte or [N]byte field decoded with
// msgpack's DecodeBytes reserved that much before reading, and the fuzzing
// worker died of it. The first byte picks the field, as in FuzzDecode.
var hugeDeclared = [][]byte{
	{0x82, 0xc6, 0xff, 0xdc, 0xff, 0xff, 0xff, 0xc4}, // raw: bin32 of 4 GiB
	{0xf6, 0xdb, 0x30, 0x30, 0x82, 0x30},             // digest: str32 of 808 MB
	{0x81, 0xa3, 'r', 'a', 'w', 0xc6, 0xff, 0xff, 0xff, 0xff},
}

// TestHugeDeclaredLengths checks that decoding costs memory in proportion to
// the input, not to the lengths it declares. Bytes allocated are counted,
// not timed.
func TestHugeDeclaredLengths(t *testing.T) {
	keys := visitorKeys()
	_, s := bound(t)
	const limit = 1 << 20
	for _, in := range hugeDeclared {
		key := keys[int(in[0])%len(keys)]
		var errWhole, errField error
		n := bytesAllocated(func() {
			var v Visitor
			errWhole = v.UnmarshalMsgpack(in)
			_, errField = s.DecodeField([]byte(key), in[1:])
		})
		if errWhole == nil && errField == nil {
			t.Errorf("%x: decoded without error, want a truncation error", in)
		}
		if n > limit {
			t.Errorf("%x: %d bytes allocated, want at most %d", in, n, limit)
		}
	}
}

// TestRepeatedBadInputDoesNotAccumulate feeds UnmarshalMsgpack, many times,
// a value whose unknown key's string declares 2.6 GB. msgpack's Decoder
// grows its read buffer by up to a megabyte for such a string and keeps
// the growth; pooled, the same decoder grew with every call (a fuzzing
// worker reached 8 GB). Each decode may cost that megabyte, once.
func TestRepeatedBadInputDoesNotAccumulate(t *testing.T) {
	in := []byte{0x81, 0xa3, '0', '0', '0', 0xdb, 0x9a, 0x9a, 0x9a, 0x9a}
	const limit = 2 << 20
	for i := 0; i < 50; i++ {
		var err error
		n := bytesAllocated(func() {
			var v Visitor
			err = v.UnmarshalMsgpack(in)
		})
		if err == nil {
			t.Fatal("UnmarshalMsgpack accepted a truncated value")
		}
		if n > limit {
			t.Fatalf("decode %d of a %d-byte input allocated %d bytes, want at most %d", i+1, len(in), n, limit)
		}
	}
}

// bytesAllocated returns how many bytes of heap f allocates.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
