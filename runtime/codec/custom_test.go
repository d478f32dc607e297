package codec_test

import (
	"errors"

	"github.com/vmihailenco/msgpack/v5"
)

// point is a hand-written msgpack.CustomEncoder and CustomDecoder: an
// array [x, y].
type point struct {
	x, y int64
	bad  bool // EncodeMsgpack fails
}

var (
	errPoint  = errors.New("point: cannot encode")
	errSecond = errors.New("second error")
)

func (p point) EncodeMsgpack(enc *msgpack.Encoder) error {
	if p.bad {
		return errPoint
	}
	if err := enc.EncodeArrayLen(2); err != nil {
		return err
	}
	if err := enc.EncodeInt(p.x); err != nil {
		return err
	}
	return enc.EncodeInt(p.y)
}

func (p *point) DecodeMsgpack(dec *msgpack.Decoder) error {
	n, err := dec.DecodeArrayLen()
	if err != nil {
		return err
	}
	if n != 2 {
		return errors.New("point: not a pair")
	}
	if p.x, err = dec.DecodeInt64(); err != nil {
		return err
	}
	p.y, err = dec.DecodeInt64()
	return err
}
