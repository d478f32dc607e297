package codec

import (
	"errors"
	"fmt"
	"time"
)

// Warner receives the fields Decode had to drop, with the reason.
type Warner func(key string, err error)

// Decode parses payload into an Envelope, decoding fields into f when f is
// not nil and keeping the rest raw. Raw values alias payload: the caller must
// not change payload while it uses them.
//
// Decode returns an error wrapping ErrMalformed for a payload it cannot parse
// at all, and for one whose fields nest deeper than MaxDepth or number more
// than 4096 (no session type has that many: each would cost memory a
// multiple of its bytes); a single field that does not fit its type is reported to warn
// (which may be nil) and dropped. Decode never panics.
//
// It reads the payload once, front to back, with a Reader: the envelope's
// own headers and metadata through the Reader's checked reads, and each
// field's value by finding its extent (valueLen, which checks its lengths
// and depth as it goes) and handing that slice on, to LazyFields as it is,
// or to Fields.DecodeField. Nothing reads a value before its extent has
// been checked, which is what msgpack/v5's Decoder needs (see GetDecoder).
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
	defer func() {
		// The generated decoders and Reader are written not to panic; this
		// is the last line of defence, so that hostile input (or a Fields
		// with a bug) can never take a request, or the process, down.
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
	d := envDecoder{r: NewReader(payload[1:]), f: f, warn: warn}
	d.lazy, _ = f.(LazyFields)
	env.Version = int(payload[0])
	switch payload[0] {
	case 2:
		var n int
		if n, err = SignedLen(payload); err == nil {
			d.r = NewReader(payload[v2Prefix:n])
			err = d.decodeHead(&env, v2Len, payload[n:])
		}
	case 1:
		err = d.decodeHead(&env, v1Len, nil)
	case 0:
		err = d.decodeV0(&env)
	default:
		err = fmt.Errorf("%w: unknown format version %d (written by a newer release?)", ErrMalformed, payload[0])
	}
	if err == nil && d.r.Len() > 0 {
		err = fmt.Errorf("%w: %d bytes after the envelope", ErrMalformed, d.r.Len())
	}
	if err != nil {
		if f != nil {
			f.ResetFields()
		}
		return Envelope{}, err
	}
	return env, nil
}

// envDecoder is one Decode: the Reader over the body (the payload after
// its version byte) and where the fields go.
type envDecoder struct {
	r      Reader
	f      Fields
	lazy   LazyFields // f, when it takes encoded values
	warn   Warner
	fields int // fields in the fields map (inline, in version 2)
}

// decodeHead reads the envelope array of version 1 (detached nil) or the
// head of version 2, whose detached values are what follows it.
func (d *envDecoder) decodeHead(env *Envelope, minLen int, detached []byte) error {
	r := &d.r
	n := r.ArrayLen(0)
	if err := r.Err(); err != nil || n < minLen {
		return fmt.Errorf("%w: bad envelope header (array of %d, %v)", ErrMalformed, n, err)
	}
	if err := d.decodeMeta(env); err != nil {
		return err
	}
	if err := d.decodeFields(env, nil); err != nil {
		return err
	}
	if minLen == v2Len {
		if err := d.decodeDetached(env, detached); err != nil {
			return err
		}
	}
	return d.decodeTrailing(env, minLen, n)
}

// decodeMeta reads the five metadata elements that open the envelope
// array.
func (d *envDecoder) decodeMeta(env *Envelope) error {
	r := &d.r
	created, saved := r.Int(), r.Int()
	kind, expiry, flags := r.Uint(), r.Int(), r.Uint()
	if err := r.Err(); err != nil {
		return fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
	}
	env.Created, env.Saved = timeOrZero(created), timeOrZero(saved)
	env.TestCookie = flags&flagTestCookie != 0
	if kind > uint64(ExpiryAt) {
		// Checked before the conversion to ExpiryKind (a uint8) wraps it.
		return fmt.Errorf("%w: unknown expiry kind %d", ErrMalformed, kind)
	}
	switch ExpiryKind(kind) {
	case ExpiryIdle:
		env.Expiry, env.IdleSeconds = ExpiryIdle, expiry
	case ExpiryAt:
		env.Expiry, env.ExpiresAt = ExpiryAt, time.Unix(0, expiry).UTC()
	}
	return nil
}

// decodeTrailing reads the elements of an envelope array of n after the
// first known: the labels, if the array goes that far (element labelsAt),
// then whatever a newer release added, stepped over.
func (d *envDecoder) decodeTrailing(env *Envelope, labelsAt, n int) error {
	for i := labelsAt; i < n; i++ {
		if i == labelsAt {
			if err := d.decodeLabels(env); err != nil {
				return err
			}
			continue
		}
		// Measured, like a field's value, from the value itself.
		if d.r.Skip(0); d.r.Err() != nil {
			return fmt.Errorf("%w: trailing metadata: %w", ErrMalformed, d.r.Err())
		}
	}
	return nil
}

// reserved handles a key of the map before it is treated as a field: the
// version 0 layout kept metadata in the same map. It reads the value of a
// key it handles.
type reserved func(key []byte) (handled bool, err error)

// decodeFields reads the fields map.
func (d *envDecoder) decodeFields(env *Envelope, meta reserved) error {
	n := d.r.MapLen(0)
	if err := d.r.Err(); err != nil {
		return fmt.Errorf("%w: fields: %w", ErrMalformed, err)
	}
	if n < 0 { // nil map
		return nil
	}
	if n > maxFields {
		return fmt.Errorf("%w: %d fields, more than the %d a session may have", ErrMalformed, n, maxFields)
	}
	d.fields = n
	for range n {
		key, err := d.readKey()
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
		value, err := d.value(key)
		if err != nil {
			return err
		}
		d.field(env, key, value)
	}
	return nil
}

// value returns the next value, a field's: a slice of the payload whose
// lengths and depth have been checked (its capacity ends with it, so that
// no append to it reaches the bytes after it).
func (d *envDecoder) value(key []byte) ([]byte, error) {
	n, err := valueLen(d.r.b[d.r.i:], 0)
	if err != nil {
		return nil, fmt.Errorf("%w: field %q: %w", ErrMalformed, key, err)
	}
	v, _ := d.r.take(n)
	return v, nil
}

// field hands the value of key to the Fields, or keeps it raw.
func (d *envDecoder) field(env *Envelope, key, value []byte) {
	switch {
	case d.lazy != nil:
		// Raw bytes, found on the payload itself: no decoding at all.
		if d.lazy.TakeField(key, value) {
			return
		}
	case d.f != nil:
		known, err := d.f.DecodeField(key, value)
		if known {
			if err != nil {
				// The stored value does not fit the field's type (it
				// changed between deploys): drop this field, keep the
				// others.
				d.warn(string(key), err)
			}
			return
		}
	}
	env.Raw = append(env.Raw, RawField{Key: string(key), Value: value})
}

// readKey reads a map key, which must be a msgpack string, and returns it
// as a slice of the payload, without allocating.
func (d *envDecoder) readKey() ([]byte, error) {
	r := &d.r
	if r.Len() == 0 {
		return nil, fmt.Errorf("%w: truncated key", ErrMalformed)
	}
	if c := r.b[r.i]; !isStr(c) {
		return nil, fmt.Errorf("%w: map key is not a string (code 0x%02x)", ErrMalformed, c)
	}
	key := r.Key()
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%w: key: %w", ErrMalformed, err)
	}
	return key, nil
}

var errReserved = errors.New("bad value for a reserved key")
