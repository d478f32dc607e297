package bench

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// envelopeFormat is workload 1 on the path a request's session takes: the
// session's fields in the envelope with its metadata, written by
// codec.Encode and read back, structure check included, by codec.Decode
// into the fields of a generated view bound to a new session, as the
// Manager does for each request. Fields are decoded when first read, so
// decoding here also reads every one (Values), as msgpack's reflection,
// the comparison, fills them all; Values copies them too, which reflection
// does not. Signing is left out (it is the same HMAC whatever the codec;
// the full requests include it).
func envelopeFormat(tb testing.TB, v Shopper) format {
	tb.Helper()
	meta := codec.Meta{Created: seenAt, Saved: seenAt}
	m, dropped := benchManager(tb)
	// The view to encode holds v as a request would after setting it.
	src, srcFields := boundView(tb, m)
	src.Update(func(p *Shopper) { *p = v })
	var (
		dst       *ShopperSession
		dstFields codec.Fields
		decodes   int
	)
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
			// A view reads one record in a request, and the width budget
			// of its fields is that of one record (codec.MaxElements): a
			// new view every viewReuse decodes stays far within it, and
			// its cost, a request's, is left out of the codec's.
			if decodes%viewReuse == 0 {
				dst, dstFields = boundView(tb, m)
			}
			decodes++
			if _, err := codec.Decode(data, dstFields, nil); err != nil {
				return err
			}
			_ = dst.Values()
			if dropped.Load() > 0 {
				return errDropped
			}
			return nil
		},
		result: func() Shopper { return dst.Values() },
	}
}

// viewReuse is how many decodes one view of envelopeFormat takes, well
// within the width budget (a field dropped fails the benchmark).
const viewReuse = 1000

var errDropped = errors.New("bench: the session dropped a field it could not decode")

// benchManager returns a Manager over memstore whose logger counts the
// fields its sessions drop (a warning each), so that a benchmark of a
// decode that fails fails instead of being fast.
func benchManager(tb testing.TB) (*session.Manager, *atomic.Int64) {
	tb.Helper()
	st := memstore.New()
	tb.Cleanup(func() { st.Close() })
	warnings := &countingHandler{}
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, Logger: slog.New(warnings)})
	if err != nil {
		tb.Fatal(err)
	}
	return m, &warnings.n
}

// boundView returns a view bound to a new session of m, and its fields as
// the envelope reads and writes them, which package session keeps off the
// view's method set and hands to tests through sessiontest.ViewFields.
func boundView(tb testing.TB, m *session.Manager) (*ShopperSession, codec.Fields) {
	v, err := ShopperOf(context.Background(), m.Open(""))
	if err != nil {
		tb.Fatal(err)
	}
	f := sessiontest.ViewFields(v)
	if f == nil {
		tb.Fatal("sessiontest.ViewFields: no fields for a bound view")
	}
	return v, f
}

// countingHandler is a slog.Handler that counts warnings and errors and
// writes nothing.
type countingHandler struct{ n atomic.Int64 }

func (h *countingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (h *countingHandler) Handle(context.Context, slog.Record) error {
	h.n.Add(1)
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }
