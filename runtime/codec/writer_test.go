package codec_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// writerCases returns, for a value of each kind, the Writer call and the
// msgpack/v5 Encoder call that generated code made before Writer; their
// output must be the same bytes.
func writerCases(i int64, u uint64, f float64, s string, b []byte, t time.Time, n int) []writerCase {
	return []writerCase{
		{"Nil", func(w *codec.Writer) { w.Nil() }, func(e *msgpack.Encoder) error { return e.EncodeNil() }},
		{"Bool", func(w *codec.Writer) { w.Bool(i&1 == 1) }, func(e *msgpack.Encoder) error { return e.EncodeBool(i&1 == 1) }},
		{"Int", func(w *codec.Writer) { w.Int(i) }, func(e *msgpack.Encoder) error { return e.EncodeInt(i) }},
		{"Uint", func(w *codec.Writer) { w.Uint(u) }, func(e *msgpack.Encoder) error { return e.EncodeUint(u) }},
		{"Float32", func(w *codec.Writer) { w.Float32(float32(f)) }, func(e *msgpack.Encoder) error { return e.EncodeFloat32(float32(f)) }},
		{"Float64", func(w *codec.Writer) { w.Float64(f) }, func(e *msgpack.Encoder) error { return e.EncodeFloat64(f) }},
		{"Str", func(w *codec.Writer) { w.Str(s) }, func(e *msgpack.Encoder) error { return e.EncodeString(s) }},
		{"Key", func(w *codec.Writer) { w.Key(s) }, func(e *msgpack.Encoder) error { return e.EncodeString(s) }},
		{"Bin", func(w *codec.Writer) { w.Bin(b) }, func(e *msgpack.Encoder) error { return e.EncodeBytes(b) }},
		{"Time", func(w *codec.Writer) { w.Time(t) }, func(e *msgpack.Encoder) error { return e.EncodeTime(t) }},
		{"ArrayLen", func(w *codec.Writer) { w.ArrayLen(n) }, func(e *msgpack.Encoder) error { return e.EncodeArrayLen(n) }},
		{"MapLen", func(w *codec.Writer) { w.MapLen(n) }, func(e *msgpack.Encoder) error { return e.EncodeMapLen(n) }},
	}
}

type writerCase struct {
	name string
	ours func(*codec.Writer)
	v5   func(*msgpack.Encoder) error
}

// checkWriter compares the bytes of one case, appended after a prefix to
// show that the Writer appends.
func checkWriter(t *testing.T, c writerCase) {
	t.Helper()
	var want bytes.Buffer
	if err := c.v5(msgpack.NewEncoder(&want)); err != nil {
		t.Fatalf("%s: msgpack: %v", c.name, err)
	}
	w := codec.NewWriter([]byte("prefix"))
	c.ours(&w)
	if w.Err() != nil {
		t.Fatalf("%s: Err() = %v", c.name, w.Err())
	}
	if got, ok := bytes.CutPrefix(w.Bytes(), []byte("prefix")); !ok || !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("%s wrote % x, msgpack/v5 % x", c.name, w.Bytes(), want.Bytes())
	}
}

// TestWriterMatchesMsgpack checks each Writer method against msgpack/v5 at
// the edges of every encoding size.
func TestWriterMatchesMsgpack(t *testing.T) {
	ints := []int64{0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
		-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64}
	uints := []uint64{0, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64}
	floats := []float64{0, math.Copysign(0, -1), 1.5, -2.25, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.NaN(), 1e39}
	var strs []string
	for _, n := range []int{0, 1, 31, 32, 255, 256, 65535, 65536} {
		strs = append(strs, strings.Repeat("é", n/2)+strings.Repeat("x", n%2))
	}
	bins := [][]byte{nil, {}, {1}, bytes.Repeat([]byte{7}, 255), bytes.Repeat([]byte{7}, 256), bytes.Repeat([]byte{7}, 65536)}
	times := []time.Time{{}, time.Unix(0, 0), time.Unix(1<<32-1, 0), time.Unix(1<<32, 0), time.Unix(1<<34-1, 999999999),
		time.Unix(1<<34, 0), time.Unix(-1, 0), time.Unix(1_700_000_000, 5).In(time.FixedZone("x", 3600)),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}
	lens := []int{0, 1, 15, 16, 65535, 65536, math.MaxInt32}
	for k := range max(len(ints), len(uints), len(floats), len(strs), len(bins), len(times), len(lens)) {
		for _, c := range writerCases(ints[k%len(ints)], uints[k%len(uints)], floats[k%len(floats)], strs[k%len(strs)],
			bins[k%len(bins)], times[k%len(times)], lens[k%len(lens)]) {
			checkWriter(t, c)
		}
	}
}

// FuzzWriter checks every Writer method against msgpack/v5 on arbitrary
// values.
func FuzzWriter(f *testing.F) {
	f.Add(int64(-33), uint64(300), 1.5, "abc", []byte{1, 2}, int64(1<<34), int64(5), 16)
	f.Add(int64(math.MinInt64), uint64(math.MaxUint64), math.Inf(-1), strings.Repeat("x", 300), []byte{}, int64(-1), int64(-1), 65536)
	f.Fuzz(func(t *testing.T, i int64, u uint64, fl float64, s string, b []byte, sec, nsec int64, n int) {
		if len(b) == 0 && i&2 == 0 {
			b = nil // nil and empty bins differ
		}
		for _, c := range writerCases(i, u, fl, s, b, time.Unix(sec, nsec), n) {
			checkWriter(t, c)
		}
	})
}

func TestWriterRawAndCustom(t *testing.T) {
	w := codec.NewWriter(nil)
	w.ArrayLen(3)
	w.Raw([]byte{0xa1, 'x'})
	w.Lit("\xa2" + "yz")
	w.Custom(point{x: 3, y: -4})
	want := []byte{0x93, 0xa1, 'x', 0xa2, 'y', 'z', 0x92, 0x03, 0xfc}
	if w.Err() != nil || !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("wrote % x (%v), want % x", w.Bytes(), w.Err(), want)
	}
}

func TestWriterErrorIsSticky(t *testing.T) {
	w := codec.NewWriter(nil)
	w.Int(1)
	w.Custom(point{bad: true})
	w.Fail(errSecond)
	for _, c := range writerCases(300, 70000, 1.5, "after", []byte{1}, time.Unix(1<<40, 1), 20) {
		c.ours(&w) // each of the fast and the slow paths
	}
	for _, c := range writerCases(-1, 1, 0, strings.Repeat("x", 40), nil, time.Unix(1, 0), 1) {
		c.ours(&w)
	}
	w.Raw([]byte{0xc0})
	w.Lit("\xc0")
	w.Custom(point{x: 1, y: 2})
	if w.Err() != errPoint {
		t.Errorf("Err() = %v, want the first error, %v", w.Err(), errPoint)
	}
	if !bytes.Equal(w.Bytes(), []byte{0x01}) {
		t.Errorf("wrote % x after the error, want only 01", w.Bytes())
	}
}
