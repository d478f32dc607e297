// Package ext holds types from another package used by the basic case.
package ext

import "github.com/vmihailenco/msgpack/v5"

// Money has its own msgpack codec, as a type from another package must.
type Money struct {
	Units int64
	Cur   string
}

// EncodeMsgpack implements msgpack.CustomEncoder.
func (m Money) EncodeMsgpack(enc *msgpack.Encoder) error {
	if err := enc.EncodeArrayLen(2); err != nil {
		return err
	}
	if err := enc.EncodeInt(m.Units); err != nil {
		return err
	}
	return enc.EncodeString(m.Cur)
}

// DecodeMsgpack implements msgpack.CustomDecoder.
func (m *Money) DecodeMsgpack(dec *msgpack.Decoder) error {
	if _, err := dec.DecodeArrayLen(); err != nil {
		return err
	}
	u, err := dec.DecodeInt64()
	if err != nil {
		return err
	}
	c, err := dec.DecodeString()
	if err != nil {
		return err
	}
	*m = Money{Units: u, Cur: c}
	return nil
}

// Cents is an alias of a basic type.
type Cents = int64
