package codec

import "fmt"

// Skip steps over the next value, which lies inside depth arrays and maps,
// without decoding it: it is what generated decoders do with the value of
// a key they do not know. It does not recurse, and it refuses a value that
// nests past MaxDepth with ErrTooDeep. Its elements do not count against
// MaxElements: skipping allocates nothing.
func (r *Reader) Skip(depth int) { r.Raw(depth) }

// Raw returns the next value's bytes, which must be one complete value
// inside depth arrays and maps, checked as by Skip. The result is a slice
// of the input (capacity included), nil after an error.
func (r *Reader) Raw(depth int) []byte {
	if r.err != nil {
		return nil
	}
	n, err := valueLen(r.b[r.i:], max(depth, 0))
	if err != nil {
		r.Fail(err)
		return nil
	}
	b, _ := r.take(n)
	return b
}

// valueLen returns the length of the msgpack value at the start of b,
// which lies inside depth arrays and maps, checking that every declared
// length (of a string, binary, extension, array or map) fits in what
// remains of b and that its arrays and maps nest at most MaxDepth deep
// (depth may be negative for levels that do not count).
//
// It does not recurse: it keeps the levels it must come back to (see
// level.enter) on a stack of fixed size, so its cost is linear in the
// value's length and it allocates nothing. Its errors wrap ErrMalformed.
func valueLen(b []byte, depth int) (int, error) {
	if len(b) > 0 {
		// A scalar of fixed size, the usual field (a number, a bool, a
		// short string), is measured with no walk.
		if h := heads[b[0]]; h.kind == kindScalar && h.lenBytes == 0 && int(h.size) < len(b) {
			return 1 + int(h.size), nil
		}
	}
	return walkValue(b, depth)
}

// walkValue is valueLen for values that take a walk: containers, and
// values with a length after their code.
func walkValue(b []byte, depth int) (int, error) {
	var inline [levelsInline]level
	outer := inline[:0]
	cur := level{due: 1, depth: depth}
	i := 0 // b[i:] is what is left to read
	for {
		if cur.due == 0 {
			if len(outer) == 0 {
				return i, nil
			}
			cur, outer = outer[len(outer)-1], outer[:len(outer)-1]
			continue
		}
		cur.due--
		if i >= len(b) {
			return 0, fmt.Errorf("%w: truncated", ErrMalformed)
		}
		c := b[i]
		i++
		h := heads[c]
		size, items := int(h.size), int(h.items)
		if h.lenBytes > 0 {
			n, err := uintN(b[i:], int(h.lenBytes))
			if err != nil {
				return 0, err
			}
			i += int(h.lenBytes)
			size, items = h.span(n)
		}
		// Every value takes at least one byte, so more values than bytes
		// left is a lie. (items < 0: 2n overflowed a 32-bit int.)
		if left := len(b) - i; size > left || items > left || items < 0 {
			return 0, fmt.Errorf("%w: declared length longer than the payload", ErrMalformed)
		}
		i += size
		switch h.kind {
		case kindContainer:
			// An empty one counts too, as in skipValue.
			if cur.depth >= MaxDepth {
				return 0, ErrTooDeep
			}
			cur, outer = cur.enter(outer, items)
		case kindReserved:
			return 0, fmt.Errorf("%w: reserved code 0x%02x", ErrMalformed, c)
		}
	}
}
