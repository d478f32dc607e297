package codec

import (
	"fmt"
	"math"
	"slices"
)

// Writer appends msgpack values to a byte slice. Generated code encodes
// with it: each method appends one value, or one header, and nothing
// reports an error, so that a struct's encoder is one line per field.
//
// The bytes are exactly those msgpack/v5's Encoder writes with its default
// options for the matching EncodeX method (integers in their most compact
// form, the time extension -1 of 4, 8 or 12 bytes), so records written
// before and after the change are the same bytes.
//
// A Writer's error is sticky: only Custom and Fail set it, the first one is
// kept, and every later call does nothing. The zero Writer is ready to use
// and appends to a nil slice.
type Writer struct {
	buf   []byte
	err   error
	marks *[]fieldMark // where EndField marks fields, in a version 2 Encode only
}

// NewWriter returns a Writer that appends to buf.
func NewWriter(buf []byte) Writer { return Writer{buf: buf} }

// Bytes returns buf, as given to NewWriter, with everything written so far
// appended.
func (w *Writer) Bytes() []byte { return w.buf }

// Err returns the first error recorded by Custom or Fail, or nil.
func (w *Writer) Err() error { return w.err }

// Fail records err as w's error, unless w already has one or err is nil.
// Every later call does nothing.
func (w *Writer) Fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// Nil appends msgpack nil.
func (w *Writer) Nil() { w.byte1(0xc0) }

// Bool appends true or false.
func (w *Writer) Bool(v bool) {
	c := byte(0xc2)
	if v {
		c = 0xc3
	}
	w.byte1(c)
}

// Int appends n in the fewest bytes msgpack allows, as Encoder.EncodeInt:
// a non-negative n as by Uint. The common 0 to 127 is one byte appended
// without a further call.
func (w *Writer) Int(n int64) {
	if n>>7 != 0 { // not 0 to 127
		w.intSlow(n)
	} else {
		w.byte1(byte(n)) // positive fixint
	}
}

// intSlow is Int for n outside 0 to 127.
func (w *Writer) intSlow(n int64) {
	switch {
	case n >= 0:
		w.uintSlow(uint64(n))
	case n >= -32:
		w.byte1(byte(n)) // negative fixint
	case n >= math.MinInt8:
		w.code(0xd0, byte(n))
	case n >= math.MinInt16:
		w.be16(0xd1, uint16(n))
	case n >= math.MinInt32:
		w.be32(0xd2, uint32(n))
	default:
		w.be64(0xd3, uint64(n))
	}
}

// Uint appends n in the fewest bytes msgpack allows, as Encoder.EncodeUint.
// It is small enough to be inlined: 0 to 127, the common case, is one byte
// appended in place.
func (w *Writer) Uint(n uint64) {
	if n > math.MaxInt8 {
		w.uintSlow(n)
	} else {
		w.byte1(byte(n)) // positive fixint
	}
}

// uintSlow is Uint for n past 127.
func (w *Writer) uintSlow(n uint64) {
	switch {
	case n <= math.MaxInt8:
		w.byte1(byte(n))
	case n <= math.MaxUint8:
		w.code(0xcc, byte(n))
	case n <= math.MaxUint16:
		w.be16(0xcd, uint16(n))
	case n <= math.MaxUint32:
		w.be32(0xce, uint32(n))
	default:
		w.be64(0xcf, n)
	}
}

// Float32 appends a msgpack float 32.
func (w *Writer) Float32(v float32) { w.be32(0xca, math.Float32bits(v)) }

// Float64 appends a msgpack float 64.
func (w *Writer) Float64(v float64) { w.be64(0xcb, math.Float64bits(v)) }

// Str appends a msgpack string. A short one (a fixstr, under 32 bytes:
// keys, most values) is reserved and copied at once.
func (w *Writer) Str(s string) {
	if len(s) < 32 && w.err == nil {
		b := w.tail(1 + len(s))
		b[0] = 0xa0 | byte(len(s))
		copy(b[1:], s)
		return
	}
	w.strSlow(s)
}

// strSlow is Str for strings of 32 bytes or more, and after an error.
func (w *Writer) strSlow(s string) {
	n := len(s)
	switch {
	case n < 32:
		w.byte1(0xa0 | byte(n))
	case n <= math.MaxUint8:
		w.code(0xd9, byte(n))
	default:
		w.size(0xda, n)
	}
	if w.err == nil {
		copy(w.tail(len(s)), s)
	}
}

// Key appends a map key; it is Str, named for what the generated code
// writes with it.
func (w *Writer) Key(s string) { w.Str(s) }

// Bin appends a msgpack bin value, or nil for a nil slice (not for an empty
// one), as Encoder.EncodeBytes.
func (w *Writer) Bin(b []byte) {
	switch n := len(b); {
	case b == nil:
		w.Nil()
		return
	case n <= math.MaxUint8:
		w.code(0xc4, byte(n))
	default:
		w.size(0xc5, n)
	}
	if w.err == nil {
		copy(w.tail(len(b)), b)
	}
}

// ArrayLen appends the header of an array of n values, which the caller
// appends next.
func (w *Writer) ArrayLen(n int) {
	if n < 16 {
		w.byte1(0x90 | byte(n))
		return
	}
	w.size(0xdc, n)
}

// MapLen appends the header of a map of n entries: the caller appends n
// keys, each followed by its value.
func (w *Writer) MapLen(n int) {
	if n < 16 {
		w.byte1(0x80 | byte(n))
		return
	}
	w.size(0xde, n)
}

// Lit appends lit, msgpack already encoded, as it is. Generated code
// writes each key of a struct this way, as a constant holding the key's
// string header and then the key ("\xa3" + "sku"): a copy of a few bytes,
// where Key works the header out on every call.
func (w *Writer) Lit(lit string) {
	if w.err == nil {
		w.buf = append(w.buf, lit...) // stores only the length unless buf grows
	}
}

// Raw appends b, which must be one complete msgpack value (a raw field
// kept as loaded, for instance), as it is.
func (w *Writer) Raw(b []byte) {
	if w.err == nil {
		w.buf = append(w.buf, b...)
	}
}

// byte1 appends the one byte c, unless w has an error. It is small
// enough to be inlined, and so are the methods that call it for their
// one-byte forms (fixint, fixmap, nil, bool).
func (w *Writer) byte1(c byte) {
	if w.err == nil {
		w.buf = append(w.buf, c) // stores only the length unless buf grows
	}
}

// code appends the two bytes c and b, unless w has an error.
func (w *Writer) code(c, b byte) {
	if w.err == nil {
		w.buf = append(w.buf, c, b)
	}
}

// tail extends buf by n bytes and returns them, to be filled. Unless buf
// must grow, it only reslices buf, which stores its length and no pointer:
// a Writer on the heap (generated code's escape through func values) then
// pays no GC write barrier per value, as append's store would.
func (w *Writer) tail(n int) []byte {
	l := len(w.buf)
	if cap(w.buf)-l < n {
		w.buf = slices.Grow(w.buf, n)
	}
	w.buf = w.buf[:l+n]
	return w.buf[l:]
}

// be16, be32 and be64 append code followed by v, big-endian: the integer
// and length headers. Each is one in-place append, small enough to be
// inlined.
func (w *Writer) be16(code byte, v uint16) {
	if w.err == nil {
		w.buf = append(w.buf, code, byte(v>>8), byte(v))
	}
}

func (w *Writer) be32(code byte, v uint32) {
	if w.err == nil {
		w.buf = append(w.buf, code, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
}

func (w *Writer) be64(code byte, v uint64) {
	if w.err == nil {
		w.buf = append(w.buf, code, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
			byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
}

// size appends the 16-bit header code16 with length n, or the 32-bit one
// after it in msgpack's table when n does not fit 16 bits. A length past 32
// bits is cut to 32, as msgpack/v5 does (no session value is 4 GiB).
func (w *Writer) size(code16 byte, n int) {
	if n <= math.MaxUint16 {
		w.be16(code16, uint16(n))
		return
	}
	w.be32(code16+1, uint32(n))
}

// Len returns the number of bytes in Bytes: where the next value starts,
// to pass to Check.
func (w *Writer) Len() int { return len(w.buf) }

// Check records an error wrapping ErrMalformed, ErrTooDeep for a value too
// deep, unless what w has written from offset start on is one complete
// msgpack value whose arrays and maps nest at most MaxDepth deep: what
// Decode accepts as a field's value. A Fields checks each value it encodes
// afresh with it (see Fields.EncodeFields); it walks that value only, at a
// few nanoseconds per nested value.
func (w *Writer) Check(start int) {
	if w.err != nil {
		return
	}
	if start < 0 || start > len(w.buf) {
		w.Fail(fmt.Errorf("%w: Check(%d) outside the %d bytes written", ErrMalformed, start, len(w.buf)))
		return
	}
	w.Fail(checkValue(w.buf[start:]))
}
