package django

import (
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/vmihailenco/msgpack/v5"
)

// The keys of Django's session metadata.
const (
	keyExpiry     = "_session_expiry"
	keyTestCookie = "testcookie" // SessionBase.TEST_COOKIE_NAME
	testCookieSet = "worked"     // SessionBase.TEST_COOKIE_VALUE
)

// ErrPickle is returned (wrapped) for a session Django's cache holds in
// pickle form: unpickling runs code chosen by whoever can write the cache,
// and nothing outside Python reads it.
var ErrPickle = errors.New("django: the session is a Python pickle, not JSON: configure the cache with " +
	`django-redis's JSON serializer ("OPTIONS": {"SERIALIZER": "django_redis.serializers.json.JSONSerializer"})`)

// format is Django's session wire format: the session dict as JSON, signed
// by the db and cookie backends, plain in the cache.
type format struct {
	signer *Signer       // nil: plain JSON (the cache backend)
	maxAge time.Duration // the cookie backend's SESSION_COOKIE_AGE check
	legacy bool          // also read Django's pre-3.1 base64("hash:json")
}

func newFormat(cfg session.FormatConfig, salt string) (*format, error) {
	if len(cfg.Secrets) == 0 || cfg.Secrets[0] == "" {
		return nil, errors.New("django: no secret: set Config.Secret to Django's SECRET_KEY")
	}
	return &format{signer: &Signer{Secret: cfg.Secrets[0], Fallbacks: cfg.Secrets[1:], Salt: salt}}, nil
}

// Encode implements session.Format.
func (f *format) Encode(dst []byte, meta *codec.Meta, fields codec.Fields, raw []codec.RawField) ([]byte, error) {
	doc, err := encodeDict(meta, fields, raw)
	if err != nil {
		return dst, fmt.Errorf("django: encode: %w", err)
	}
	if f.signer == nil {
		return append(dst, doc...), nil
	}
	return append(dst, f.signer.Dumps(doc)...), nil
}

// Decode implements session.Format. A signed session's Saved is its
// signature's timestamp, when it was last written (the Manager's
// IdleTimeout refresh reads it); the cache's unsigned JSON has none.
func (f *format) Decode(data []byte, fields codec.Fields, warn codec.Warner) (codec.Envelope, bool, error) {
	if fields != nil {
		fields.ResetFields()
	}
	doc := data
	var ver Verified
	if f.signer != nil {
		var err error
		doc, ver, err = f.signer.Loads(string(data), f.maxAge)
		if err != nil && f.legacy {
			doc, err = f.legacyDecode(data)
			ver.Stale = true
		}
		if err != nil {
			return codec.Envelope{}, false, fmt.Errorf("%w: %w", session.ErrForged, err)
		}
	} else if len(data) > 0 && data[0] == 0x80 {
		return codec.Envelope{}, false, ErrPickle
	}
	env, err := decodeDict(doc, fields, warn)
	if err != nil {
		return env, false, fmt.Errorf("django: decode: %w", err)
	}
	env.Saved = ver.Timestamp
	return env, ver.Stale, nil
}

// legacyDecode reads the format of Django before 3.1, which 3.2 still
// reads: base64 of hex(HMAC-SHA1) + ":" + JSON, keyed with salted_hmac of
// "django.contrib.sessions" + "SessionStore".
func (f *format) legacyDecode(data []byte) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(string(data))
	if err != nil {
		return nil, fmt.Errorf("%w: neither signed nor legacy format", ErrBadSignature)
	}
	mac, doc, ok := bytes.Cut(raw, []byte(":"))
	if !ok {
		return nil, fmt.Errorf("%w: legacy format without ':'", ErrBadSignature)
	}
	for _, secret := range append([]string{f.signer.Secret}, f.signer.Fallbacks...) {
		want := fmt.Sprintf("%x", saltedHMAC(sha1.New, "django.contrib.sessionsSessionStore", string(doc), secret))
		if subtle.ConstantTimeCompare(mac, []byte(want)) == 1 {
			return doc, nil
		}
	}
	return nil, fmt.Errorf("%w: legacy hash does not match", ErrBadSignature)
}

// encodeDict writes the session as Django's dict: the fields, the
// metadata keys, then the raw fields.
func encodeDict(meta *codec.Meta, fields codec.Fields, raw []codec.RawField) ([]byte, error) {
	doc := []byte{'{'}
	sep := func() {
		if len(doc) > 1 {
			doc = append(doc, ',')
		}
	}
	if fields != nil && fields.FieldCount() > 0 {
		w := codec.NewWriter(nil)
		if err := fields.EncodeFields(&w); err != nil {
			return nil, err
		}
		d := codec.GetDecoder(w.Bytes())
		for range fields.FieldCount() {
			key, err := d.Msgpack().DecodeString()
			if err != nil {
				return nil, d.Done(err)
			}
			sep()
			doc = appendPyString(doc, key)
			doc = append(doc, ':')
			if doc, err = appendJSON(doc, d.Msgpack(), 0); err != nil {
				d.Done(nil)
				return nil, fmt.Errorf("field %q: %w", key, err)
			}
		}
		d.Done(nil)
	}
	if meta != nil {
		switch meta.Expiry {
		case codec.ExpiryIdle:
			sep()
			doc = strconv.AppendInt(append(doc, `"`+keyExpiry+`":`...), meta.IdleSeconds, 10)
		case codec.ExpiryAt:
			sep()
			doc = appendPyString(append(doc, `"`+keyExpiry+`":`...), formatISO(meta.ExpiresAt))
		}
		if meta.TestCookie {
			sep()
			doc = append(doc, `"`+keyTestCookie+`":"`+testCookieSet+`"`...)
		}
	}
	for _, r := range raw {
		sep()
		doc = appendPyString(doc, r.Key)
		doc = append(doc, ':')
		var err error
		if doc, err = appendJSON(doc, msgpack.NewDecoder(bytes.NewReader(r.Value)), 0); err != nil {
			return nil, fmt.Errorf("field %q: %w", r.Key, err)
		}
	}
	return append(doc, '}'), nil
}

// decodeDict reads Django's session dict: metadata keys into the
// envelope's Meta, the keys fields knows into fields, the rest into Raw
// (as msgpack, which codec.DecodeRaw and encodeDict read).
func decodeDict(doc []byte, fields codec.Fields, warn codec.Warner) (codec.Envelope, error) {
	var env codec.Envelope
	env.Version = codec.Version
	root, err := parseJSON(doc)
	if err != nil {
		return env, err
	}
	if root.kind != 'o' {
		return env, errors.New("the session is not a JSON object")
	}
	if warn == nil {
		warn = func(string, error) {}
	}
	for i, key := range root.keys {
		v := root.elems[i]
		switch {
		case key == keyExpiry:
			if err := decodeExpiry(&env.Meta, v); err != nil {
				warn(key, err)
			}
			continue
		case key == keyTestCookie:
			// Django only ever sets "worked"; anything else reads as not
			// set, and is dropped so that it cannot shadow a later
			// SetTestCookie in the written dict.
			if env.TestCookie = v.kind == 's' && v.s == testCookieSet; !env.TestCookie {
				warn(key, errors.New(`test cookie value is not "worked"`))
			}
			continue
		}
		value, err := msgpackOf(v, false)
		if err != nil {
			warn(key, err)
			continue
		}
		if fields != nil {
			known, err := decodeField(fields, key, value)
			if known && err != nil {
				// A time.Time or a map with integer keys reads as strings
				// in JSON: try once more with those guessed.
				if again, gerr := msgpackOf(v, true); gerr == nil && !bytes.Equal(again, value) {
					known, err = decodeField(fields, key, again)
				}
			}
			if known {
				if err != nil {
					warn(key, err)
				}
				continue
			}
		}
		env.Raw = append(env.Raw, codec.RawField{Key: key, Value: value})
	}
	return env, nil
}

func msgpackOf(n *jnode, guess bool) ([]byte, error) {
	e := codec.GetEncoder()
	defer e.Release()
	if err := toMsgpack(e.Msgpack(), n, guess); err != nil {
		return nil, err
	}
	return bytes.Clone(e.Bytes()), nil
}

func decodeField(fields codec.Fields, key string, value []byte) (known bool, err error) {
	rest := codec.DecodeRaw(fields, []codec.RawField{{Key: key, Value: value}}, func(_ string, e error) { err = e })
	return len(rest) == 0, err
}

// decodeExpiry reads _session_expiry: seconds of inactivity (an int; 0 is
// "at browser close"), an ISO 8601 datetime string (Django 4.1+ writes
// those), or null (the default).
func decodeExpiry(m *codec.Meta, v *jnode) error {
	switch v.kind {
	case 'n':
		return nil
	case 'i', 'f':
		f, err := strconv.ParseFloat(v.s, 64)
		if err != nil || f < -1<<53 || f > 1<<53 {
			return fmt.Errorf("expiry %s is not a number of seconds", v.s)
		}
		m.Expiry, m.IdleSeconds = codec.ExpiryIdle, int64(f)
		return nil
	case 's':
		t, ok := parseISO(v.s)
		if !ok {
			return fmt.Errorf("expiry %q is not an ISO 8601 datetime", v.s)
		}
		m.Expiry, m.ExpiresAt = codec.ExpiryAt, t
		return nil
	}
	return errors.New("expiry is neither seconds nor a datetime")
}
