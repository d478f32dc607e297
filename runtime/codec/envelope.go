package codec

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Version is the newest envelope format this release writes: version 2,
// with long values detached from the head (EncodeDetached, for records a
// signature covers, when they hold a long value). Version 1, everything
// inline, is current too: EncodeDetached writes it for a record with no
// long value, and Encode for stores that authenticate the whole record
// themselves. Only version 0 is stale.
const Version = 2

// MinVersion is the oldest envelope format that is current: a record in
// an older one should be re-written.
const MinVersion = 1

// v1Len is the number of elements in a version 1 envelope array. A longer
// array (from a newer release that added metadata) is accepted and the
// extra elements it does not know are ignored; the seventh holds the
// labels (labels.go).
const v1Len = 6

const flagTestCookie = 1 << 0

// maxFields is the most fields a payload may hold, known and raw together.
// No session type comes near it; without a limit, each two-byte field of a
// hostile payload (an empty key, nil) costs a RawField of 40 bytes and more
// in the growing slice, so 8 MB of them cost a gigabyte.
const maxFields = 4096

// ErrMalformed is wrapped by every error Decode returns for a payload that
// cannot be parsed.
var ErrMalformed = errors.New("codec: malformed session payload")

// Envelope is the decoded form of a session payload.
type Envelope struct {
	Meta
	// Version is the format version the payload was written in. A value below
	// the package's MinVersion means the payload should be re-written.
	Version int
	// Raw holds the fields that were not decoded into the bound Fields: keys
	// it does not know, or every field when Decode was given no Fields.
	Raw []RawField
}

// Encode appends the version 1 envelope of meta, the present fields of
// f (which may be nil) and raw to dst and returns the extended slice. It
// returns ErrTooDeep for a field whose value nests deeper than MaxDepth,
// and an error for more than 4096 fields, which Decode would refuse.
//
// It refuses to write what Decode would refuse to read (the session would
// be lost on its next load instead), without walking the bytes it writes
// a second time: each value of raw is checked as Decode checks a field's
// value (one complete value, no deeper than MaxDepth), and f checks what
// it encodes afresh (see Fields.EncodeFields) and copies the rest as
// Decode handed it over, checked then.
func Encode(dst []byte, meta *Meta, f Fields, raw []RawField) ([]byte, error) {
	if meta == nil {
		meta = &Meta{}
	}
	// A Writer handed to f through an interface would escape, one
	// allocation per Encode: it comes from a pool instead, appending to
	// dst.
	w := envWriters.Get().(*Writer)
	*w = NewWriter(append(dst, 1))
	err := encodeV1(w, meta, f, raw)
	if err == nil {
		err = w.Err()
	}
	out := w.Bytes()
	*w = Writer{}
	envWriters.Put(w)
	switch {
	case errors.Is(err, ErrTooDeep):
		return dst, fmt.Errorf("codec: encode: a field's value nests arrays and maps deeper than %d levels, which no decoder reads back (%w)", MaxDepth, err)
	case err != nil:
		return dst, fmt.Errorf("codec: encode: %w", err)
	}
	return out, nil
}

// envWriters recycles the Writers of Encode. They hold no buffer of their
// own: each appends to the dst of its Encode.
var envWriters = sync.Pool{New: func() any { return new(Writer) }}

func encodeV1(w *Writer, m *Meta, f Fields, raw []RawField) error {
	n := len(raw)
	if f != nil {
		n += f.FieldCount()
	}
	if n > maxFields {
		return fmt.Errorf("%d fields, more than the %d a session may have, which no decoder reads back", n, maxFields)
	}
	w.ArrayLen(v1Len + labelsLen(m))
	encodeMeta(w, m)
	w.MapLen(n)
	if f != nil {
		if err := f.EncodeFields(w); err != nil {
			return err
		}
	}
	if err := encodeRaw(w, raw); err != nil {
		return err
	}
	return encodeLabels(w, m)
}

// encodeRaw writes the raw fields, each checked as Decode checks a value:
// they come from a decode, but also from callers (SetRawField, a merge's
// replays), and one Decode refuses would cost the whole session.
func encodeRaw(w *Writer, raw []RawField) error {
	for _, r := range raw {
		if err := checkValue(r.Value); err != nil {
			return fmt.Errorf("raw field %q: %w", r.Key, err)
		}
		w.Str(r.Key)
		w.Raw(r.Value)
	}
	return nil
}

// checkValue reports an error wrapping ErrMalformed (ErrTooDeep for too
// deep) unless b is one complete msgpack value nested at most MaxDepth
// deep, as Decode requires of a field's value.
func checkValue(b []byte) error {
	n, err := valueLen(b, 0)
	if err == nil && n != len(b) {
		err = fmt.Errorf("%w: %d bytes after the value", ErrMalformed, len(b)-n)
	}
	return err
}

// UnixNano covers the years 1678 to 2262 only. An absolute expiry outside
// them is clamped to the nearest end: later than 2262 is as good as never,
// earlier than 1678 as good as long past, and the clamped value survives
// every later round trip unchanged.
var minNano, maxNano = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minNano):
		return math.MinInt64
	case t.After(maxNano):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
