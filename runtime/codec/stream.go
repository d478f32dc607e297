package codec

import (
	"bytes"
	"errors"
	"fmt"
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
// reads without buffering, so ReadKey can read keys from it without
// allocating. Generated code uses it for UnmarshalMsgpack: GetDecoder, decode
// through Msgpack, Done.
type Decoder struct {
	r    bytes.Reader
	dec  *msgpack.Decoder
	size int // len of the data being decoded
}

var decoderPool = sync.Pool{New: func() any {
	return &Decoder{dec: msgpack.NewDecoder(nil)}
}}

// GetDecoder returns a Decoder from the pool reading data, with msgpack's
// default options. Generated code uses it in UnmarshalMsgpack; the caller
// must call Done when it has finished decoding.
func GetDecoder(data []byte) *Decoder {
	d := decoderPool.Get().(*Decoder)
	d.r.Reset(data)
	d.dec.Reset(&d.r)
	d.size = len(data)
	return d
}

// Msgpack returns the msgpack decoder that reads the data given to
// GetDecoder. Generated code passes it to DecodeMsgpack.
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

// growStep is how much ReadBytes allocates at a time on a reader whose
// length it cannot see, so that a declared length is only ever backed by
// data that arrived.
const growStep = 64 << 10

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
	n, err := bytesLen(dec)
	if err != nil || n < 0 { // n < 0: a nil key
		return nil, err
	}
	if n > len(buf) {
		return nil, skip(dec, n)
	}
	if err := readInto(dec, buf[:n]); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// ReadBytes reads a msgpack bin (or string) value from dec into a new
// slice: nil for msgpack nil, empty but not nil for a value of length 0.
// Generated code uses it for []byte fields.
//
// msgpack.Decoder.DecodeBytes allocates whatever length the input declares
// before reading any of it, so seven bytes of input can make it reserve
// 4 GiB. ReadBytes allocates only for data that is there: on a
// *bytes.Reader it checks the declared length against what is left, and on
// any other reader it grows the slice as data arrives.
func ReadBytes(dec *msgpack.Decoder) ([]byte, error) {
	n, err := bytesLen(dec)
	if err != nil || n < 0 {
		return nil, err
	}
	if r, ok := dec.Buffered().(*bytes.Reader); ok {
		if n > r.Len() {
			return nil, skip(dec, n) // io.ErrUnexpectedEOF
		}
		b := make([]byte, n)
		return b, readInto(dec, b)
	}
	b := make([]byte, 0, min(n, growStep))
	for len(b) < n {
		m := min(n-len(b), growStep)
		b = append(b, make([]byte, m)...)
		if err := readInto(dec, b[len(b)-m:]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// ReadByteArray reads a msgpack bin (or string) value of exactly len(dst)
// bytes into dst. Generated code uses it for [N]byte fields. It reports
// msgpack nil as isNil, leaving dst alone; a value of another length is an
// error. Like ReadKey, it allocates nothing on a *bytes.Reader.
func ReadByteArray(dec *msgpack.Decoder, dst []byte) (isNil bool, err error) {
	n, err := bytesLen(dec)
	if err != nil {
		return false, err
	}
	if n < 0 {
		return true, nil
	}
	if n != len(dst) {
		return false, fmt.Errorf("msgpack: %d bytes for a [%d]byte", n, len(dst))
	}
	return false, readInto(dec, dst)
}

// bytesLen reads the header of a msgpack bin or string value: its length,
// or -1 for nil.
func bytesLen(dec *msgpack.Decoder) (int, error) {
	if dec == nil || dec.Buffered() == nil {
		// msgpack would dereference the nil reader.
		return 0, errNoReader
	}
	return dec.DecodeBytesLen()
}

// readInto fills dst from dec's reader, or fails with
// io.ErrUnexpectedEOF, without letting dst escape to the heap.
func readInto(dec *msgpack.Decoder, dst []byte) error {
	if r, ok := dec.Buffered().(*bytes.Reader); ok {
		if len(dst) > r.Len() {
			_, _ = r.Seek(0, io.SeekEnd)
			return io.ErrUnexpectedEOF
		}
		_, _ = r.Read(dst)
		return nil
	}
	r, ok := dec.Buffered().(io.ByteReader)
	if !ok {
		return errNoReader
	}
	for i := range dst {
		c, err := r.ReadByte()
		if err != nil {
			return io.ErrUnexpectedEOF
		}
		dst[i] = c
	}
	return nil
}

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
