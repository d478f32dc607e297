package django

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Django's sessions are JSON; typedsession's generated types read and write
// msgpack (codec.Fields). This file converts one value at a time between
// the two, so the generated code works unchanged on Django's data.
//
// JSON to msgpack: null, true/false, strings, arrays and objects map to
// their msgpack kinds; an integer literal to a msgpack int (uint above
// int64), any other number to a float64. An integer beyond 64 bits (Python
// has them) becomes extJSON holding its literal, so it is written back as
// it came.
//
// msgpack to JSON, written as Python's json.dumps(separators=(",", ":"))
// (Django's JSONSerializer) writes it, so an unchanged value reads back
// byte for byte: strings with ensure_ascii escapes, floats as Python's
// repr, a msgpack timestamp as datetime.isoformat() in UTC
// ("2026-01-01T00:00:00.123456+00:00", microseconds), integer map keys as
// strings as json.dumps writes them. Binary values have no JSON form and
// are refused.

// extJSON is the msgpack extension type holding JSON text that has no
// msgpack counterpart (an integer beyond 64 bits).
const extJSON = 'J'

// errBinary is returned for a []byte value: JSON cannot hold one.
var errBinary = errors.New("a binary ([]byte) value cannot be stored in a Django JSON session: use a string")

// jnode is one parsed JSON value, objects keeping their key order.
type jnode struct {
	kind  byte // 'n' null, 'b' bool, 'i' integer literal, 'f' float, 's' string, 'a' array, 'o' object
	b     bool
	s     string // the literal for 'i' and 'f', the text for 's'
	keys  []string
	elems []*jnode
}

// parseJSON parses one JSON value, refusing nesting beyond codec.MaxDepth.
func parseJSON(doc []byte) (*jnode, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	n, err := parseNode(d, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return n, nil
}

func parseNode(d *json.Decoder, depth int) (*jnode, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case nil:
		return &jnode{kind: 'n'}, nil
	case bool:
		return &jnode{kind: 'b', b: v}, nil
	case string:
		return &jnode{kind: 's', s: v}, nil
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return &jnode{kind: 'f', s: string(v)}, nil
		}
		return &jnode{kind: 'i', s: string(v)}, nil
	case json.Delim:
		if err := codec.Enter(depth + 1); err != nil {
			return nil, err
		}
		n := &jnode{kind: 'a'}
		if v == '{' {
			n.kind = 'o'
		}
		for d.More() {
			if n.kind == 'o' {
				k, err := d.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			e, err := parseNode(d, depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		_, err := d.Token() // the closing delimiter
		return n, err
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// toMsgpack writes n as msgpack. With guess, strings that read as ISO 8601
// datetimes become msgpack timestamps and object keys that read as
// integers become integers: the second try for a field whose first did not
// fit its type (a time.Time, a map with integer keys).
func toMsgpack(enc *msgpack.Encoder, n *jnode, guess bool) error {
	switch n.kind {
	case 'n':
		return enc.EncodeNil()
	case 'b':
		return enc.EncodeBool(n.b)
	case 's':
		if guess {
			if t, ok := parseISO(n.s); ok {
				return enc.EncodeTime(t)
			}
		}
		return enc.EncodeString(n.s)
	case 'i':
		return encodeIntLiteral(enc, n.s)
	case 'f':
		f, err := strconv.ParseFloat(n.s, 64)
		if err != nil {
			return fmt.Errorf("number %s: %w", n.s, err)
		}
		return enc.EncodeFloat64(f)
	case 'a':
		if err := enc.EncodeArrayLen(len(n.elems)); err != nil {
			return err
		}
	case 'o':
		if err := enc.EncodeMapLen(len(n.elems)); err != nil {
			return err
		}
	}
	for i, e := range n.elems {
		if n.kind == 'o' {
			if err := encodeKey(enc, n.keys[i], guess); err != nil {
				return err
			}
		}
		if err := toMsgpack(enc, e, guess); err != nil {
			return err
		}
	}
	return nil
}

func encodeKey(enc *msgpack.Encoder, k string, guess bool) error {
	if guess {
		if i, err := strconv.ParseInt(k, 10, 64); err == nil && strconv.FormatInt(i, 10) == k {
			return enc.EncodeInt(i)
		}
	}
	return enc.EncodeString(k)
}

func encodeIntLiteral(enc *msgpack.Encoder, lit string) error {
	if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return enc.EncodeInt(i)
	}
	if u, err := strconv.ParseUint(lit, 10, 64); err == nil {
		return enc.EncodeUint(u)
	}
	if err := enc.EncodeExtHeader(extJSON, len(lit)); err != nil {
		return err
	}
	_, err := enc.Writer().Write([]byte(lit))
	return err
}

// parseISO reads what Python's datetime.isoformat() and DjangoJSONEncoder
// write. A datetime without an offset is read as UTC (Django with
// USE_TZ = True stores UTC).
func parseISO(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[10] != 'T' && s[10] != ' ' {
		return time.Time{}, false
	}
	s = s[:10] + "T" + s[11:]
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// formatISO writes t as Python's datetime.isoformat() does for an aware UTC
// datetime: microseconds only when there are any.
func formatISO(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}

// appendJSON reads one msgpack value from dec and appends its JSON form.
func appendJSON(dst []byte, dec *msgpack.Decoder, depth int) ([]byte, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return dst, err
	}
	switch {
	case c == msgpcode.Nil:
		return append(dst, "null"...), dec.DecodeNil()
	case c == msgpcode.True || c == msgpcode.False:
		b, err := dec.DecodeBool()
		return strconv.AppendBool(dst, b), err
	case msgpcode.IsFixedNum(c) || c >= msgpcode.Int8 && c <= msgpcode.Int64:
		i, err := dec.DecodeInt64()
		return strconv.AppendInt(dst, i, 10), err
	case c >= msgpcode.Uint8 && c <= msgpcode.Uint64:
		u, err := dec.DecodeUint64()
		return strconv.AppendUint(dst, u, 10), err
	case c == msgpcode.Float || c == msgpcode.Double:
		f, err := dec.DecodeFloat64()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return dst, fmt.Errorf("%v has no JSON form (Python writes it, but neither JSON nor Go reads it)", f)
		}
		return appendPyFloat(dst, f), err
	case msgpcode.IsString(c):
		s, err := dec.DecodeString()
		return appendPyString(dst, s), err
	case msgpcode.IsBin(c):
		return dst, errBinary
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		return appendArray(dst, dec, depth+1)
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		return appendObject(dst, dec, depth+1)
	case msgpcode.IsExt(c):
		return appendExt(dst, dec)
	}
	return dst, fmt.Errorf("msgpack code 0x%x has no JSON form", c)
}

func appendArray(dst []byte, dec *msgpack.Decoder, depth int) ([]byte, error) {
	if err := codec.Enter(depth); err != nil {
		return dst, err
	}
	n, err := dec.DecodeArrayLen()
	if err != nil {
		return dst, err
	}
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendJSON(dst, dec, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func appendObject(dst []byte, dec *msgpack.Decoder, depth int) ([]byte, error) {
	if err := codec.Enter(depth); err != nil {
		return dst, err
	}
	n, err := dec.DecodeMapLen()
	if err != nil {
		return dst, err
	}
	dst = append(dst, '{')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendKey(dst, dec); err != nil {
			return dst, err
		}
		dst = append(dst, ':')
		if dst, err = appendJSON(dst, dec, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendKey writes a map key as json.dumps does: strings as they are,
// integers and booleans as their text.
func appendKey(dst []byte, dec *msgpack.Decoder) ([]byte, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return dst, err
	}
	switch {
	case msgpcode.IsString(c):
		s, err := dec.DecodeString()
		return appendPyString(dst, s), err
	case msgpcode.IsFixedNum(c) || c >= msgpcode.Int8 && c <= msgpcode.Int64:
		i, err := dec.DecodeInt64()
		return append(strconv.AppendInt(append(dst, '"'), i, 10), '"'), err
	case c >= msgpcode.Uint8 && c <= msgpcode.Uint64:
		u, err := dec.DecodeUint64()
		return append(strconv.AppendUint(append(dst, '"'), u, 10), '"'), err
	case c == msgpcode.True || c == msgpcode.False:
		b, err := dec.DecodeBool()
		return append(strconv.AppendBool(append(dst, '"'), b), '"'), err
	}
	return dst, fmt.Errorf("a map key of msgpack code 0x%x has no JSON form", c)
}

func appendExt(dst []byte, dec *msgpack.Decoder) ([]byte, error) {
	typ, n, err := dec.DecodeExtHeader()
	if err != nil {
		return dst, err
	}
	if n > 1<<16 {
		return dst, fmt.Errorf("msgpack extension of %d bytes", n)
	}
	body := make([]byte, n)
	if err := dec.ReadFull(body); err != nil {
		return dst, err
	}
	switch typ {
	case -1:
		t, err := msgpackTime(body)
		if err != nil {
			return dst, err
		}
		return appendPyString(dst, formatISO(t)), nil
	case extJSON:
		if _, err := strconv.ParseInt(string(body), 10, 64); err != nil && !bigIntLiteral(body) {
			return dst, fmt.Errorf("extension %q does not hold an integer literal", body)
		}
		return append(dst, body...), nil
	}
	return dst, fmt.Errorf("msgpack extension type %d has no JSON form", typ)
}

func bigIntLiteral(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 4300 { // Python's default int digit limit
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// msgpackTime decodes the msgpack timestamp extension's body.
func msgpackTime(b []byte) (time.Time, error) {
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0), nil
	case 8:
		v := binary.BigEndian.Uint64(b)
		return time.Unix(int64(v&(1<<34-1)), int64(v>>34)), nil
	case 12:
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(binary.BigEndian.Uint32(b))), nil
	}
	return time.Time{}, fmt.Errorf("msgpack timestamp of %d bytes", len(b))
}

// appendPyFloat writes f as Python's float repr, which json.dumps uses:
// shortest round-trip digits, ".0" on whole numbers, exponent notation
// below 1e-4 and from 1e16 on.
func appendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // [-]d[.ddd]e±XX
	i := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp >= -4 && exp < 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		dst = append(dst, s...)
		if !strings.ContainsAny(s, ".") {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	dst = append(dst, e[:i+1]...)
	if exp < 0 {
		dst, exp = append(dst, '-'), -exp
	} else {
		dst = append(dst, '+')
	}
	if exp < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(exp), 10)
}

// appendPyString writes s as json.dumps with ensure_ascii: everything
// outside printable ASCII escaped, with lower-case hex and surrogate pairs.
func appendPyString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	u := func(dst []byte, r rune) []byte {
		return append(dst, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
	}
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"':
			dst = append(dst, '\\', '"')
		case r == '\\':
			dst = append(dst, '\\', '\\')
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r == '\b':
			dst = append(dst, '\\', 'b')
		case r == '\f':
			dst = append(dst, '\\', 'f')
		case r >= 0x20 && r < 0x7f:
			dst = append(dst, byte(r))
		case r >= 0x10000 && r <= utf8.MaxRune:
			r1, r2 := utf16.EncodeRune(r)
			dst = u(u(dst, r1), r2)
		default:
			dst = u(dst, r)
		}
	}
	return append(dst, '"')
}
