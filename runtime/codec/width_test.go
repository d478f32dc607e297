package codec_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// big is a struct of 256 bytes, decoded from a map as generated code
// decodes structs.
type big struct {
	Name string
	Pad  [240]byte
}

func readBig(r *codec.Reader, depth int) (b big) {
	for range r.MapLen(depth) {
		switch string(r.Key()) {
		case "name":
			b.Name = r.Str()
		default:
			r.Skip(depth + 1)
		}
	}
	return b
}

func readStr(r *codec.Reader, _ int) string { return r.Str() }

func readStrs(r *codec.Reader, depth int) []string { return codec.ReadSlice(r, depth, readStr) }

// decoders of the types the hostile inputs are aimed at, each as generated
// code would read a field of that type.
var (
	readStrings = func(r *codec.Reader) { readStrs(r, 0) }
	readNested  = func(r *codec.Reader) { codec.ReadSlice(r, 0, readStrs) }
	readPtrs    = func(r *codec.Reader) {
		codec.ReadSlice(r, 0, func(r *codec.Reader, d int) *big { return codec.ReadPtr(r, d, readBig) })
	}
	readBigs   = func(r *codec.Reader) { codec.ReadSlice(r, 0, readBig) }
	readMap    = func(r *codec.Reader) { codec.ReadMap(r, 0, (*codec.Reader).Str, readStr) }
	readMapStr = func(r *codec.Reader) { codec.ReadMap(r, 0, (*codec.Reader).Str, readStrs) }
	// A struct of many fields, each of which the input fills up to what the
	// budget allows.
	readFields = func(r *codec.Reader) {
		for range r.MapLen(0) {
			r.Key()
			readStrs(r, 1)
		}
	}
)

// array32 returns an array header for n elements followed by n copies of
// elem, and map32 the same for a map of n entries.
func array32(n int, elem ...byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{0xdd}, uint32(n)), bytes.Repeat(elem, n)...)
}

func map32(n int, entry func(i int) []byte) []byte {
	b := binary.BigEndian.AppendUint32([]byte{0xdf}, uint32(n))
	for i := range n {
		b = append(b, entry(i)...)
	}
	return b
}

// tinyKey is a distinct 3-byte string key for each i < 65536, with a nil
// value.
func tinyKey(i int) []byte { return []byte{0xa2, byte(i >> 8), byte(i), 0xc0} }

// padded fills b up to 8 MiB with nils and ends it with the reserved code
// 0xc1, so that a decode that got through b reads on and fails at the end,
// having allocated all it could.
func padded(b []byte) []byte {
	pad := max(hostile-len(b)-1, 0)
	return append(append(b, bytes.Repeat([]byte{0xc0}, pad)...), 0xc1)
}

// TestWidthBudget checks that 8 MiB inputs made to cost memory, decoded
// into the types they aim at, are refused with an error wrapping
// ErrMalformed having allocated less than 64 MB: wide ones as soon as
// their header is read, the widest within the budget (MaxElements) at the
// end. It counts bytes allocated; timings are not reliable on a shared
// machine.
func TestWidthBudget(t *testing.T) {
	const budget = 64 << 20
	n := hostile / 2 // elements in an 8 MiB input of 2-byte elements
	tests := []struct {
		name string
		data []byte
		read func(*codec.Reader)
		err  error
	}{
		{"empty strings", array32(hostile-5, 0xa0), readStrings, codec.ErrTooWide},
		{"empty strings, up to the budget", padded(array32(codec.MaxElements, 0xa0)), readStrings, codec.ErrMalformed},
		{"empty arrays", array32(hostile-5, 0x90), readNested, codec.ErrTooWide},
		{"empty arrays, up to the budget", padded(array32(codec.MaxElements/2, 0x90)), readNested, codec.ErrMalformed},
		{"arrays of empty strings, up to the budget", padded(array32(codec.MaxElements/4, 0x91, 0xa0)), readNested, codec.ErrMalformed},
		{"nils into pointers", array32(hostile-5, 0xc0), readPtrs, codec.ErrTooWide},
		{"empty structs into pointers", array32(hostile-5, 0x80), readPtrs, codec.ErrTooWide},
		{"empty structs into pointers, up to the budget", padded(array32(codec.MaxElements/17, 0x80)), readPtrs, codec.ErrMalformed},
		{"empty structs", array32(hostile-5, 0x80), readBigs, codec.ErrTooWide},
		{"empty structs, up to the budget", padded(array32(codec.MaxElements/16, 0x80)), readBigs, codec.ErrMalformed},
		{"map of tiny keys", map32(n/2, func(i int) []byte { return tinyKey(i % 65536) }), readMap, codec.ErrTooWide},
		{"map of tiny keys, up to the budget", padded(map32(codec.MaxElements/5, tinyKey)), readMap, codec.ErrMalformed},
		{"map of empty arrays", map32(n/2, func(i int) []byte { return append(tinyKey(i % 65536)[:3], 0x90) }), readMapStr, codec.ErrTooWide},
		{"fields of empty strings", map32(2048, func(int) []byte { return append([]byte{0xa1, 'f'}, array32(4096, 0xa0)...) }), readFields, codec.ErrTooWide},
		{"one string per byte", array32(hostile/2, 0xa1, 'x'), readStrings, codec.ErrTooWide},
		{"strings of 2 bytes, up to the budget", padded(array32(codec.MaxElements, 0xa2, 'x', 'y')), readStrings, codec.ErrMalformed},
		{"strings of 17 bytes, up to the budget", padded(map32(codec.MaxElements/5/18, func(i int) []byte {
			return append(tinyKey(i)[:3], array32(80, append([]byte{0xb1}, bytes.Repeat([]byte{'s'}, 17)...)...)...)
		})), readMapStr, codec.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) < hostile-16 {
				t.Fatalf("input of %d bytes, want 8 MiB", len(tt.data))
			}
			var err error
			alloc := bytesAllocated(func() {
				r := codec.NewReader(tt.data)
				tt.read(&r)
				err = r.Done()
			})
			if !errors.Is(err, tt.err) {
				t.Errorf("decoding = %v, want %v", err, tt.err)
			}
			if alloc > budget {
				t.Errorf("decoding %d bytes allocated %d MiB, want less than %d", len(tt.data), alloc>>20, budget>>20)
			}
			t.Logf("%d KiB allocated", alloc>>10)
			// The same through DecodeRawValue, as a generated DecodeMsgpack
			// reads it: the value is copied, then read. Padded inputs
			// succeed here, the padding being after the value.
			alloc = bytesAllocated(func() {
				var b []byte
				if b, err = codec.DecodeRawValue(msgpack.NewDecoder(bytes.NewReader(tt.data))); err == nil {
					r := codec.NewReader(b)
					tt.read(&r)
					err = r.Done()
				}
			})
			if err != nil && !errors.Is(err, codec.ErrMalformed) {
				t.Errorf("through DecodeRawValue: %v, which does not wrap ErrMalformed", err)
			}
			t.Logf("%d KiB allocated through DecodeRawValue", alloc>>10)
			if alloc > budget {
				t.Errorf("through DecodeRawValue, decoding %d bytes allocated %d MiB, want less than %d", len(tt.data), alloc>>20, budget>>20)
			}
		})
	}
}

// TestWidthBudgetAdmits checks that the budget admits a value of
// MaxElements small elements, and counts across one Reader.
func TestWidthBudgetAdmits(t *testing.T) {
	r := codec.NewReader(array32(codec.MaxElements, 0x01))
	if got := codec.ReadSlice(&r, 0, func(r *codec.Reader, _ int) int64 { return r.Int() }); len(got) != codec.MaxElements || r.Done() != nil {
		t.Fatalf("read %d elements, %v; want %d", len(got), r.Err(), codec.MaxElements)
	}
	two := append([]byte{0x92}, append(array32(codec.MaxElements/2, 0x01), array32(codec.MaxElements/2+1, 0x01)...)...)
	r = codec.NewReader(two)
	for range r.ArrayLen(0) {
		codec.ReadSlice(&r, 1, func(r *codec.Reader, _ int) int64 { return r.Int() })
	}
	if !errors.Is(r.Err(), codec.ErrTooWide) {
		t.Fatalf("two arrays of half the budget and one more: %v, want ErrTooWide", r.Err())
	}
}

// TestWidthBudgetAcrossReset checks that a Reader reused with Reset for
// the fields of one record, as lazily decoded sessions read them, bounds
// them together: 8 MiB of fields each filled up to the budget cost what
// one does, and the second one is refused.
func TestWidthBudgetAcrossReset(t *testing.T) {
	const budget = 64 << 20
	field := array32(codec.MaxElements, 0xa0)
	var errs []error
	var r codec.Reader
	alloc := bytesAllocated(func() {
		for range hostile / len(field) {
			r.Reset(field)
			readStrings(&r)
			errs = append(errs, r.Done())
		}
	})
	if len(errs) < 2 || errs[0] != nil || !errors.Is(errs[1], codec.ErrTooWide) {
		t.Fatalf("fields decoded with errors %v, want the first to succeed and the second ErrTooWide", errs[:min(len(errs), 2)])
	}
	if alloc > budget {
		t.Errorf("decoding %d fields of %d bytes allocated %d MiB, want less than %d", len(errs), len(field), alloc>>20, budget>>20)
	}
	r.Reset([]byte{0x01})
	if got := r.Int(); got != 1 || r.Done() != nil {
		t.Errorf("after Reset: Int() = %d, Done() = %v; want 1, nil", got, r.Done())
	}
}
