package codec

import (
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// appender is an io.Writer (and io.ByteWriter, so msgpack writes to it
// directly) that appends to a slice: a pooled msgpack.Encoder writes
// through it straight into a Writer's buffer.
type appender struct{ buf []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.buf = append(a.buf, p...)
	return len(p), nil
}

func (a *appender) WriteByte(c byte) error {
	a.buf = append(a.buf, c)
	return nil
}

type customEncoder struct {
	out appender
	enc *msgpack.Encoder
}

var customEncoders = sync.Pool{New: func() any {
	e := &customEncoder{}
	e.enc = msgpack.NewEncoder(&e.out)
	return e
}}

// Custom appends v as its EncodeMsgpack method writes it, through a pooled
// msgpack.Encoder with msgpack's default options. An error from it is
// recorded as w's error.
func (w *Writer) Custom(v msgpack.CustomEncoder) {
	if w.err != nil {
		return
	}
	e := customEncoders.Get().(*customEncoder)
	e.out.buf = w.buf
	err := v.EncodeMsgpack(e.enc)
	w.buf = e.out.buf
	e.out.buf = nil
	// Reset clears options a hand-written EncodeMsgpack may have set, so
	// they do not carry over to the next user.
	e.enc.Reset(&e.out)
	customEncoders.Put(e)
	w.Fail(err)
}

// Custom decodes the next value, which lies inside depth arrays and maps,
// with v's DecodeMsgpack method, through a pooled msgpack.Decoder (see
// GetDecoder) that sees that value alone. The value is first checked as by
// Skip, so v never meets one deeper than MaxDepth or a length longer than
// the input. An error from v is recorded, wrapping ErrMalformed. What v
// allocates is up to v: MaxElements does not see inside the value.
func (r *Reader) Custom(v msgpack.CustomDecoder, depth int) {
	b := r.Raw(depth)
	if r.err != nil {
		return
	}
	d := GetDecoder(b)
	if err := d.Done(v.DecodeMsgpack(d.Msgpack())); err != nil {
		r.Fail(malformed(err))
	}
}
