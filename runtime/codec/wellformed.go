package codec

import (
	"encoding/binary"
	"fmt"
)

// wellFormed checks that b holds exactly one msgpack value, complete, whose
// every declared length (of a string, binary, extension, array or map) fits
// in what remains of b. Decode calls it on the body before anything else
// reads it.
//
// Why: msgpack's Decoder sizes its read buffer from the declared length and
// keeps the buffer in the (pooled) Decoder even when the read then fails;
// each payload that declares a 4 GiB string grows the pooled buffer by at
// least a megabyte, for good (50 such payloads left 4.9 GB in use). Once
// the structure is checked, no length msgpack sees exceeds the payload.
// The walk also rejects trailing bytes, and, holding only a count of the
// values still due rather than recursing, any nesting depth.
func wellFormed(b []byte) error {
	for pending := 1; pending > 0; pending-- {
		if len(b) == 0 {
			return fmt.Errorf("%w: truncated", ErrMalformed)
		}
		c := b[0]
		b = b[1:]
		var size, items int // bytes of content; values it contains
		var err error
		switch {
		case c <= 0x7f || c >= 0xe0: // fixints
		case c <= 0x8f:
			items = 2 * int(c&0x0f)
		case c <= 0x9f:
			items = int(c & 0x0f)
		case c <= 0xbf:
			size = int(c & 0x1f)
		case c == 0xc0 || c == 0xc2 || c == 0xc3: // nil, false, true
		case c == 0xc4 || c == 0xd9: // bin8, str8
			size, b, err = uintN(b, 1)
		case c == 0xc5 || c == 0xda:
			size, b, err = uintN(b, 2)
		case c == 0xc6 || c == 0xdb:
			size, b, err = uintN(b, 4)
		case c >= 0xc7 && c <= 0xc9: // ext8/16/32: length, type byte, data
			size, b, err = uintN(b, 1<<(c-0xc7))
			size++
		case c == 0xca:
			size = 4
		case c == 0xcb:
			size = 8
		case c >= 0xcc && c <= 0xcf: // uint8..64
			size = 1 << (c - 0xcc)
		case c >= 0xd0 && c <= 0xd3: // int8..64
			size = 1 << (c - 0xd0)
		case c >= 0xd4 && c <= 0xd8: // fixext1..16: type byte, data
			size = 1 + 1<<(c-0xd4)
		case c == 0xdc:
			items, b, err = uintN(b, 2)
		case c == 0xdd:
			items, b, err = uintN(b, 4)
		case c == 0xde:
			items, b, err = uintN(b, 2)
			items *= 2
		case c == 0xdf:
			items, b, err = uintN(b, 4)
			items *= 2
		default: // 0xc1, never used
			return fmt.Errorf("%w: reserved code 0x%02x", ErrMalformed, c)
		}
		if err != nil {
			return err
		}
		// Every value takes at least one byte, so more values than bytes
		// left is a lie, and pending can never exceed len(b).
		if size > len(b) || items > len(b) {
			return fmt.Errorf("%w: declared length longer than the payload", ErrMalformed)
		}
		b = b[size:]
		pending += items
	}
	if len(b) != 0 {
		return fmt.Errorf("%w: %d bytes after the envelope", ErrMalformed, len(b))
	}
	return nil
}

func uintN(b []byte, n int) (int, []byte, error) {
	if len(b) < n {
		return 0, nil, fmt.Errorf("%w: truncated length", ErrMalformed)
	}
	var v uint64
	switch n {
	case 1:
		v = uint64(b[0])
	case 2:
		v = uint64(binary.BigEndian.Uint16(b))
	case 4:
		v = uint64(binary.BigEndian.Uint32(b))
	}
	return int(v), b[n:], nil
}
