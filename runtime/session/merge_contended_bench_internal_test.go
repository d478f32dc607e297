package session

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// loadCounter is a memstore that counts its loads: one per request, and
// one more for each merge a save needs after another request's save.
type loadCounter struct {
	*memstore.Store
	loads atomic.Int64
}

func (l *loadCounter) Load(ctx context.Context, key string) ([]byte, bool, error) {
	l.loads.Add(1)
	return l.Store.Load(ctx, key)
}

// BenchmarkContended runs requests on one session from every goroutine
// of RunParallel at once, through the middleware over memstore: modify
// increments a field with ModifyX (replayed on a conflict), read_then_set
// with Set(Get()+1) (a conflict when another request changed it). It
// reports per request the merges its save needed (retries/op, each a
// reload and another Swap) and how often it was answered 409 (conflicts/op,
// ErrConflict), and fails if the counter does not equal the requests
// answered 200.
func BenchmarkContended(b *testing.B) {
	for _, bc := range []struct {
		name string
		fn   func(*tally)
	}{
		{"modify", func(tl *tally) { tl.Modify("n", plus(1)) }},
		{"read_then_set", func(tl *tally) { incr(tl, "n") }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			st := &loadCounter{Store: memstore.NewWithCleanup(0)}
			e := newMergeEnv(b, func(c *Config) { c.Store = st })
			e.st = st.Store
			key := e.seed(b, map[string]int64{"n": 0})
			st.loads.Store(0)
			var requests, ok, conflicts atomic.Int64
			b.SetParallelism(4) // more requests in flight than cores, as a server has
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					requests.Add(1)
					switch code := e.serve(b, key, false, nil, bc.fn); code {
					case http.StatusOK:
						ok.Add(1)
					case http.StatusConflict:
						conflicts.Add(1)
					default:
						b.Errorf("status %d", code)
					}
				}
			})
			b.StopTimer()
			if got := e.stored(b, key)["n"]; got != ok.Load() {
				b.Fatalf("n = %d, want %d: one per request answered 200", got, ok.Load())
			}
			n := float64(requests.Load())
			b.ReportMetric(float64(st.loads.Load()-requests.Load())/n, "retries/op")
			b.ReportMetric(float64(conflicts.Load())/n, "conflicts/op")
		})
	}
}
