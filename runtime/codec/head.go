package codec

// head is what the first byte of a msgpack value says about it, enough to
// step over the value without decoding it. valueLen and skipValue share it,
// through the table heads, since they look up every byte of a deep value.
type head struct {
	lenBytes uint8 // bytes of big-endian length after the code: 0, 1, 2 or 4
	size     uint8 // bytes of content; with lenBytes, added to the length read
	items    uint8 // values in a container; with lenBytes, per unit of the length read
	kind     uint8 // scalar, container or reserved
}

const (
	kindScalar    = iota
	kindContainer // an array or a map (nil ones are 0xc0, a scalar)
	kindReserved  // 0xc1, which msgpack never uses
)

var heads = func() (t [256]head) {
	for c := range t {
		t[c] = headOf(byte(c))
	}
	return t
}()

// headOf classifies the code byte c.
func headOf(c byte) head {
	switch {
	case c <= 0x7f || c >= 0xe0: // fixints
	case c <= 0x8f: // fixmap: keys and values
		return head{items: 2 * (c & 0x0f), kind: kindContainer}
	case c <= 0x9f: // fixarray
		return head{items: c & 0x0f, kind: kindContainer}
	case c <= 0xbf: // fixstr
		return head{size: c & 0x1f}
	case c == 0xc0 || c == 0xc2 || c == 0xc3: // nil, false, true
	case c == 0xc1:
		return head{kind: kindReserved}
	case c >= 0xc4 && c <= 0xc6: // bin8/16/32
		return head{lenBytes: 1 << (c - 0xc4)}
	case c >= 0xc7 && c <= 0xc9: // ext8/16/32: length, type byte, data
		return head{lenBytes: 1 << (c - 0xc7), size: 1}
	case c == 0xca:
		return head{size: 4}
	case c == 0xcb:
		return head{size: 8}
	case c >= 0xcc && c <= 0xcf: // uint8..64
		return head{size: 1 << (c - 0xcc)}
	case c >= 0xd0 && c <= 0xd3: // int8..64
		return head{size: 1 << (c - 0xd0)}
	case c >= 0xd4 && c <= 0xd8: // fixext1..16: type byte, data
		return head{size: 1 + 1<<(c-0xd4)}
	case c >= 0xd9 && c <= 0xdb: // str8/16/32
		return head{lenBytes: 1 << (c - 0xd9)}
	case c == 0xdc || c == 0xdd: // array16/32
		return head{lenBytes: 2 << (c - 0xdc), items: 1, kind: kindContainer}
	case c == 0xde || c == 0xdf: // map16/32
		return head{lenBytes: 2 << (c - 0xde), items: 2, kind: kindContainer}
	}
	return head{}
}

// span returns the bytes of content and the number of values contained of
// a value with head h, given the length n read after its code, if any.
func (h head) span(n int) (size, items int) {
	switch {
	case h.lenBytes == 0:
		return int(h.size), int(h.items)
	case h.kind == kindContainer:
		return 0, int(h.items) * n
	}
	return int(h.size) + n, 0
}

// level is where a walk over nested values stands in one array or map: how
// many of its values are still due, and how many containers are around
// them. valueLen and skipValue keep the levels they will come back to on a
// stack of their own instead of recursing.
type level struct{ due, depth int }

// levelsInline is how many levels a walk keeps in its own frame before the
// stack moves to the heap. Frames stay small, so that decoding does not
// grow the goroutine's stack, and real data never needs more.
const levelsInline = 16

// enter returns the level inside a container of items values found at l,
// pushing l onto outer if values remain due in it. The container that is
// the last value of its level replaces it instead (nothing is left to come
// back to), so a chain of one-element containers, the usual hostile input,
// walks at one step per byte and pushes nothing. outer never holds more
// levels than the limit on depth, since each push is at a new depth.
func (l level) enter(outer []level, items int) (level, []level) {
	if l.due > 0 {
		outer = append(outer, l)
	}
	return level{due: items, depth: l.depth + 1}, outer
}
