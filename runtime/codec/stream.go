package codec

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// maxPooled is the largest buffer an Encoder keeps when it returns to the
// pool, so that one huge session does not pin its memory forever.
const maxPooled = 64 << 10

// Encoder is a pooled msgpack encoder that writes into its own buffer.
// runtime/django encodes with it: GetEncoder, encode
// through Msgpack, copy Bytes, Release.
type Encoder struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
}

var encoderPool = sync.Pool{New: func() any {
	e := &Encoder{}
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}}

// GetEncoder returns an Encoder with an empty buffer from the pool; the
// caller must Release it when done.
func GetEncoder() *Encoder {
	return encoderPool.Get().(*Encoder)
}

// Msgpack returns the msgpack encoder that writes into e's buffer.
func (e *Encoder) Msgpack() *msgpack.Encoder { return e.enc }

// Bytes returns what e has encoded since GetEncoder. The slice aliases e's
// buffer: it is valid only until Release, so callers copy it.
func (e *Encoder) Bytes() []byte { return e.buf.Bytes() }

// Release returns e to the pool; e must not be used afterwards.
func (e *Encoder) Release() {
	if !e.reusable() {
		return
	}
	e.buf.Reset()
	// Reset also clears options (SetSortMapKeys, UseCompactInts, ...) that a
	// hand-written EncodeMsgpack may have set, so they do not carry over to
	// whichever package gets e next.
	e.enc.Reset(&e.buf)
	encoderPool.Put(e)
}

// reusable reports whether Release may pool e: not when its buffer grew
// past maxPooled. Like Decoder.reusable, it is apart so tests can check it.
func (e *Encoder) reusable() bool {
	return e.buf.Cap() <= maxPooled
}

// Decoder is a pooled msgpack decoder over a bytes.Reader, which msgpack
// reads without buffering. Reader.Custom uses it to hand a value to a
// hand-written DecodeMsgpack, and runtime/django to decode what it
// transcodes: GetDecoder, decode through Msgpack, Done.
type Decoder struct {
	r    bytes.Reader
	dec  *msgpack.Decoder
	size int // len of the data being decoded
}

var decoderPool = sync.Pool{New: func() any {
	return &Decoder{dec: msgpack.NewDecoder(nil)}
}}

// GetDecoder returns a Decoder from the pool reading data, with msgpack's
// default options; the caller must call Done when it has finished
// decoding.
func GetDecoder(data []byte) *Decoder {
	d := decoderPool.Get().(*Decoder)
	d.r.Reset(data)
	d.dec.Reset(&d.r)
	d.size = len(data)
	return d
}

// Msgpack returns the msgpack decoder that reads the data given to
// GetDecoder.
func (d *Decoder) Msgpack() *msgpack.Decoder { return d.dec }

// Done ends the use of d, which must not be used afterwards, and returns
// err, the outcome of the decode. It drops d's reference to the data, so
// nothing keeps the data alive.
//
// Only a decoder that succeeded, on at most 64 KiB, goes back to the pool.
// msgpack's Decoder keeps, across Reset, the buffer it grows to read a
// string or skip a value, and keeps the growth even when the read fails: a
// string that declares more bytes than the input holds grows it by up to
// 1 MiB. Pooled, a decoder fed such input again and again would grow
// without bound (a fuzzing worker reached 8 GB); one that succeeded holds
// no more than its data. Each failed decode still costs that megabyte once,
// as with msgpack.Unmarshal; session payloads never get that far, because
// Decode checks their structure first.
func (d *Decoder) Done(err error) error {
	d.r.Reset(nil)
	d.dec.Reset(nil)
	if d.reusable(err) {
		decoderPool.Put(d)
	}
	return err
}

// reusable reports whether Done may pool d after a decode that ended with
// err. It is apart from Done so that tests can check the rule itself:
// whether sync.Pool then keeps d is up to the pool (under the race detector
// it drops items at random).
func (d *Decoder) reusable(err error) bool {
	return err == nil && d.size <= maxPooled
}

var errNoReader = errors.New("codec: msgpack decoder has no reader")

// skip consumes n bytes of dec's reader, or fails with
// io.ErrUnexpectedEOF.
func skip(dec *msgpack.Decoder, n int) error {
	if r, ok := dec.Buffered().(*bytes.Reader); ok {
		if n > r.Len() {
			_, _ = r.Seek(0, io.SeekEnd)
			return io.ErrUnexpectedEOF
		}
		_, _ = r.Seek(int64(n), io.SeekCurrent)
		return nil
	}
	r, ok := dec.Buffered().(io.ByteReader)
	if !ok {
		return errNoReader
	}
	for range n {
		if _, err := r.ReadByte(); err != nil {
			return io.ErrUnexpectedEOF
		}
	}
	return nil
}
