package signing

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"unsafe"
)

// b64 is the text form: unpadded base64url, which needs no quoting in a
// cookie. Strict decoding refuses non-zero padding bits, so that each value
// has exactly one text form.
var b64 = base64.RawURLEncoding.Strict()

// decodeText decodes the text form into dst, which it grows if needed, and
// returns the decoded bytes.
//
// The base64 decoder skips '\r' and '\n' wherever they appear; they are
// refused here for the same reason as non-zero padding bits: a second
// spelling of a sealed value would open although Seal never produced it.
// They are found without a pass of their own: a text of a length unpadded
// base64 can have (not 4k+1) decodes to exactly DecodedLen bytes only when
// no character was skipped, since every shorter valid length decodes to
// fewer bytes. A 4k+1 text is refused first, as the decoder would refuse it
// anyway unless it held a skipped character.
func decodeText(dst []byte, text string) ([]byte, error) {
	if len(text)%4 == 1 {
		return nil, fmt.Errorf("%w: not base64url: %d characters, a length no unpadded base64url text has", ErrInvalid, len(text))
	}
	n := b64.DecodedLen(len(text))
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	dst = dst[:n]
	// The conversion does not copy: Decode neither keeps nor changes src.
	m, err := b64.Decode(dst, []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%w: not base64url: %v", ErrInvalid, err)
	}
	if m != n {
		return nil, fmt.Errorf("%w: not base64url: contains a line break", ErrInvalid)
	}
	return dst, nil
}

// encodeText returns head, the text form of raw, then tail, as one string
// encoded straight into its own memory: one allocation, and no copy of the
// text. A caller that sends the text inside a longer string (a Set-Cookie
// header) gets that string without a second allocation and copy.
func encodeText(head string, raw []byte, tail string) string {
	n := len(head) + b64.EncodedLen(len(raw)) + len(tail)
	if n == 0 {
		return ""
	}
	b := make([]byte, n)
	copy(b, head)
	encode(b[len(head):n-len(tail)], raw)
	copy(b[n-len(tail):], tail)
	// b is never written again and nothing else refers to it, which is
	// what strings.Builder.String relies on too.
	return unsafe.String(unsafe.SliceData(b), n)
}

// alphabet is base64url's, in the order of the 6-bit values it encodes.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// pairs holds, for each 12-bit value, the two characters that encode it,
// the first in the low byte: one look-up per two characters, where
// encoding/base64 makes one per character.
var pairs = func() (t [1 << 12]uint16) {
	for v := range t {
		t[v] = uint16(alphabet[v>>6]) | uint16(alphabet[v&63])<<8
	}
	return t
}()

// encode writes the text form of src to dst, which is exactly
// b64.EncodedLen(len(src)) long: what b64.Encode writes, in about 60% of
// its time (the sealed session is encoded on every request that saves
// one). Each step reads 8 bytes, encodes the first 6 into 8 characters
// and stores them at once; the last bytes, fewer than 8, go to b64.Encode.
func encode(dst, src []byte) {
	for len(src) >= 8 && len(dst) >= 8 {
		v := binary.BigEndian.Uint64(src)
		binary.LittleEndian.PutUint64(dst, uint64(pairs[v>>52])|
			uint64(pairs[v>>40&0xfff])<<16|
			uint64(pairs[v>>28&0xfff])<<32|
			uint64(pairs[v>>16&0xfff])<<48)
		src, dst = src[6:], dst[8:]
	}
	b64.Encode(dst, src)
}
