package codec

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// MaxDepth is how deeply msgpack arrays and maps may nest in anything
// typedsession decodes: a session payload, or a value given to a generated
// DecodeMsgpack or UnmarshalMsgpack. No real session comes near it; a deeper
// value is refused with ErrTooDeep.
//
// Why a limit at all: msgpack's own Skip and every recursive decoder use one
// stack frame per level, and a value of a few million levels (a few
// megabytes of 0x91 bytes) ends the process with a stack overflow, which
// recover cannot catch.
const MaxDepth = 256

// ErrTooDeep is returned for a value nested deeper than MaxDepth. It wraps
// ErrMalformed.
var ErrTooDeep = fmt.Errorf("%w: arrays and maps nested deeper than %d levels", ErrMalformed, MaxDepth)

// Enter reports ErrTooDeep when a container entered at depth (the number of
// arrays and maps already around it, plus one for itself) would exceed
// MaxDepth. Generated decoders call it as they enter each array or map.
func Enter(depth int) error {
	if depth > MaxDepth {
		return ErrTooDeep
	}
	return nil
}

// Skip consumes one msgpack value from dec, which lies inside depth arrays
// and maps, without decoding it. Unlike msgpack.Decoder.Skip it does not
// recurse, so its stack use is fixed, and it refuses a value that would take
// the nesting past MaxDepth with ErrTooDeep. Generated decoders use it for
// the values of map keys they do not know.
func Skip(dec *msgpack.Decoder, depth int) error {
	if dec == nil || dec.Buffered() == nil {
		return errNoReader
	}
	// due[i] counts the values still to skip at nesting level depth+i; a
	// container pushes a level, which is bounded by MaxDepth.
	var stack [MaxDepth + 1]int
	due := stack[:1]
	due[0] = 1
	for len(due) > 0 {
		top := len(due) - 1
		if due[top] == 0 {
			due = due[:top]
			continue
		}
		due[top]--
		n, err := skipOne(dec)
		if err != nil {
			return err
		}
		if n < 0 { // not a container
			continue
		}
		if err := Enter(depth + len(due)); err != nil {
			return err
		}
		due = append(due, n)
	}
	return nil
}

// skipOne consumes a scalar value whole, or the header of an array or map,
// returning how many values the container holds; -1 means not a container
// (nil arrays and maps included).
func skipOne(dec *msgpack.Decoder) (int, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return 0, err
	}
	switch {
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		n, err := dec.DecodeArrayLen()
		return max(n, 0), err
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		n, err := dec.DecodeMapLen()
		return 2 * max(n, 0), err
	}
	return -1, dec.Skip()
}
