package session_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// sizes is an Observer that keeps the Size of every successful save.
type sizes struct {
	mu    sync.Mutex
	saves []int
}

func (o *sizes) Start(ctx context.Context, op session.Op, store string) context.Context { return ctx }
func (o *sizes) Security(context.Context, session.SecurityEvent)                        {}
func (o *sizes) Done(ctx context.Context, e session.Event) {
	if e.Op == session.OpSave && e.Outcome == session.OutcomeOK {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.saves = append(o.saves, e.Size)
	}
}

// TestObserverSizeOfMergedSave: a save that merges with a concurrent one
// writes the merged record, not its own payload, and the Observer is told
// the size of what was written. The concurrent request (run by the hook
// between this request's load and its swap) stores a long name, so the
// merged record is longer than this request's payload; with and without
// Config.OwnerKey (Swap and SwapOwned).
func TestObserverSizeOfMergedSave(t *testing.T) {
	for _, owner := range []string{"", "name"} {
		t.Run("owner_key="+owner, func(t *testing.T) {
			st := &ownedStore{Store: memstore.NewWithCleanup(0)}
			sw := &swapStore{Store: st.Store}
			obs := &sizes{}
			e := newEnv(t, func(c *session.Config) {
				c.Store, c.OwnerKey, c.Observer = sw, owner, obs
				if owner != "" {
					c.Store = st
				}
			})
			key := e.seed(t, "ada")
			other := func() {
				long := strings.Repeat("x", 100)
				resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetName(long) }, key)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("concurrent request: status %d", resp.StatusCode)
				}
			}
			st.before = func(n int64) {
				if n == 1 {
					other()
				}
			}
			sw.before = func(_ context.Context, _ string, n int64) error {
				if n == 1 {
					other()
				}
				return nil
			}
			obs.saves = nil
			if resp := e.do(t, setCount(t, 7), key); resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			data, _, err := st.Store.Load(context.Background(), session.StoreKey(key))
			if err != nil {
				t.Fatal(err)
			}
			// The other request's save, then this one's merged save.
			if len(obs.saves) != 2 || obs.saves[1] != len(data) {
				t.Errorf("observed save sizes %v; want 2 saves, the second of %d bytes, the merged record's", obs.saves, len(data))
			}
		})
	}
}
