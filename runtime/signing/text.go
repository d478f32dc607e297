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
