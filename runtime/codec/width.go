package codec

import (
	"fmt"
	"unsafe"
)

// MaxElements is how many elements the array and map headers one Reader
// reads may announce in all: a decode of a value given to a generated
// UnmarshalMsgpack, or of several values read one after another with
// Reset, as runtime/session reads all the fields it decodes from one
// session record, whenever in the request it decodes them. An element that takes more than 16 bytes of
// memory once decoded (a struct in a slice, a map entry, the target of a
// pointer) counts once per 16 bytes, so the limit bounds the memory a
// decode allocates for elements at about 4 MiB, whatever their type. No
// real session comes near it; a wider value is refused with ErrTooWide.
//
// Why a limit at all: every element costs at least one byte of input but
// can cost many bytes of memory (an empty string, one byte, becomes a
// 16-byte string header), so without it a few megabytes of input could
// make a decoder allocate hundreds.
const MaxElements = 1 << 18

// widthUnit is the memory an element may take for one count against
// MaxElements.
const widthUnit = 16

// ErrTooWide is returned by a Reader whose array and map headers announce
// more than MaxElements elements in all. It wraps ErrMalformed.
var ErrTooWide = fmt.Errorf("%w: arrays and maps of more than %d elements in all", ErrMalformed, MaxElements)

// ArrayLen reads the header of an array and returns its length, or -1 for
// nil. depth is the number of arrays and maps around the array; it is
// refused with ErrTooDeep if depth+1 > MaxDepth, whatever comes next. A
// length longer than the bytes left (each element takes at least one) is
// refused at once, and the length counts against MaxElements.
func (r *Reader) ArrayLen(depth int) int { return r.arrayLen(depth, 1) }

// MapLen reads the header of a map and returns its number of entries, or
// -1 for nil, checked as by ArrayLen. As msgpack/v5's DecodeMapLen, it
// steps over an extension header in front of the map.
func (r *Reader) MapLen(depth int) int { return r.mapLen(depth, 1) }

// arrayLen is ArrayLen for elements that count weight times each.
func (r *Reader) arrayLen(depth, weight int) int {
	c, ok := r.enter(depth)
	if !ok {
		return 0
	}
	n := 0
	switch {
	case c == 0xc0:
		return -1
	case c >= 0x90 && c <= 0x9f:
		n = int(c & 0x0f)
	case c == 0xdc || c == 0xdd: // array 16, 32
		n, ok = r.uintN(2 << (c - 0xdc))
	default:
		r.failf("code 0x%02x where an array should be", c)
		return 0
	}
	return r.charge(ok, n, n, weight)
}

// mapLen is MapLen for entries that count weight times each.
func (r *Reader) mapLen(depth, weight int) int {
	c, ok := r.enter(depth)
	if ok && (c >= 0xc7 && c <= 0xc9 || c >= 0xd4 && c <= 0xd8) { // ext 8-32, fixext
		c, ok = r.skipExtHeader(c)
	}
	if !ok {
		return 0
	}
	n := 0
	switch {
	case c == 0xc0:
		return -1
	case c >= 0x80 && c <= 0x8f:
		n = int(c & 0x0f)
	case c == 0xde || c == 0xdf: // map 16, 32
		n, ok = r.uintN(2 << (c - 0xde))
	default:
		r.failf("code 0x%02x where a map should be", c)
		return 0
	}
	return r.charge(ok, n, 2*n, weight)
}

// enter checks the depth of a container about to be read and reads its
// code.
func (r *Reader) enter(depth int) (byte, bool) {
	if r.err == nil && depth+1 > MaxDepth {
		r.Fail(ErrTooDeep)
	}
	return r.next()
}

// skipExtHeader steps over the type and length bytes of an extension that
// starts with code c, as msgpack/v5's DecodeMapLen does (it leaves the
// data, which it then reads as the map), and reads the next code.
func (r *Reader) skipExtHeader(c byte) (byte, bool) {
	lenBytes := 0
	if c >= 0xc7 && c <= 0xc9 {
		lenBytes = 1 << (c - 0xc7)
	}
	if _, ok := r.take(1 + lenBytes); !ok {
		return 0, false
	}
	return r.next()
}

// charge counts n elements of weight units against MaxElements, after
// checking that the values they hold fit the bytes left, and returns n, or
// 0 once r has failed.
func (r *Reader) charge(ok bool, n, values, weight int) int {
	switch {
	case !ok:
		return 0
	case values > r.Len() || values < 0:
		r.failf("%d values declared, %d bytes left", values, r.Len())
		return 0
	case n > 0 && weight > (MaxElements-r.width)/n:
		r.Fail(ErrTooWide)
		return 0
	}
	r.width += n * weight
	return n
}

// weightOf is how many times an element of type E counts against
// MaxElements: once per 16 bytes it takes.
func weightOf[E any]() int {
	var e E
	return max(1, int((unsafe.Sizeof(e)+widthUnit-1)/widthUnit))
}

// mapWeight is how many times an entry of a map[K]V counts against
// MaxElements. A map takes more than its entries: Go's hash tables keep a
// control byte per slot, fill at most 7/8 of their slots and round their
// size up to a power of two, so an entry can take twice its size and more.
func mapWeight[K comparable, V any]() int {
	return 2*weightOf[struct {
		k K
		v V
	}]() + 1
}
