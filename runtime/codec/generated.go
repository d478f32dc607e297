package codec

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// What sessiongen's generated code calls besides Writer, Reader and their
// generic helpers: the msgpack methods of a generated struct, written
// over its append and read functions, and the readers of arrays.

// writers and readers recycle the Writer and Reader of the functions
// below: the generated functions they call are func values, through which
// a Writer or Reader on the stack would escape, one allocation per call.
var (
	writers = sync.Pool{New: func() any { w := NewWriter(make([]byte, 0, 512)); return &w }}
	readers = sync.Pool{New: func() any { return new(Reader) }}
)

func getWriter() *Writer {
	w := writers.Get().(*Writer)
	*w = NewWriter(w.Bytes()[:0])
	return w
}

func putWriter(w *Writer) {
	if cap(w.Bytes()) <= maxPooled {
		writers.Put(w)
	}
}

// EncodeWith writes v to enc with app, for a generated EncodeMsgpack
// method.
func EncodeWith[T any](enc *msgpack.Encoder, v T, app func(*Writer, T)) error {
	w := getWriter()
	defer putWriter(w)
	app(w, v)
	if err := w.Err(); err != nil {
		return err
	}
	_, err := enc.Writer().Write(w.Bytes())
	return err
}

// AppendWith appends v, encoded with app, to b and returns the extended
// slice, for a generated AppendMsgpack method. It allocates only when b
// lacks the capacity. On an error it returns b as it was, with its length,
// and the error.
func AppendWith[T any](b []byte, v T, app func(*Writer, T)) ([]byte, error) {
	// A pooled Writer, as in the functions below: on the stack it would
	// escape through app, one allocation per call. It lends its own buffer
	// back when done and keeps nothing of b.
	w := writers.Get().(*Writer)
	own := w.Bytes()[:0]
	*w = NewWriter(b)
	app(w, v)
	out, err := w.Bytes(), w.Err()
	*w = NewWriter(own)
	writers.Put(w)
	if err != nil {
		return b, err
	}
	return out, nil
}

// MarshalWith returns v encoded with app in a new slice of its exact
// length, for a generated MarshalMsgpack method: the bytes AppendWith
// appends, written to a pooled buffer and then copied, one allocation.
func MarshalWith[T any](v T, app func(*Writer, T)) ([]byte, error) {
	w := getWriter()
	defer putWriter(w)
	app(w, v)
	if err := w.Err(); err != nil {
		return nil, err
	}
	return bytes.Clone(w.Bytes()), nil
}

// DecodeWith replaces *v with the next value of dec, read with read at
// depth 0, for a generated DecodeMsgpack method. On an error *v is left
// as it was.
func DecodeWith[T any](dec *msgpack.Decoder, v *T, read func(*Reader, int) T) error {
	b, err := DecodeRawValue(dec)
	if err != nil {
		return err
	}
	return UnmarshalWith(b, v, read)
}

// UnmarshalWith replaces *v with the value encoded in data, read with read
// at depth 0, for a generated UnmarshalMsgpack method. data must hold that
// one value and nothing after it. On an error *v is left as it was. It
// never panics on malformed data.
func UnmarshalWith[T any](data []byte, v *T, read func(*Reader, int) T) (err error) {
	defer func() {
		// The generated readers and Reader are written not to panic; this
		// is the last line of defence, so that hostile input can never take
		// a request (or the process) down.
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: panic while decoding: %v", ErrMalformed, p)
		}
	}()
	r := readers.Get().(*Reader)
	*r = NewReader(data)
	x := read(r, 0)
	err = r.Done()
	*r = Reader{} // let go of data
	readers.Put(r)
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// ReadFixedBin reads a msgpack bin (or string) of exactly len(dst) bytes
// into dst, for a [N]byte; nil leaves dst as it is.
func ReadFixedBin(r *Reader, dst []byte) {
	if r.Nil() {
		return
	}
	b := r.Bin()
	if r.Err() == nil && len(b) != len(dst) {
		r.Fail(fmt.Errorf("%w: %d bytes for a [%d]byte", ErrMalformed, len(b), len(dst)))
		return
	}
	copy(dst, b)
}

// ReadArray reads a msgpack array of exactly len(dst) elements into dst,
// each with elem, for a [N]T; nil leaves dst as it is.
func ReadArray[E any](r *Reader, depth int, dst []E, elem func(*Reader, int) E) {
	n := r.ArrayLen(depth)
	switch {
	case n < 0 || r.Err() != nil:
		return
	case n != len(dst):
		r.Fail(fmt.Errorf("%w: array of %d elements for a %d-element array", ErrMalformed, n, len(dst)))
		return
	}
	for i := range dst {
		dst[i] = elem(r, depth+1)
	}
}
