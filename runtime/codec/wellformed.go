package codec

import (
	"encoding/binary"
	"fmt"
)

// Why every value is checked before anything decodes it (valueLen, in
// Decode, Reader.Raw and Reader.Custom, DecodeRaw, DecodeRawValue's
// skipValue): msgpack's Decoder sizes its read buffer from the declared
// length and keeps the buffer in the (pooled) Decoder even when the read
// then fails; each payload that declares a 4 GiB string grows the pooled
// buffer by at least a megabyte, for good (50 such payloads left 4.9 GB in
// use). And msgpack's Skip, like any recursive decoder, takes one stack
// frame per level: a few megabytes of 0x91 end the process with a stack
// overflow. The walk over a value (valueLen) does not recurse, so its cost
// is linear in the value and it allocates nothing.

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
