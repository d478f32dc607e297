package signing

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// b64 is the text form: unpadded base64url, which needs no quoting in a
// cookie. Strict decoding refuses non-zero padding bits, so that each value
// has exactly one text form.
var b64 = base64.RawURLEncoding.Strict()

// decodeText decodes the text form. The base64 decoder skips '\r' and '\n'
// wherever they appear; they are refused here for the same reason as
// non-zero padding bits: a second spelling of a sealed value would open
// although Seal never produced it.
func decodeText(text string) ([]byte, error) {
	if strings.ContainsAny(text, "\r\n") {
		return nil, fmt.Errorf("%w: not base64url: contains a line break", ErrInvalid)
	}
	raw, err := b64.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64url: %v", ErrInvalid, err)
	}
	return raw, nil
}

// encodeText returns the text form of raw, in one allocation: the string
// is built in place rather than encoded into a buffer and then copied.
func encodeText(raw []byte) string {
	var sb strings.Builder
	sb.Grow(b64.EncodedLen(len(raw)))
	// Whole groups of 3 bytes encode independently of what follows, so
	// the text can be made a chunk at a time.
	const chunk = 3 * 64
	var buf [4 * 64]byte
	for len(raw) > chunk {
		b64.Encode(buf[:], raw[:chunk])
		sb.Write(buf[:])
		raw = raw[chunk:]
	}
	n := b64.EncodedLen(len(raw))
	b64.Encode(buf[:n], raw)
	sb.Write(buf[:n])
	return sb.String()
}
