package bench

import (
	"fmt"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/vmihailenco/msgpack/v5"
)

// envelopeFormat is workload 1 on the path a request's session takes: the
// session's fields in the envelope with its metadata, written by
// codec.Encode and read back, structure check included, by codec.Decode
// into the generated session type. Signing is left out (it is the same
// HMAC whatever the codec; the full requests include it).
func envelopeFormat(tb testing.TB, v Shopper) format {
	tb.Helper()
	meta := codec.Meta{Created: seenAt, Saved: seenAt}
	payload, err := toEnvelope(&meta, v)
	if err != nil {
		tb.Fatal(err)
	}
	// The session to encode holds v as a request would after loading it.
	var src ShopperSession
	if _, err := codec.Decode(payload, &src, nil); err != nil {
		tb.Fatal(err)
	}
	var dst ShopperSession
	// The session writes into a buffer it reuses (a pooled one).
	buf := make([]byte, 0, 1024)
	return format{
		name: "envelope",
		encode: func() ([]byte, error) {
			buf, err = codec.Encode(buf[:0], &meta, &src, nil)
			return buf, err
		},
		decode: func(data []byte) error {
			_, err := codec.Decode(data, &dst, nil)
			return err
		},
		result: func() Shopper {
			out, err := codec.Encode(nil, &meta, &dst, nil)
			if err == nil {
				var v Shopper
				v, err = fromEnvelope(out)
				if err == nil {
					return v
				}
			}
			tb.Fatal(err)
			return Shopper{}
		},
	}
}

// toEnvelope returns v in the envelope with meta, each field as
// Shopper.MarshalMsgpack encodes it.
func toEnvelope(meta *codec.Meta, v Shopper) ([]byte, error) {
	plain, err := v.MarshalMsgpack()
	if err != nil {
		return nil, err
	}
	var fields map[string]msgpack.RawMessage
	if err := msgpack.Unmarshal(plain, &fields); err != nil {
		return nil, err
	}
	var raw []codec.RawField
	for _, key := range []string{keyUserID, keyName, keyRoles, keyCart, keyLastSeen, keyCSRF, keyFlags} {
		raw = append(raw, codec.RawField{Key: key, Value: fields[key]})
	}
	return codec.Encode(nil, meta, nil, raw)
}

// fromEnvelope returns the Shopper whose fields the envelope carries,
// read by Shopper.UnmarshalMsgpack.
func fromEnvelope(payload []byte) (Shopper, error) {
	env, err := codec.Decode(payload, nil, nil)
	if err != nil {
		return Shopper{}, err
	}
	m := map[string]msgpack.RawMessage{}
	for _, f := range env.Raw {
		m[f.Key] = f.Value
	}
	plain, err := msgpack.Marshal(m)
	if err != nil {
		return Shopper{}, fmt.Errorf("re-encoding the envelope's fields: %w", err)
	}
	var v Shopper
	err = v.UnmarshalMsgpack(plain)
	return v, err
}
