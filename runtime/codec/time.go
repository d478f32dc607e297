package codec

import (
	"encoding/binary"
	"fmt"
	"time"
)

// timeExt is the msgpack extension type of a timestamp; msgpack/v5 also
// reads 13, which some JavaScript libraries write.
const (
	timeExt     = 0xff // -1
	timeExtNode = 13
)

// Time appends t as msgpack/v5's Encoder.EncodeTime does: the timestamp
// extension, in 4 bytes (seconds since 1970 that fit 32 bits, no
// nanoseconds), 8 (34-bit seconds and nanoseconds) or 12 (anything else).
// The location is not kept.
func (w *Writer) Time(t time.Time) {
	if w.err != nil {
		return
	}
	secs := uint64(t.Unix())
	if data := uint64(t.Nanosecond())<<34 | secs; secs>>34 == 0 {
		if data>>32 == 0 {
			w.buf = binary.BigEndian.AppendUint32(append(w.buf, 0xd6, timeExt), uint32(data))
			return
		}
		w.buf = binary.BigEndian.AppendUint64(append(w.buf, 0xd7, timeExt), data)
		return
	}
	w.buf = binary.BigEndian.AppendUint32(append(w.buf, 0xc7, 12, timeExt), uint32(t.Nanosecond()))
	w.buf = binary.BigEndian.AppendUint64(w.buf, secs)
}

// Time reads a time as msgpack/v5's Decoder.DecodeTime does, and returns it
// in UTC: the timestamp extension (type -1 or 13, of 4, 8 or 12 bytes), an
// RFC 3339 string, or the legacy array [seconds, nanoseconds]. Unlike the
// numbers, nil is not a time.
func (r *Reader) Time() time.Time {
	c, ok := r.next()
	switch {
	case !ok:
		return time.Time{}
	case c == 0x92:
		sec, nsec := r.Int(), r.Int()
		if r.err != nil {
			return time.Time{}
		}
		return time.Unix(sec, nsec).UTC()
	case isStr(c):
		return r.parseTime(c)
	}
	n, ok := r.extLen(c)
	if !ok {
		return time.Time{}
	}
	if id, ok := r.next(); ok && id != timeExt && id != timeExtNode {
		r.failf("time extension of type %d", int8(id))
	}
	b, ok := r.take(n)
	if !ok {
		return time.Time{}
	}
	return r.timestamp(b)
}

// timestamp decodes the data of a timestamp extension.
func (r *Reader) timestamp(b []byte) time.Time {
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0).UTC()
	case 8:
		data := binary.BigEndian.Uint64(b)
		return time.Unix(int64(data&(1<<34-1)), int64(data>>34)).UTC()
	case 12:
		nsec := binary.BigEndian.Uint32(b)
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(nsec)).UTC()
	}
	r.failf("time extension of %d bytes", len(b))
	return time.Time{}
}

// parseTime reads the rest of a string that starts with code c as an RFC
// 3339 time.
func (r *Reader) parseTime(c byte) time.Time {
	n, ok := r.strLen(c)
	if !ok {
		return time.Time{}
	}
	b, ok := r.take(max(n, 0))
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		r.Fail(fmt.Errorf("%w: %w", ErrMalformed, err))
		return time.Time{}
	}
	return t.UTC()
}

// extLen reads the data length of an extension that starts with code c.
func (r *Reader) extLen(c byte) (int, bool) {
	switch {
	case c >= 0xd4 && c <= 0xd8: // fixext 1, 2, 4, 8, 16
		return 1 << (c - 0xd4), true
	case c >= 0xc7 && c <= 0xc9: // ext 8, 16, 32
		return r.uintN(1 << (c - 0xc7))
	}
	r.failf("code 0x%02x where a time should be", c)
	return 0, false
}
