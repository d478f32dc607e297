package codec_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// readOp is one Reader read and the msgpack/v5 Decoder call that generated
// code made before Reader; on the same input they must both fail, or both
// succeed with the same value after the same number of bytes.
type readOp struct {
	name string
	ours func(*codec.Reader) any
	v5   func(*msgpack.Decoder) (any, error)
}

// v5of adapts a Decoder method to readOp.v5.
func v5of[T any](m func(*msgpack.Decoder) (T, error)) func(*msgpack.Decoder) (any, error) {
	return func(d *msgpack.Decoder) (any, error) { return m(d) }
}

var readOps = []readOp{
	{"Bool", func(r *codec.Reader) any { return r.Bool() }, v5of((*msgpack.Decoder).DecodeBool)},
	{"Int", func(r *codec.Reader) any { return int(r.Int()) }, v5of((*msgpack.Decoder).DecodeInt)},
	{"Int8", func(r *codec.Reader) any { return int8(r.Int()) }, v5of((*msgpack.Decoder).DecodeInt8)},
	{"Int16", func(r *codec.Reader) any { return int16(r.Int()) }, v5of((*msgpack.Decoder).DecodeInt16)},
	{"Int32", func(r *codec.Reader) any { return int32(r.Int()) }, v5of((*msgpack.Decoder).DecodeInt32)},
	{"Int64", func(r *codec.Reader) any { return r.Int() }, v5of((*msgpack.Decoder).DecodeInt64)},
	{"Uint", func(r *codec.Reader) any { return uint(r.Uint()) }, v5of((*msgpack.Decoder).DecodeUint)},
	{"Uint8", func(r *codec.Reader) any { return uint8(r.Uint()) }, v5of((*msgpack.Decoder).DecodeUint8)},
	{"Uint16", func(r *codec.Reader) any { return uint16(r.Uint()) }, v5of((*msgpack.Decoder).DecodeUint16)},
	{"Uint32", func(r *codec.Reader) any { return uint32(r.Uint()) }, v5of((*msgpack.Decoder).DecodeUint32)},
	{"Uint64", func(r *codec.Reader) any { return r.Uint() }, v5of((*msgpack.Decoder).DecodeUint64)},
	// Floats compare as bits, so that NaN equals itself.
	{"Float32", func(r *codec.Reader) any { return math.Float32bits(r.Float32()) }, func(d *msgpack.Decoder) (any, error) {
		f, err := d.DecodeFloat32()
		return math.Float32bits(f), err
	}},
	{"Float64", func(r *codec.Reader) any { return math.Float64bits(r.Float64()) }, func(d *msgpack.Decoder) (any, error) {
		f, err := d.DecodeFloat64()
		return math.Float64bits(f), err
	}},
	{"Str", func(r *codec.Reader) any { return r.Str() }, v5of((*msgpack.Decoder).DecodeString)},
	{"Bin", func(r *codec.Reader) any { return r.Bin() }, decodeBytes},
	{"Key", func(r *codec.Reader) any { return r.Key() }, decodeBytes},
	// Generated code took v5's time in UTC; ours must already be in UTC,
	// which String shows.
	{"Time", func(r *codec.Reader) any { return r.Time().String() }, func(d *msgpack.Decoder) (any, error) {
		t, err := d.DecodeTime()
		return t.UTC().String(), err
	}},
	{"Nil", func(r *codec.Reader) any { return r.Nil() }, func(d *msgpack.Decoder) (any, error) {
		// Nil never fails: it reports false and reads nothing.
		c, err := d.PeekCode()
		if err != nil || c != 0xc0 {
			return false, nil
		}
		return true, d.DecodeNil()
	}},
	{"ArrayLen", func(r *codec.Reader) any { return r.ArrayLen(0) }, func(d *msgpack.Decoder) (any, error) {
		n, err := d.DecodeArrayLen()
		return n, tooLong(d, n, err)
	}},
	{"MapLen", func(r *codec.Reader) any { return r.MapLen(0) }, func(d *msgpack.Decoder) (any, error) {
		n, err := d.DecodeMapLen()
		return n, tooLong(d, 2*n, err)
	}},
}

// wraps32 reports whether data starts with a 32-bit length that an int
// cannot hold on this platform: msgpack/v5 reads it as negative there (an
// array of 2³² - 1 elements as nil), where Reader refuses it.
func wraps32(data []byte) bool {
	return strconv.IntSize == 32 && len(data) > 1 && data[1]&0x80 != 0 &&
		bytes.IndexByte([]byte{0xc6, 0xc9, 0xdb, 0xdd, 0xdf}, data[0]) >= 0
}

// decodeBytes is Decoder.DecodeBytes, which allocates whatever length the
// input declares before it reads: a declared length longer than the input
// fails here first, as it would there, without taking gigabytes.
func decodeBytes(d *msgpack.Decoder) (any, error) {
	br := d.Buffered().(*bytes.Reader)
	rest := make([]byte, br.Len())
	_, _ = br.ReadAt(rest, br.Size()-int64(br.Len()))
	peek := bytes.NewReader(rest)
	if n, err := msgpack.NewDecoder(peek).DecodeBytesLen(); err == nil && n > peek.Len() {
		return []byte(nil), io.ErrUnexpectedEOF
	}
	return d.DecodeBytes()
}

// tooLong is the one way ArrayLen and MapLen differ from msgpack/v5 on
// purpose: a header that announces more values than bytes are left fails at
// once.
func tooLong(d *msgpack.Decoder, values int, err error) error {
	if err == nil && values > d.Buffered().(*bytes.Reader).Len() {
		return errors.New("more values than bytes left")
	}
	return err
}

// compareRead runs op on data with a Reader and with msgpack/v5.
func compareRead(t *testing.T, op readOp, data []byte) {
	t.Helper()
	if wraps32(data) {
		return
	}
	br := bytes.NewReader(data)
	want, wantErr := op.v5(msgpack.NewDecoder(br))
	r := codec.NewReader(data)
	got := op.ours(&r)
	switch {
	case wantErr != nil && r.Err() == nil:
		t.Fatalf("%s(% x) = %v, nil; msgpack/v5 fails: %v", op.name, clip(data), got, wantErr)
	case wantErr == nil && r.Err() != nil:
		t.Fatalf("%s(% x) fails: %v; msgpack/v5 reads %v", op.name, clip(data), r.Err(), want)
	case r.Err() != nil && !errors.Is(r.Err(), codec.ErrMalformed):
		t.Fatalf("%s(% x) fails with %v, which does not wrap ErrMalformed", op.name, clip(data), r.Err())
	case r.Err() != nil:
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s(% x): msgpack/v5 and Reader differ (-v5 +Reader):\n%s", op.name, clip(data), diff)
	}
	if r.Len() != br.Len() {
		t.Fatalf("%s(% x) left %d bytes, msgpack/v5 %d", op.name, clip(data), r.Len(), br.Len())
	}
}

// readInputs are inputs for every code msgpack has, at the edges of their
// sizes, complete and, if truncated is set, cut short at every byte.
func readInputs(t testing.TB, truncated bool) [][]byte {
	t.Helper()
	var in [][]byte
	for _, v := range []any{nil, true, false, 0, 1, 127, 128, 255, 256, 65536, int64(math.MaxInt64), uint64(math.MaxUint64),
		-1, -32, -33, -129, -32769, int64(math.MinInt64), float32(1.5), float32(math.NaN()), 2.5, math.Inf(-1), 1e300,
		"", "abc", string(make([]byte, 40)), string(make([]byte, 300)), []byte{}, []byte("xyz"), make([]byte, 300),
		[]int{}, []int{1, 2}, make([]int, 20), map[string]int{}, map[string]int{"a": 1}, []any{int64(5), int64(-7)},
		time.Unix(0, 0), time.Unix(1<<33, 5), time.Unix(-5, 1), time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC).Format(time.RFC3339Nano),
	} {
		b := mp(t, v)
		in = append(in, b)
		for n := range len(b) * boolInt(truncated) {
			in = append(in, b[:n])
		}
	}
	return append(in,
		[]byte{0xc1}, []byte{0xd6, 13, 0, 0, 0, 9}, []byte{0xd6, 5, 0, 0, 0, 9}, []byte{0xd5, 0xff, 0, 0},
		[]byte{0xc7, 12, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9}, []byte{0xc7, 3, 0xff, 1, 2, 3},
		[]byte{0xc8, 0, 4, 0xff, 0, 0, 0, 9}, []byte{0xd7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		[]byte{0xd4, 0x01, 0x81, 0x01, 0x02}, []byte{0xc7, 0x05, 0x01, 0x80}, // map headers behind an extension header
		[]byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01}, []byte{0xdf, 0, 0, 0, 1, 1, 2}, []byte{0xdf, 0, 0, 0, 1, 1},
		[]byte{0xda, 0, 2, 'h', 'i'}, []byte{0xdb, 0, 0, 0, 2, 'h', 'i'}, []byte{0xc5, 0, 1, 9}, []byte{0xc6, 0xff, 0xff, 0xff, 0xff, 9},
		[]byte{0xa5, 'n', 'o', 't', 'a', 't'}, []byte{0xce, 0xff, 0xff, 0xff, 0xff}, []byte{0xd2, 0x80, 0, 0, 0},
	)
}

func TestReaderMatchesMsgpack(t *testing.T) {
	for _, data := range readInputs(t, true) {
		for _, op := range readOps {
			compareRead(t, op, data)
		}
	}
}

// FuzzReader compares every Reader read with msgpack/v5's on arbitrary
// bytes.
func FuzzReader(f *testing.F) {
	for _, b := range readInputs(f, false) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, op := range readOps {
			compareRead(t, op, data)
		}
	})
}

func TestReaderErrorIsSticky(t *testing.T) {
	r := codec.NewReader([]byte{0x01, 0xa1, 'x', 0x02})
	if got := r.Int(); got != 1 {
		t.Fatalf("Int() = %d, want 1", got)
	}
	if got := r.Bool(); got || r.Err() == nil {
		t.Fatalf("Bool() on a string = %v, %v; want false and an error", got, r.Err())
	}
	first := r.Err()
	r.Fail(errSecond)
	if got := r.Int(); got != 0 || r.Err() != first || r.Done() != first {
		t.Fatalf("after an error Int() = %d, Err() = %v, Done() = %v; want 0 and the first error, %v", got, r.Err(), r.Done(), first)
	}
}

func TestReaderDone(t *testing.T) {
	tests := []struct {
		data []byte
		read func(*codec.Reader)
		err  error
	}{
		{[]byte{0x01}, func(r *codec.Reader) { r.Int() }, nil},
		{[]byte{0x01, 0x02}, func(r *codec.Reader) { r.Int() }, codec.ErrMalformed},
		{[]byte{}, func(r *codec.Reader) { r.Int() }, codec.ErrMalformed},
		{[]byte{0x91, 0x01}, func(r *codec.Reader) { r.Skip(0) }, nil},
	}
	for _, tt := range tests {
		r := codec.NewReader(tt.data)
		tt.read(&r)
		if err := r.Done(); !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("Done() after reading % x = %v, want %v", tt.data, err, tt.err)
		}
	}
}

func TestReaderDepth(t *testing.T) {
	for _, depth := range []int{0, codec.MaxDepth - 1, codec.MaxDepth} {
		for _, read := range []func(*codec.Reader, int){
			func(r *codec.Reader, d int) { r.ArrayLen(d) },
			func(r *codec.Reader, d int) { r.MapLen(d) },
		} {
			r := codec.NewReader([]byte{0xc0})
			read(&r, depth)
			if tooDeep := depth+1 > codec.MaxDepth; tooDeep != errors.Is(r.Err(), codec.ErrTooDeep) {
				t.Errorf("at depth %d: Err() = %v, want ErrTooDeep: %v", depth, r.Err(), tooDeep)
			}
		}
	}
}

func TestReaderCustom(t *testing.T) {
	r := codec.NewReader([]byte{0x92, 0x92, 0x03, 0xfc, 0x91, 0x01})
	r.ArrayLen(0)
	var p point
	r.Custom(&p, 1)
	if r.Err() != nil || p.x != 3 || p.y != -4 {
		t.Fatalf("Custom read %+v, %v; want {3 -4}", p, r.Err())
	}
	r.Custom(&p, 1)
	if !errors.Is(r.Err(), codec.ErrMalformed) {
		t.Fatalf("Custom of a one-element array: %v, want ErrMalformed", r.Err())
	}
	deep := codec.NewReader(nested(codec.MaxDepth, []byte{0x01}))
	deep.Custom(&p, 1)
	if !errors.Is(deep.Err(), codec.ErrTooDeep) {
		t.Fatalf("Custom of a value past the limit: %v, want ErrTooDeep", deep.Err())
	}
}

func ExampleReader() {
	w := codec.NewWriter(nil)
	w.MapLen(2)
	w.Key("name")
	w.Str("Ada")
	w.Key("visits")
	w.Int(42)

	r := codec.NewReader(w.Bytes())
	for range r.MapLen(0) {
		switch string(r.Key()) {
		case "name":
			fmt.Println("name:", r.Str())
		case "visits":
			fmt.Println("visits:", r.Int())
		default:
			r.Skip(1)
		}
	}
	if err := r.Done(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// name: Ada
	// visits: 42
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestZeroReaderAndWriter(t *testing.T) {
	var w codec.Writer
	w.Str("ok")
	if !bytes.Equal(w.Bytes(), []byte{0xa2, 'o', 'k'}) || w.Err() != nil {
		t.Errorf("zero Writer wrote % x, %v", w.Bytes(), w.Err())
	}
	var r codec.Reader
	if got := r.Str(); got != "" || !errors.Is(r.Err(), codec.ErrMalformed) || r.Len() != 0 {
		t.Errorf("zero Reader read %q, %v, with %d bytes left; want an ErrMalformed", got, r.Err(), r.Len())
	}
}
