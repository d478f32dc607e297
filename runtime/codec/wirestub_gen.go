package codec

// TEMPORARY stand-in for the wire engineer's Writer and Reader (SPEC
// section 1), built on msgpack/v5, so that gen can compile before wire's
// [api-ready] commit. Deleted when that commit is merged.

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

const MaxElements = 1 << 18

var ErrTooWide = errors.New("too wide")

type Writer struct {
	buf *bytes.Buffer
	enc *msgpack.Encoder
	err error
}

func NewWriter(buf []byte) Writer {
	b := bytes.NewBuffer(buf)
	return Writer{buf: b, enc: msgpack.NewEncoder(b)}
}
func (w *Writer) do(err error) {
	if w.err == nil {
		w.err = err
	}
}
func (w *Writer) Nil()              { w.do(w.enc.EncodeNil()) }
func (w *Writer) Bool(v bool)       { w.do(w.enc.EncodeBool(v)) }
func (w *Writer) Int(v int64)       { w.do(w.enc.EncodeInt(v)) }
func (w *Writer) Uint(v uint64)     { w.do(w.enc.EncodeUint(v)) }
func (w *Writer) Float32(v float32) { w.do(w.enc.EncodeFloat32(v)) }
func (w *Writer) Float64(v float64) { w.do(w.enc.EncodeFloat64(v)) }
func (w *Writer) Str(v string)      { w.do(w.enc.EncodeString(v)) }
func (w *Writer) Bin(v []byte)      { w.do(w.enc.EncodeBytes(v)) }
func (w *Writer) Time(v time.Time)  { w.do(w.enc.EncodeTime(v)) }
func (w *Writer) ArrayLen(n int)    { w.do(w.enc.EncodeArrayLen(n)) }
func (w *Writer) MapLen(n int)      { w.do(w.enc.EncodeMapLen(n)) }
func (w *Writer) Key(s string)      { w.Str(s) }
func (w *Writer) Raw(b []byte)      { w.buf.Write(b) }
func (w *Writer) Custom(v msgpack.CustomEncoder) {
	if w.err == nil {
		w.do(v.EncodeMsgpack(w.enc))
	}
}
func (w *Writer) Fail(err error) { w.do(err) }
func (w *Writer) Err() error     { return w.err }
func (w *Writer) Bytes() []byte  { return w.buf.Bytes() }

type Reader struct {
	b   []byte
	r   *bytes.Reader
	dec *msgpack.Decoder
	err error
}

func NewReader(b []byte) Reader {
	r := bytes.NewReader(b)
	return Reader{b: b, r: r, dec: msgpack.NewDecoder(r)}
}
func (r *Reader) do(err error) bool {
	if r.err == nil && err != nil {
		r.err = err
	}
	return r.err == nil
}
func rd[T any](r *Reader, f func() (T, error)) T {
	var zero T
	if r.err != nil {
		return zero
	}
	v, err := f()
	if !r.do(err) {
		return zero
	}
	return v
}
func (r *Reader) Nil() bool {
	if r.err != nil {
		return false
	}
	c, err := r.dec.PeekCode()
	if err != nil || c != 0xc0 {
		return false
	}
	r.do(r.dec.DecodeNil())
	return true
}
func (r *Reader) Bool() bool         { return rd(r, r.dec.DecodeBool) }
func (r *Reader) Int() int64         { return rd(r, r.dec.DecodeInt64) }
func (r *Reader) Uint() uint64       { return rd(r, r.dec.DecodeUint64) }
func (r *Reader) Float32() float32   { return rd(r, r.dec.DecodeFloat32) }
func (r *Reader) Float64() float64   { return rd(r, r.dec.DecodeFloat64) }
func (r *Reader) Str() string        { return rd(r, r.dec.DecodeString) }
func (r *Reader) Bin() []byte        { return rd(r, func() ([]byte, error) { return ReadBytes(r.dec) }) }
func (r *Reader) Time() time.Time    { return rd(r, r.dec.DecodeTime).UTC() }
func (r *Reader) ArrayLen(depth int) int {
	if r.err != nil || !r.do(Enter(depth+1)) {
		return 0
	}
	return rd(r, r.dec.DecodeArrayLen)
}
func (r *Reader) MapLen(depth int) int {
	if r.err != nil || !r.do(Enter(depth+1)) {
		return 0
	}
	return rd(r, r.dec.DecodeMapLen)
}
func (r *Reader) Key() []byte {
	var buf [64]byte
	k := rd(r, func() ([]byte, error) { return ReadKey(r.dec, buf[:]) })
	return slices.Clone(k)
}
func (r *Reader) Skip(depth int) { r.do(Skip(r.dec, depth)) }
func (r *Reader) Raw(depth int) []byte {
	start := len(r.b) - r.r.Len()
	r.Skip(depth)
	if r.err != nil {
		return nil
	}
	return r.b[start : len(r.b)-r.r.Len()]
}
func (r *Reader) Custom(v msgpack.CustomDecoder, depth int) {
	if r.err == nil {
		r.do(v.DecodeMsgpack(r.dec))
	}
}
func (r *Reader) Fail(err error) { r.do(err) }
func (r *Reader) Err() error     { return r.err }
func (r *Reader) Len() int       { return r.r.Len() }
func (r *Reader) Done() error {
	if r.err != nil {
		return r.err
	}
	if r.r.Len() > 0 {
		return ErrMalformed
	}
	return nil
}
func DecodeRawValue(dec *msgpack.Decoder) ([]byte, error) {
	raw, err := dec.DecodeRaw()
	return []byte(raw), err
}

func AppendSlice[E any](w *Writer, s []E, elem func(*Writer, E)) {
	if s == nil {
		w.Nil()
		return
	}
	w.ArrayLen(len(s))
	for _, e := range s {
		elem(w, e)
	}
}
func ReadSlice[E any](r *Reader, depth int, elem func(*Reader, int) E) []E {
	n := r.ArrayLen(depth)
	if n < 0 || r.err != nil {
		return nil
	}
	s := make([]E, 0, min(n, 256))
	for range n {
		s = append(s, elem(r, depth+1))
	}
	return s
}
func AppendMap[K cmp.Ordered, V any](w *Writer, m map[K]V, key func(*Writer, K), val func(*Writer, V)) {
	if m == nil {
		w.Nil()
		return
	}
	w.MapLen(len(m))
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		key(w, k)
		val(w, m[k])
	}
}
func ReadMap[K comparable, V any](r *Reader, depth int, key func(*Reader) K, val func(*Reader, int) V) map[K]V {
	n := r.MapLen(depth)
	if n < 0 || r.err != nil {
		return nil
	}
	m := make(map[K]V, min(n, 256))
	for range n {
		k := key(r)
		m[k] = val(r, depth+1)
	}
	return m
}
func AppendPtr[E any](w *Writer, p *E, elem func(*Writer, E)) {
	if p == nil {
		w.Nil()
		return
	}
	elem(w, *p)
}
func ReadPtr[E any](r *Reader, depth int, elem func(*Reader, int) E) *E {
	if r.Nil() {
		return nil
	}
	v := elem(r, depth)
	return &v
}
