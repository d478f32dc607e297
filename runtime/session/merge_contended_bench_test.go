package session_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// BenchmarkContended runs requests on one session from every goroutine
// of RunParallel at once, through the middleware over memstore: modify
// increments a field with ModifyCount (replayed on a concurrent save),
// read_then_set with SetCount(Count()+1) (a conflict when another request
// changed it). It reports per request the merges its save needed
// (retries/op, each a reload and another Swap) and how often it was
// answered 409 (conflicts/op, session.ErrConflict), and fails unless the
// counter ends equal to the requests answered 200.
func BenchmarkContended(b *testing.B) {
	for _, bc := range []struct {
		name string
		fn   func(*probe.Session)
	}{
		{"modify", func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) }},
		{"read_then_set", func(p *probe.Session) { p.SetCount(p.Count() + 1) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			st := &swapStore{Store: memstore.NewWithCleanup(0)}
			m, err := session.NewManager(session.Config{Store: st, Secret: secret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			e := &env{m: m, st: st.Store}
			key := seedB(b, e)
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, err := probe.From(r)
				if err != nil {
					b.Error(err)
					return
				}
				bc.fn(p)
			}))
			st.loads.Store(0)
			var requests, ok, conflicts atomic.Int64
			b.SetParallelism(4) // more requests in flight than cores, as a server has
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					requests.Add(1)
					r := httptest.NewRequest(http.MethodGet, "/", nil)
					r.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: key})
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					switch w.Code {
					case http.StatusOK:
						ok.Add(1)
					case http.StatusConflict:
						conflicts.Add(1)
					default:
						b.Errorf("status %d", w.Code)
					}
				}
			})
			b.StopTimer()
			retries := st.loads.Load() - requests.Load() // before the load below
			p, err := probe.Of(context.Background(), m.Open(key))
			if err != nil {
				b.Fatal(err)
			}
			if got, want := p.Count(), 1+ok.Load(); got != want { // seedB stores 1
				b.Fatalf("count = %d, want %d: one per request answered 200", got, want)
			}
			n := float64(requests.Load())
			b.ReportMetric(float64(retries)/n, "retries/op")
			b.ReportMetric(float64(conflicts.Load())/n, "conflicts/op")
		})
	}
}
