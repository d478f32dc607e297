package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// swapStore is a memstore whose Swap can be made to meet a concurrent
// writer: before, when set, runs before each Swap and may change the record
// or make the swap fail with its error.
type swapStore struct {
	*memstore.Store
	loads, saves, swaps atomic.Int64
	before              func(ctx context.Context, key string, n int64) error
}

func (s *swapStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	s.loads.Add(1)
	return s.Store.Load(ctx, key)
}

func (s *swapStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	s.saves.Add(1)
	return s.Store.Save(ctx, key, data, expiry, mustCreate)
}

func (s *swapStore) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	n := s.swaps.Add(1)
	if s.before != nil {
		if err := s.before(ctx, key, n); err != nil {
			return err
		}
	}
	return s.Store.Swap(ctx, key, old, data, expiry)
}

// swapEnv returns a manager over a swapStore, the error its error handler
// was given last, and a key with name "Ada" stored.
func swapEnv(t *testing.T) (*env, *swapStore, *error, string) {
	t.Helper()
	st := &swapStore{Store: memstore.NewWithCleanup(0)}
	var handled error
	e := newEnv(t, func(c *session.Config) {
		c.Store = st
		c.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
			handled = err
			http.Error(w, err.Error(), http.StatusTeapot)
		}
	})
	key := e.seed(t, "Ada")
	st.loads.Store(0)
	st.saves.Store(0)
	st.swaps.Store(0)
	return e, st, &handled, key
}

func setCount(t *testing.T, n int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetCount(n) }
}

func TestUncontendedSaveIsOneSwap(t *testing.T) {
	e, st, handled, key := swapEnv(t)
	e.do(t, setCount(t, 1), key)
	if *handled != nil {
		t.Fatalf("save failed: %v", *handled)
	}
	got := [3]int64{st.loads.Load(), st.swaps.Load(), st.saves.Load()}
	if got != [3]int64{1, 1, 0} {
		t.Errorf("loads, swaps, saves = %v, want [1 1 0]: one load and one swap, no extra round trip", got)
	}
	if p := e.load(t, key); p.Name() != "Ada" || p.Count() != 1 {
		t.Errorf("stored name %q count %d, want Ada 1", p.Name(), p.Count())
	}
}

func TestMergeGivesUpWithErrConflict(t *testing.T) {
	e, st, handled, key := swapEnv(t)
	// A store that reports a concurrent save on every swap.
	st.before = func(context.Context, string, int64) error { return fmt.Errorf("test: %w", store.ErrChanged) }
	e.do(t, setCount(t, 1), key)
	if !errors.Is(*handled, session.ErrConflict) {
		t.Fatalf("error handler got %v, want session.ErrConflict", *handled)
	}
	if n := st.swaps.Load(); n != 11 {
		t.Errorf("%d swaps, want 11 (the save and 10 merges)", n)
	}
	if p := e.load(t, key); p.HasCount() {
		t.Errorf("the change given up was stored: count %d", p.Count())
	}
}

func TestDefaultErrorHandlerAnswersConflictWith409(t *testing.T) {
	st := &swapStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = st })
	key := e.seed(t, "Ada")
	st.before = func(context.Context, string, int64) error { return fmt.Errorf("test: %w", store.ErrChanged) }
	resp := e.do(t, setCount(t, 1), key)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("status %d, want 409", resp.StatusCode)
	}
}

func TestDeletedDuringMergeIsInterrupted(t *testing.T) {
	e, st, handled, key := swapEnv(t)
	// Another request saved, then a logout deleted the session, before this
	// request reloads it to merge.
	st.before = func(ctx context.Context, k string, n int64) error {
		if n == 1 {
			if err := st.Store.Delete(ctx, k); err != nil {
				return err
			}
			return fmt.Errorf("test: %w", store.ErrChanged)
		}
		return nil
	}
	e.do(t, setCount(t, 1), key)
	if !errors.Is(*handled, session.ErrInterrupted) {
		t.Fatalf("error handler got %v, want session.ErrInterrupted", *handled)
	}
	if live, _ := st.Exists(context.Background(), session.StoreKey(key)); live {
		t.Errorf("the deleted session was resurrected")
	}
}

func TestMergeReplacesUnreadableRecord(t *testing.T) {
	e, st, handled, key := swapEnv(t)
	// A concurrent save left a record this manager cannot verify (say, a
	// newer instance's secret): the save replaces it, as without a Swapper.
	st.before = func(ctx context.Context, k string, n int64) error {
		if n == 1 {
			if err := st.Store.Save(ctx, k, []byte("not a session"), time.Now().Add(time.Hour), false); err != nil {
				return err
			}
		}
		return nil
	}
	e.do(t, setCount(t, 4), key)
	if *handled != nil {
		t.Fatalf("save failed: %v", *handled)
	}
	if p := e.load(t, key); p.Name() != "Ada" || p.Count() != 4 {
		t.Errorf("stored name %q count %d, want this request's session (Ada 4)", p.Name(), p.Count())
	}
	if !strings.Contains(e.log.String(), "cannot read") {
		t.Errorf("no warning logged; log:\n%s", e.log.String())
	}
}

// Sessions from Manager.Open merge too, also when one is saved twice.
func TestOpenSessionsMerge(t *testing.T) {
	e, _, _, key := swapEnv(t)
	a, b := e.load(t, key), e.load(t, key)
	a.SetCount(1)
	save(t, a)
	b.SetTags([]string{"x"})
	save(t, b) // merges with a's save
	a.SetName("Grace")
	save(t, a) // compares with what a saved, merges with b's
	p := e.load(t, key)
	if p.Name() != "Grace" || p.Count() != 1 || len(p.Tags()) != 1 {
		t.Errorf("stored name %q count %d tags %q, want Grace 1 [x]", p.Name(), p.Count(), p.Tags())
	}
	// b merged on its save, so its typed fields lack a's changes: its next
	// save compares with what it saved and merges again, keeping them.
	b.SetTags([]string{"x", "y"})
	save(t, b)
	p = e.load(t, key)
	if p.Name() != "Grace" || p.Count() != 1 || len(p.Tags()) != 2 {
		t.Errorf("after b's second save: stored name %q count %d tags %q, want Grace 1 [x y]", p.Name(), p.Count(), p.Tags())
	}
}

// A session moved from its clear key by one save compares its next save
// with what that save stored, not with the clear record it was loaded
// from: else the next save sees its own move as a concurrent change and a
// field set back to its loaded value keeps the moved value.
func TestSaveAfterClearKeyMoveComparesWithMove(t *testing.T) {
	e := newEnv(t, nil)
	key := plantClear(t, e, "Ada")
	p := e.load(t, key)
	p.SetName("Grace")
	save(t, p) // moves the record to its hashed key
	p.SetName("Ada")
	save(t, p)
	if got := e.load(t, key).Name(); got != "Ada" {
		t.Errorf("stored name %q, want Ada (the second save's)", got)
	}
}

// Two requests that both loaded a session from its clear key merge too:
// the second finds it moved by the first and merges with that save
// instead of overwriting it.
func TestConcurrentClearKeyMovesMerge(t *testing.T) {
	e := newEnv(t, nil)
	key := plantClear(t, e, "Ada")
	a, b := e.load(t, key), e.load(t, key)
	a.SetCount(1)
	save(t, a) // moves the record
	b.SetTags([]string{"x"})
	save(t, b) // finds it moved
	p := e.load(t, key)
	if p.Name() != "Ada" || p.Count() != 1 || len(p.Tags()) != 1 {
		t.Errorf("stored name %q count %d tags %q, want Ada 1 [x]", p.Name(), p.Count(), p.Tags())
	}
	if e.stored(t, key) {
		t.Error("the clear record is still there")
	}
}
