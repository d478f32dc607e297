package basic

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// EncodeMsgpack writes the level as a string, to show sessiongen calls a
// type's own codec. It refuses a negative level, to show how an encoder's
// error comes out of the generated methods.
func (l Level) EncodeMsgpack(enc *msgpack.Encoder) error {
	if l < 0 {
		return fmt.Errorf("level %d: negative", int(l))
	}
	return enc.EncodeString(string(rune('A' + int(l))))
}

// DecodeMsgpack reads what EncodeMsgpack wrote.
func (l *Level) DecodeMsgpack(dec *msgpack.Decoder) error {
	s, err := dec.DecodeString()
	if err != nil {
		return err
	}
	if len(s) != 1 {
		*l = 0
		return nil
	}
	*l = Level(s[0] - 'A')
	return nil
}
