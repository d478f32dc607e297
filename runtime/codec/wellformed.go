package codec

import (
	"encoding/binary"
	"fmt"
)

// envelopeLevels is the most arrays and maps an envelope puts around a
// field's value: version 1's array and its fields map. They do not count
// against MaxDepth, which is the limit on the value itself.
const envelopeLevels = 2

// wellFormed checks that b holds exactly one msgpack value, complete, whose
// every declared length (of a string, binary, extension, array or map) fits
// in what remains of b, and whose arrays and maps nest at most
// MaxDepth+levels deep, levels (at most envelopeLevels) being those the
// envelope itself puts around a field's value. Decode calls it on the body
// before anything else reads it, so nothing after it meets a length longer
// than the payload or a value deeper than MaxDepth.
//
// Why: msgpack's Decoder sizes its read buffer from the declared length and
// keeps the buffer in the (pooled) Decoder even when the read then fails;
// each payload that declares a 4 GiB string grows the pooled buffer by at
// least a megabyte, for good (50 such payloads left 4.9 GB in use). And
// msgpack's Skip, like any recursive decoder, takes one stack frame per
// level: a few megabytes of 0x91 end the process with a stack overflow. The
// walk over b (valueLen) does not recurse, so its cost is linear in b and it
// allocates nothing. wellFormed also rejects trailing bytes.
func wellFormed(b []byte, levels int) error {
	n, err := valueLen(b, -min(levels, envelopeLevels))
	if err != nil {
		return err
	}
	if n != len(b) {
		return fmt.Errorf("%w: %d bytes after the envelope", ErrMalformed, len(b)-n)
	}
	return nil
}

// uintN reads the big-endian unsigned integer of n bytes (1, 2 or 4) at the
// start of b.
func uintN(b []byte, n int) (int, error) {
	if len(b) < n {
		return 0, fmt.Errorf("%w: truncated length", ErrMalformed)
	}
	switch n {
	case 1:
		return int(b[0]), nil
	case 2:
		return int(binary.BigEndian.Uint16(b)), nil
	}
	n = int(binary.BigEndian.Uint32(b))
	if n < 0 { // past math.MaxInt32 on a 32-bit platform: no input is that long
		return 0, fmt.Errorf("%w: length %d", ErrMalformed, uint32(n))
	}
	return n, nil
}
