package errhalfcodec

import "github.com/vmihailenco/msgpack/v5"

// Half can encode itself but not decode.
type Half struct{ N int }

// EncodeMsgpack implements msgpack.CustomEncoder only.
func (h Half) EncodeMsgpack(enc *msgpack.Encoder) error { return enc.EncodeInt(int64(h.N)) }

// S holds a Half.
type S struct {
	H Half `session:"h"`
}
