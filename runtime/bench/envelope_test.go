package bench

import (
	"context"
	"testing"

	"github.com/typedsession/typedsession/internal/viewfields"
	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// envelopeFormat is workload 1 on the path a request's session takes: the
// session's fields in the envelope with its metadata, written by
// codec.Encode and read back, structure check included, by codec.Decode
// into the fields of a generated view bound to a session, as the Manager
// does. Fields are decoded when first read, so decoding here also reads
// every one (Values), as msgpack's reflection, the comparison, fills them
// all; Values copies them too, which reflection does not. Signing is left
// out (it is the same HMAC whatever the codec; the full requests include
// it).
func envelopeFormat(tb testing.TB, v Shopper) format {
	tb.Helper()
	meta := codec.Meta{Created: seenAt, Saved: seenAt}
	// The view to encode holds v as a request would after setting it.
	src, srcFields := boundView(tb)
	src.Update(func(p *Shopper) { *p = v })
	dst, dstFields := boundView(tb)
	// The session writes into a buffer it reuses (a pooled one).
	buf := make([]byte, 0, 1024)
	var err error
	return format{
		name: "envelope",
		encode: func() ([]byte, error) {
			buf, err = codec.Encode(buf[:0], &meta, srcFields, nil)
			return buf, err
		},
		decode: func(data []byte) error {
			if _, err := codec.Decode(data, dstFields, nil); err != nil {
				return err
			}
			_ = dst.Values()
			return nil
		},
		result: func() Shopper { return dst.Values() },
	}
}

// boundView returns a view bound to a new session of its own, and its
// fields as the envelope reads and writes them, which package session
// keeps off the view's method set and hands to tests through viewfields.
func boundView(tb testing.TB) (*ShopperSession, codec.Fields) {
	tb.Helper()
	st := memstore.New()
	tb.Cleanup(func() { st.Close() })
	m, err := session.NewManager(session.Config{Store: st, Secret: secret})
	if err != nil {
		tb.Fatal(err)
	}
	v, err := ShopperOf(context.Background(), m.Open(""))
	if err != nil {
		tb.Fatal(err)
	}
	f := viewfields.Of(v)
	if f == nil {
		tb.Fatal("viewfields.Of: no fields for a bound view")
	}
	return v, f
}
