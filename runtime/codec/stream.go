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
// Generated code uses it for MarshalMsgpack: GetEncoder, encode through
// Msgpack, copy Bytes, Release.
type Encoder struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
}

var encoderPool = sync.Pool{New: func() any {
	e := &Encoder{}
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}}

// GetEncoder returns an Encoder with an empty buffer from the pool. Generated
// code uses it in MarshalMsgpack; the caller must Release it when done.
func GetEncoder() *Encoder {
	return encoderPool.Get().(*Encoder)
}

// Msgpack returns the msgpack encoder that writes into e's buffer. Generated
// code passes it to EncodeMsgpack.
func (e *Encoder) Msgpack() *msgpack.Encoder { return e.enc }

// Bytes returns what e has encoded since GetEncoder. The slice aliases e's
// buffer: it is valid only until Release, so generated code copies it.
func (e *Encoder) Bytes() []byte { return e.buf.Bytes() }

// Release returns e to the pool; e must not be used afterwards. Generated
// code defers it after GetEncoder.
func (e *Encoder) Release() {
	if e.buf.Cap() > maxPooled {
		return
	}
	e.buf.Reset()
	// Reset also clears options (SetSortMapKeys, UseCompactInts, ...) that a
	// hand-written EncodeMsgpack may have set, so they do not carry over to
	// whichever package gets e next.
	e.enc.Reset(&e.buf)
	encoderPool.Put(e)
}

// Decoder is a pooled msgpack decoder over a bytes.Reader, which msgpack
// reads without buffering, so ReadKey can read keys from it without
// allocating. Generated code uses it for UnmarshalMsgpack: GetDecoder, decode
// through Msgpack, Release.
type Decoder struct {
	r   bytes.Reader
	dec *msgpack.Decoder
}

var decoderPool = sync.Pool{New: func() any {
	return &Decoder{dec: msgpack.NewDecoder(nil)}
}}

// GetDecoder returns a Decoder from the pool reading data, with msgpack's
// default options. Generated code uses it in UnmarshalMsgpack; the caller
// must Release it when done.
func GetDecoder(data []byte) *Decoder {
	d := decoderPool.Get().(*Decoder)
	d.r.Reset(data)
	d.dec.Reset(&d.r)
	return d
}

// Msgpack returns the msgpack decoder that reads the data given to
// GetDecoder. Generated code passes it to DecodeMsgpack.
func (d *Decoder) Msgpack() *msgpack.Decoder { return d.dec }

// Release returns d to the pool; d must not be used afterwards. It drops d's
// reference to the data, so the pool does not keep it alive. Generated code
// defers it after GetDecoder.
func (d *Decoder) Release() {
	d.r.Reset(nil)
	d.dec.Reset(nil)
	decoderPool.Put(d)
}

var errNoReader = errors.New("codec: msgpack decoder has no reader")

// ReadKey reads a msgpack string (or bin) map key from dec into buf and
// returns buf[:n]. Generated DecodeMsgpack methods use it to read field keys
// into a buffer on their stack, sized for their longest key.
//
// A key longer than buf, which no field has, is consumed and returned as nil,
// as is a nil key, so the caller skips its value. A truncated key returns
// io.ErrUnexpectedEOF. ReadKey never panics on malformed data.
//
// When dec reads a *bytes.Reader, as GetDecoder's and the envelope's
// decoders do, ReadKey allocates nothing: unlike msgpack.Decoder.ReadFull,
// which hands buf to an interface method and so moves it to the heap, it
// reads through the concrete reader. Any other reader is read byte by byte.
func ReadKey(dec *msgpack.Decoder, buf []byte) ([]byte, error) {
	if dec == nil || dec.Buffered() == nil {
		// msgpack would dereference the nil reader.
		return nil, errNoReader
	}
	n, err := dec.DecodeBytesLen()
	if err != nil {
		return nil, err
	}
	if n < 0 { // nil
		return nil, nil
	}
	if r, ok := dec.Buffered().(*bytes.Reader); ok {
		if n > r.Len() {
			_, _ = r.Seek(0, io.SeekEnd)
			return nil, io.ErrUnexpectedEOF
		}
		if n > len(buf) {
			_, _ = r.Seek(int64(n), io.SeekCurrent)
			return nil, nil
		}
		_, _ = r.Read(buf[:n])
		return buf[:n], nil
	}
	r, ok := dec.Buffered().(io.ByteReader)
	if !ok {
		return nil, errNoReader
	}
	for i := 0; i < n; i++ {
		c, err := r.ReadByte()
		if err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		if i < len(buf) {
			buf[i] = c
		}
	}
	if n > len(buf) {
		return nil, nil
	}
	return buf[:n], nil
}
