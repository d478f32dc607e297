package codec

import (
	"fmt"
	"time"
)

// Version 0 reserved keys. The earlier layout stored metadata in the same
// map as the fields, the way Django kept "_session_expiry" in the session
// dict; a field could not use these names.
const (
	v0Created = "_created"
	v0Expiry  = "_expiry"
)

// decodeV0 reads the version 0 layout: one map holding the fields and the
// reserved keys. "_created" is Unix seconds; "_expiry" is either an integer
// (seconds of inactivity) or a string in RFC 3339 (an absolute time).
func (d *envDecoder) decodeV0(env *Envelope) error {
	meta := func(key []byte) (bool, error) {
		switch string(key) {
		case v0Created:
			sec := d.r.Int()
			if d.r.Err() != nil {
				return true, fmt.Errorf("%w: %s: %w", ErrMalformed, v0Created, errReserved)
			}
			env.Created = timeOrZero(sec)
			return true, nil
		case v0Expiry:
			return true, d.decodeV0Expiry(env)
		}
		return false, nil
	}
	return d.decodeFields(env, meta)
}

func (d *envDecoder) decodeV0Expiry(env *Envelope) error {
	r := &d.r
	if r.Len() == 0 {
		return fmt.Errorf("%w: %s: truncated", ErrMalformed, v0Expiry)
	}
	switch c := r.b[r.i]; {
	case r.Nil():
		// nil: no custom expiry, as Django's None.
		env.Expiry = ExpiryDefault
		return nil
	case isStr(c):
		s := r.Str()
		if err := r.Err(); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrMalformed, v0Expiry, err)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, v0Expiry, errReserved)
		}
		env.Expiry, env.ExpiresAt = ExpiryAt, time.Unix(0, unixNano(t)).UTC()
		return nil
	}
	sec := r.Int()
	if r.Err() != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformed, v0Expiry, errReserved)
	}
	env.Expiry, env.IdleSeconds = ExpiryIdle, sec
	return nil
}
