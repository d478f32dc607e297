package codec

import (
	"fmt"
	"io"

	"github.com/vmihailenco/msgpack/v5"
)

// MaxDepth is how deeply msgpack arrays and maps may nest in anything
// typedsession decodes: the value of a session's field (the envelope's own
// array and map around it do not count), or a value given to a generated
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
// MaxDepth. Decoders that walk msgpack themselves, such as runtime/django's
// transcoder, call it as they enter each array or map; a Reader checks the
// same in ArrayLen and MapLen.
func Enter(depth int) error {
	if depth > MaxDepth {
		return ErrTooDeep
	}
	return nil
}

// skipValue consumes one msgpack value from dec, which lies inside depth
// arrays and maps, without decoding it. Unlike msgpack.Decoder.Skip it does
// not recurse, so its stack use is fixed, and it refuses a value that would
// take the nesting past MaxDepth with ErrTooDeep. The envelope uses it for
// what it steps over, DecodeRawValue to find a value's end. A negative depth
// counts as 0.
//
// It reads dec's reader itself, as msgpack does (msgpack reads nothing
// ahead), a byte at a time, and steps over strings and binary data with a
// seek on a *bytes.Reader: it costs a few nanoseconds per byte of nesting
// and allocates nothing, several times less than msgpack's Skip.
func skipValue(dec *msgpack.Decoder, depth int) error {
	if dec == nil || dec.Buffered() == nil {
		return errNoReader
	}
	r, ok := dec.Buffered().(io.ByteReader)
	if !ok {
		return errNoReader // never: msgpack wraps other readers in a bufio.Reader
	}
	return stepOver(decoderSteps{dec, r}, depth)
}

// steps is what stepOver reads a value through.
type steps interface {
	io.ByteReader
	discard(n int) error // steps over n bytes of data, or fails with io.ErrUnexpectedEOF
}

// decoderSteps reads a msgpack.Decoder's reader.
type decoderSteps struct {
	dec *msgpack.Decoder
	r   io.ByteReader
}

func (s decoderSteps) ReadByte() (byte, error) { return s.r.ReadByte() }
func (s decoderSteps) discard(n int) error     { return skip(s.dec, n) }

// stepOver reads one value from s, which lies inside depth arrays and maps,
// without recursing; see skipValue. It is generic so that each kind of steps
// gets its own copy, with no interface call per byte.
func stepOver[S steps](s S, depth int) error {
	var inline [levelsInline]level
	outer := inline[:0]
	cur := level{due: 1, depth: max(depth, 0)}
	for {
		if cur.due == 0 {
			if len(outer) == 0 {
				return nil
			}
			cur, outer = outer[len(outer)-1], outer[:len(outer)-1]
			continue
		}
		cur.due--
		c, err := s.ReadByte()
		if err != nil {
			return err // io.EOF where a value should start
		}
		h := heads[c]
		n := 0
		for range h.lenBytes {
			b, err := s.ReadByte()
			if err != nil {
				return io.ErrUnexpectedEOF
			}
			n = n<<8 | int(b)
		}
		if n < 0 { // past math.MaxInt32 on a 32-bit platform: no input is that long
			return fmt.Errorf("%w: length %d", ErrMalformed, uint32(n))
		}
		size, items := h.span(n)
		switch h.kind {
		case kindContainer:
			if err := Enter(cur.depth + 1); err != nil {
				return err
			}
			cur, outer = cur.enter(outer, items)
		case kindReserved:
			return fmt.Errorf("%w: reserved code 0x%02x", ErrMalformed, c)
		default:
			if size > 0 {
				if err := s.discard(size); err != nil {
					return err
				}
			}
		}
	}
}
