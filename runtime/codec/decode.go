package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// Warner receives the fields Decode had to drop, with the reason.
type Warner func(key string, err error)

// decoder reads from a bytes.Reader, which msgpack uses without buffering,
// so the reader's position is always exactly after the last value decoded:
// that is what lets Decode slice raw values out of the payload and resume
// after a field that failed to decode.
//
// Its pool is kept apart from GetDecoder's on purpose: msgpack keeps the
// read buffer a declared length made it grow, and only bodies that passed
// wellFormed ever reach these decoders, whereas GetDecoder's read whatever
// generated UnmarshalMsgpack methods are given.
type decoder struct {
	r   bytes.Reader
	dec *msgpack.Decoder
}

var decoders = sync.Pool{New: func() any {
	d := &decoder{}
	d.dec = msgpack.NewDecoder(&d.r)
	return d
}}

// Decode parses payload into an Envelope, decoding fields into f when f is
// not nil and keeping the rest raw. Raw values alias payload: the caller must
// not change payload while it uses them.
//
// Decode returns an error wrapping ErrMalformed for a payload it cannot parse
// at all, and for one whose fields nest deeper than MaxDepth or number more
// than 4096 (no session type has that many: each would cost memory a
// multiple of its bytes); a single field that does not fit its type is reported to warn
// (which may be nil) and dropped. Decode never panics.
func Decode(payload []byte, f Fields, warn Warner) (env Envelope, err error) {
	if f != nil {
		// The result must reflect payload alone, never what f held before.
		f.ResetFields()
	}
	if len(payload) == 0 {
		return env, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if payload[0] > Version {
		return env, fmt.Errorf("%w: unknown format version %d (written by a newer release?)", ErrMalformed, payload[0])
	}
	// Version 1 puts a field's value inside the envelope array and the
	// fields map, version 0 inside the map alone.
	levels := 2
	if payload[0] == 0 {
		levels = 1
	}
	if err := wellFormed(payload[1:], levels); err != nil {
		return env, err
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	d.r.Reset(payload[1:])
	d.dec.Reset(&d.r)
	defer func() {
		// The generated decoders and msgpack are written not to panic; this
		// is the last line of defence, so that hostile input can never take
		// a request (or the process) down.
		if p := recover(); p != nil {
			env, err = Envelope{}, fmt.Errorf("%w: panic while decoding: %v", ErrMalformed, p)
			if f != nil {
				f.ResetFields()
			}
		}
	}()
	if warn == nil {
		warn = func(string, error) {}
	}
	env.Version = int(payload[0])
	switch payload[0] {
	case 1:
		err = d.decodeV1(payload[1:], &env, f, warn)
	case 0:
		err = d.decodeV0(payload[1:], &env, f, warn)
	default:
		err = fmt.Errorf("%w: unknown format version %d (written by a newer release?)", ErrMalformed, payload[0])
	}
	if err != nil {
		if f != nil {
			f.ResetFields()
		}
		return Envelope{}, err
	}
	return env, nil
}

func (d *decoder) decodeV1(body []byte, env *Envelope, f Fields, warn Warner) error {
	n, err := d.dec.DecodeArrayLen()
	if err != nil || n < v1Len {
		return fmt.Errorf("%w: bad envelope header (array of %d, %v)", ErrMalformed, n, err)
	}
	var created, saved, expiry int64
	var kind, flags uint64
	for _, step := range []func() error{
		func() (err error) { created, err = d.dec.DecodeInt64(); return },
		func() (err error) { saved, err = d.dec.DecodeInt64(); return },
		func() (err error) { kind, err = d.dec.DecodeUint64(); return },
		func() (err error) { expiry, err = d.dec.DecodeInt64(); return },
		func() (err error) { flags, err = d.dec.DecodeUint64(); return },
	} {
		if err := step(); err != nil {
			return fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
		}
	}
	env.Created, env.Saved = timeOrZero(created), timeOrZero(saved)
	env.TestCookie = flags&flagTestCookie != 0
	if kind > uint64(ExpiryAt) {
		// Checked before the conversion to ExpiryKind (a uint8) wraps it.
		return fmt.Errorf("%w: unknown expiry kind %d", ErrMalformed, kind)
	}
	switch ExpiryKind(kind) {
	case ExpiryDefault:
	case ExpiryIdle:
		env.Expiry, env.IdleSeconds = ExpiryIdle, expiry
	case ExpiryAt:
		env.Expiry, env.ExpiresAt = ExpiryAt, time.Unix(0, expiry).UTC()
	default:
		return fmt.Errorf("%w: unknown expiry kind %d", ErrMalformed, kind)
	}
	if err := d.decodeFields(body, env, f, warn, nil); err != nil {
		return err
	}
	for i := v1Len; i < n; i++ {
		if i == v1Len {
			if err := d.decodeLabels(env); err != nil {
				return err
			}
			continue
		}
		// Measured, like a field's value, from the value itself.
		if err := skipValue(d.dec, 0); err != nil {
			return fmt.Errorf("%w: trailing metadata: %w", ErrMalformed, err)
		}
	}
	return nil
}

// reserved handles a key of the map before it is treated as a field: the
// version 0 layout kept metadata in the same map.
type reserved func(key []byte) (handled bool, err error)

// decodeFields reads the fields map. body is the slice the reader reads, so
// positions in the reader index it.
func (d *decoder) decodeFields(body []byte, env *Envelope, f Fields, warn Warner, meta reserved) error {
	n, err := d.dec.DecodeMapLen()
	if err != nil {
		return fmt.Errorf("%w: fields: %v", ErrMalformed, err)
	}
	if n < 0 { // nil map
		return nil
	}
	if n > maxFields {
		return fmt.Errorf("%w: %d fields, more than the %d a session may have", ErrMalformed, n, maxFields)
	}
	for i := 0; i < n; i++ {
		key, err := d.readKey(body)
		if err != nil {
			return err
		}
		if meta != nil {
			handled, err := meta(key)
			if err != nil {
				return err
			}
			if handled {
				continue
			}
		}
		if err := d.decodeValue(body, env, f, key, warn); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) decodeValue(body []byte, env *Envelope, f Fields, key []byte, warn Warner) error {
	start := d.pos(body)
	if lazy, ok := f.(LazyFields); ok {
		// Raw bytes, found on the payload itself: no decoding at all.
		n, err := valueLen(body[start:], 0)
		if err != nil {
			return fmt.Errorf("%w: field %q: %w", ErrMalformed, key, err)
		}
		if _, err := d.r.Seek(int64(n), io.SeekCurrent); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if !lazy.TakeField(key, body[start:start+n]) {
			env.Raw = append(env.Raw, RawField{Key: string(key), Value: body[start : start+n]})
		}
		return nil
	}
	if f != nil {
		known, ferr := f.DecodeField(d.dec, key)
		if known && ferr == nil {
			return nil
		}
		if known {
			// The stored value does not fit the field's type (it changed
			// between deploys): drop this field, keep the others.
			warn(string(key), ferr)
			d.r.Reset(body)
			if _, err := d.r.Seek(int64(start), 0); err != nil {
				return fmt.Errorf("%w: %v", ErrMalformed, err)
			}
			d.dec.Reset(&d.r)
			if err := skipValue(d.dec, 0); err != nil {
				return fmt.Errorf("%w: field %q: %w", ErrMalformed, key, err)
			}
			return nil
		}
	}
	if err := skipValue(d.dec, 0); err != nil {
		return fmt.Errorf("%w: field %q: %w", ErrMalformed, key, err)
	}
	env.Raw = append(env.Raw, RawField{Key: string(key), Value: body[start:d.pos(body)]})
	return nil
}

func (d *decoder) pos(body []byte) int { return len(body) - d.r.Len() }

// readKey reads a msgpack string header and returns the key as a slice of
// body, without allocating.
func (d *decoder) readKey(body []byte) ([]byte, error) {
	c, err := d.r.ReadByte()
	if err != nil {
		return nil, fmt.Errorf("%w: truncated key", ErrMalformed)
	}
	var n int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		n = int(c & 0x1f)
	case c == 0xd9:
		n, err = d.readLen(1)
	case c == 0xda:
		n, err = d.readLen(2)
	case c == 0xdb:
		n, err = d.readLen(4)
	default:
		return nil, fmt.Errorf("%w: map key is not a string (code 0x%02x)", ErrMalformed, c)
	}
	if err != nil {
		return nil, err
	}
	start := d.pos(body)
	if n > d.r.Len() {
		return nil, fmt.Errorf("%w: key longer than payload", ErrMalformed)
	}
	if _, err := d.r.Seek(int64(n), 1); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return body[start : start+n], nil
}

func (d *decoder) readLen(size int) (int, error) {
	n := 0
	for i := 0; i < size; i++ {
		b, err := d.r.ReadByte()
		if err != nil {
			return 0, fmt.Errorf("%w: truncated key length", ErrMalformed)
		}
		n = n<<8 | int(b)
	}
	return n, nil
}

var errReserved = errors.New("bad value for a reserved key")
