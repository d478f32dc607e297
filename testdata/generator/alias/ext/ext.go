// Package ext exports unexported types through aliases.
package ext

import "github.com/vmihailenco/msgpack/v5"

// Exposed is an exported alias of an unexported type with its own codec.
type Exposed = inner

type inner struct{ N int }

// EncodeMsgpack writes the number.
func (i inner) EncodeMsgpack(enc *msgpack.Encoder) error { return enc.EncodeInt(int64(i.N)) }

// DecodeMsgpack reads what EncodeMsgpack wrote.
func (i *inner) DecodeMsgpack(dec *msgpack.Decoder) (err error) {
	i.N, err = dec.DecodeInt()
	return err
}

// Make returns an Exposed holding n.
func Make(n int) Exposed { return inner{N: n} }

// Level is an exported alias of an unexported integer type.
type Level = level

type level int
