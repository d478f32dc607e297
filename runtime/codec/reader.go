package codec

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Reader reads msgpack values from a byte slice. Generated code decodes
// with it: each method reads one value, or one header, and returns it.
//
// Each read accepts exactly what the matching method of msgpack/v5's
// Decoder accepts and returns the same value (nil reads as 0, false or ""
// where msgpack does so; Int takes unsigned codes and Uint signed ones,
// converted as msgpack converts them); a time comes back in UTC.
//
// A Reader's error is sticky: the first error is kept, and every later call
// does nothing and returns a zero value, so that generated code checks once,
// at the end (Done). Every error a read reports wraps ErrMalformed.
//
// A Reader never panics, whatever its input, and never recurses: arrays and
// maps nest at most MaxDepth deep (callers pass the depth they are at), and
// the elements all array and map headers announce during one decode add up
// to at most MaxElements (see ErrTooWide). The zero Reader reads nothing.
type Reader struct {
	// b is the input and b[i:] what is left to read. Reads move i, not b:
	// a Reader often lives on the heap (generated code hands it to
	// functions), where every store of a slice would cost a write barrier
	// while the garbage collector runs.
	b     []byte
	i     int
	err   error
	width int // elements charged so far; see MaxElements
}

// NewReader returns a Reader of b. Key and Raw return slices of b, so b
// must not change while they are in use.
func NewReader(b []byte) Reader { return Reader{b: b} }

// Reset makes r read b from its start, with no error, but keeps the
// elements r has counted against MaxElements: a Reader reused, with Reset,
// for the fields of one record one after another bounds them together, as
// one decode, and needs no allocation of its own. Start afresh with a new
// Reader.
func (r *Reader) Reset(b []byte) { *r = Reader{b: b, width: r.width} }

// Err returns the first error of r, or nil.
func (r *Reader) Err() error { return r.err }

// Fail records err as r's error, unless r already has one or err is nil.
// Every later call does nothing, and Len reports 0. Generated code uses it
// for values that are well-formed msgpack but do not fit their Go type.
func (r *Reader) Fail(err error) {
	if r.err == nil && err != nil {
		r.err = err
		r.i = len(r.b) // nothing is left to read: later reads fail at once
	}
}

// Len returns the number of bytes left to read.
func (r *Reader) Len() int { return len(r.b) - r.i }

// Done returns r's error, or one wrapping ErrMalformed if bytes are left
// after what was read: the input was more than one value.
func (r *Reader) Done() error {
	if r.err == nil && r.Len() > 0 {
		r.failf("%d bytes after the value", r.Len())
	}
	return r.err
}

// Nil consumes a msgpack nil if it comes next and reports whether it did.
// It reads nothing otherwise, nor after an error.
func (r *Reader) Nil() bool {
	if r.err != nil || r.i >= len(r.b) || r.b[r.i] != 0xc0 {
		return false
	}
	r.i++
	return true
}

// Bool reads true, false or nil (false).
func (r *Reader) Bool() bool {
	switch c, ok := r.next(); {
	case !ok:
	case c == 0xc3:
		return true
	case c != 0xc2 && c != 0xc0:
		r.failf("code 0x%02x where a bool should be", c)
	}
	return false
}

// Int reads any msgpack integer, or nil (0), as Decoder.DecodeInt64: a
// uint64 beyond math.MaxInt64 wraps, as it does there. Generated code
// converts the result to narrower types the way msgpack's DecodeInt8 and
// the like do.
func (r *Reader) Int() int64 {
	if r.i < len(r.b) && (r.b[r.i] <= 0x7f || r.b[r.i] >= 0xe0) { // fixint, with no call
		r.i++
		return int64(int8(r.b[r.i-1]))
	}
	c, ok := r.next()
	if !ok {
		return 0
	}
	n, ok := r.number(c)
	if !ok {
		r.failf("code 0x%02x where an integer should be", c)
	}
	return n
}

// Uint reads any msgpack integer, or nil (0), as Decoder.DecodeUint64: a
// negative one wraps, as it does there.
func (r *Reader) Uint() uint64 {
	c, ok := r.next()
	if !ok {
		return 0
	}
	n, ok := r.number(c)
	if !ok {
		r.failf("code 0x%02x where an integer should be", c)
	}
	return uint64(n)
}

// Float32 reads a float 32, an integer or nil (0), as
// Decoder.DecodeFloat32; as there, a float 64 is refused.
func (r *Reader) Float32() float32 {
	c, ok := r.next()
	if !ok {
		return 0
	}
	if c == 0xca {
		b, _ := r.take(4)
		return math.Float32frombits(beUint32(b))
	}
	n, ok := r.number(c)
	if !ok {
		r.failf("code 0x%02x where a float32 should be", c)
	}
	return float32(n)
}

// Float64 reads a float 64, a float 32, an integer or nil (0), as
// Decoder.DecodeFloat64.
func (r *Reader) Float64() float64 {
	c, ok := r.next()
	switch {
	case !ok:
		return 0
	case c == 0xca:
		b, _ := r.take(4)
		return float64(math.Float32frombits(beUint32(b)))
	case c == 0xcb:
		b, _ := r.take(8)
		return math.Float64frombits(beUint64(b))
	}
	n, ok := r.number(c)
	if !ok {
		r.failf("code 0x%02x where a float64 should be", c)
	}
	return float64(n)
}

// number reads the integer that starts with code c as msgpack/v5 does, or
// reports that c starts no integer.
func (r *Reader) number(c byte) (int64, bool) {
	switch {
	case c <= 0x7f || c >= 0xe0: // fixints
		return int64(int8(c)), true
	case c == 0xc0:
		return 0, true
	case c >= 0xcc && c <= 0xcf: // uint 8, 16, 32, 64
		return int64(r.uint64N(1 << (c - 0xcc))), true
	case c >= 0xd0 && c <= 0xd3: // int 8, 16, 32, 64
		return r.intN(1 << (c - 0xd0)), true
	}
	return 0, false
}

// intN reads a big-endian signed integer of size bytes (1, 2, 4 or 8).
func (r *Reader) intN(size int) int64 {
	b, ok := r.take(size)
	switch {
	case !ok:
		return 0
	case size == 1:
		return int64(int8(b[0]))
	case size == 2:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case size == 4:
		return int64(int32(binary.BigEndian.Uint32(b)))
	}
	return int64(binary.BigEndian.Uint64(b))
}

// uint64N reads a big-endian unsigned integer of size bytes (1, 2, 4 or
// 8).
func (r *Reader) uint64N(size int) uint64 {
	b, ok := r.take(size)
	switch {
	case !ok:
		return 0
	case size == 1:
		return uint64(b[0])
	case size == 2:
		return uint64(binary.BigEndian.Uint16(b))
	case size == 4:
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

// uintN reads a length of size bytes (1, 2 or 4). A length that does not
// fit an int (past math.MaxInt32 on a 32-bit platform) is refused: no input
// is that long.
func (r *Reader) uintN(size int) (int, bool) {
	n := r.uint64N(size)
	if int(n) < 0 {
		r.failf("length %d", n)
	}
	return int(n), r.err == nil
}

// next reads one byte: the code that starts a value. It and take are
// small enough to be inlined; their failures go through short.
func (r *Reader) next() (byte, bool) {
	if r.i >= len(r.b) { // also after an error: see Fail
		return 0, r.short(1)
	}
	c := r.b[r.i]
	r.i++
	return c, true
}

// take reads n bytes, returned as a slice of the input whose capacity ends
// with them, so that appending to it cannot overwrite what follows.
func (r *Reader) take(n int) ([]byte, bool) {
	if uint(n) > uint(len(r.b)-r.i) { // n < 0 too; after an error nothing is left
		return nil, r.short(n)
	}
	b := r.b[r.i : r.i+n : r.i+n]
	r.i += n
	return b, true
}

// short records, unless r has failed already, that n bytes were wanted
// where fewer are left, and returns false.
func (r *Reader) short(n int) bool {
	if r.err == nil {
		r.failf("truncated: %d bytes wanted, %d left", n, r.Len())
	}
	return false
}

// failf records an error wrapping ErrMalformed.
func (r *Reader) failf(format string, args ...any) {
	r.Fail(fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...))
}

// beUint32 and beUint64 read big-endian numbers, or 0 from a slice too
// short (a take that failed), so that callers need no check.
func beUint32(b []byte) uint32 {
	if len(b) < 4 {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

func beUint64(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
