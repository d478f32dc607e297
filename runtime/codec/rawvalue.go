package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/vmihailenco/msgpack/v5"
)

// DecodeRawValue reads the next value from dec and returns its bytes, in a
// new slice. Generated DecodeMsgpack methods use it to hand the value to a
// Reader. Like Reader.Skip, it does not recurse and refuses a value that nests
// deeper than MaxDepth; its errors wrap ErrMalformed.
//
// On a *bytes.Reader, as GetDecoder's and msgpack.Unmarshal's decoders
// read, it steps over the value and then copies it in one piece, so it
// allocates just the value's length; on any other reader the slice grows
// as the bytes arrive, so a declared length is only ever backed by data
// that is there.
func DecodeRawValue(dec *msgpack.Decoder) ([]byte, error) {
	if dec == nil || dec.Buffered() == nil {
		return nil, errNoReader
	}
	if br, ok := dec.Buffered().(*bytes.Reader); ok {
		start := br.Size() - int64(br.Len())
		if err := skipValue(dec, 0); err != nil {
			return nil, malformed(err)
		}
		b := make([]byte, br.Size()-int64(br.Len())-start)
		_, _ = br.ReadAt(b, start)
		return b, nil
	}
	r, ok := dec.Buffered().(io.ByteReader)
	if !ok {
		return nil, errNoReader // never: msgpack wraps other readers in a bufio.Reader
	}
	rec := &recorder{r: r}
	if err := stepOver(rec, 0); err != nil {
		return nil, malformed(err)
	}
	return rec.b, nil
}

// recorder reads a value through r and keeps a copy of every byte read.
type recorder struct {
	r io.ByteReader
	b []byte
}

func (rec *recorder) ReadByte() (byte, error) {
	c, err := rec.r.ReadByte()
	if err == nil {
		rec.b = append(rec.b, c)
	}
	return c, err
}

func (rec *recorder) discard(n int) error {
	for range n {
		if _, err := rec.ReadByte(); err != nil {
			return io.ErrUnexpectedEOF
		}
	}
	return nil
}

// malformed wraps err with ErrMalformed unless it already does.
func malformed(err error) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}
