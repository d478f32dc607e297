package session_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// recorder is an Observer that writes down what it is told, one line per
// call: "start load memstore", "done load memstore ok size>0",
// "security memstore bad_signature". Durations are checked for sign only.
type recorder struct {
	mu    sync.Mutex
	lines []string
	bad   []string // broken promises: a Done without its Start's context, a negative duration
}

type startKey struct{}

func (r *recorder) Start(ctx context.Context, op session.Op, store string) context.Context {
	r.add(fmt.Sprintf("start %s %s", op, store))
	return context.WithValue(ctx, startKey{}, op)
}

func (r *recorder) Done(ctx context.Context, e session.Event) {
	line := fmt.Sprintf("done %s %s %s", e.Op, e.Store, e.Outcome)
	if e.Size > 0 {
		line += " size>0"
	}
	if e.Err != nil {
		line += " err"
	}
	r.add(line)
	started, _ := ctx.Value(startKey{}).(session.Op)
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Outcome == session.OutcomeNew {
		if started != "" || e.Duration != 0 {
			r.bad = append(r.bad, "a new load has a Start or a duration: "+line)
		}
	} else if started != e.Op {
		r.bad = append(r.bad, "Done without the context its Start returned: "+line)
	}
	if e.Duration < 0 {
		r.bad = append(r.bad, "negative duration: "+line)
	}
}

func (r *recorder) Security(ctx context.Context, e session.SecurityEvent) {
	r.add(fmt.Sprintf("security %s %s", e.Store, e.Threat))
}

func (r *recorder) add(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
}

// take returns the lines so far and forgets them.
func (r *recorder) take(t *testing.T) []string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bad {
		t.Error(b)
	}
	l := r.lines
	r.lines, r.bad = nil, nil
	return l
}

// ctxStore records whether its calls got the context the Observer's Start
// returned.
type ctxStore struct {
	*memstore.Store
	missed []string
}

func (c *ctxStore) check(ctx context.Context, op string) {
	if ctx.Value(startKey{}) == nil {
		c.missed = append(c.missed, op)
	}
}

func (c *ctxStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	c.check(ctx, "Load")
	return c.Store.Load(ctx, key)
}

func (c *ctxStore) Delete(ctx context.Context, key string) error {
	c.check(ctx, "Delete")
	return c.Store.Delete(ctx, key)
}

func TestObserver(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(c *session.Config) { c.Observer = rec })
	setName := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetName(name) }
	}
	key := sessionCookie(e.do(t, setName("Ada"), ""), "session").Value

	tampered := e.seed(t, "Eve")
	data, _, _ := e.st.Load(context.Background(), session.StoreKey(tampered))
	forged := append([]byte(nil), data...)
	forged[len(forged)-1] ^= 1
	if err := e.st.Save(context.Background(), session.StoreKey(tampered), forged, time.Now().Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	rec.take(t) // seeding

	for _, tc := range []struct {
		name   string
		cookie string
		h      http.HandlerFunc
		want   []string
	}{
		{"untouched", key, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") }, nil},
		{"new session", "", setName("Bob"), []string{
			"done load memstore new",
			"start save memstore", "done save memstore ok size>0",
		}},
		{"read", key, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, []string{
			"start load memstore", "done load memstore ok size>0",
		}},
		{"unknown key", strings.Repeat("a", 32), func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, []string{
			"start load memstore", "done load memstore discarded",
		}},
		{"forged", tampered, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, []string{
			"start load memstore", "security memstore bad_signature", "done load memstore discarded size>0",
		}},
		{"cycle", key, func(w http.ResponseWriter, r *http.Request) {
			if err := mustProbe(t, r).Cycle(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, []string{
			"start load memstore", "done load memstore ok size>0",
			"start cycle memstore", "done cycle memstore ok size>0",
			// Cycle marks the session modified (C47), so it is saved again.
			"start save memstore", "done save memstore ok size>0",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.do(t, tc.h, tc.cookie)
			if diff := cmp.Diff(tc.want, rec.take(t)); diff != "" {
				t.Errorf("observer calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestObserverFlushAndContext(t *testing.T) {
	rec := &recorder{}
	st := &ctxStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Observer = rec; c.Store = st })
	key := e.seed(t, "Ada")
	rec.take(t)
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		if err := mustProbe(t, r).Flush(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, key)
	// A store type declared here is named after this package.
	want := []string{
		"start load session_test", "done load session_test ok size>0",
		"start delete session_test", "done delete session_test ok",
	}
	if diff := cmp.Diff(want, rec.take(t)); diff != "" {
		t.Errorf("observer calls (-want +got):\n%s", diff)
	}
	if len(st.missed) > 0 {
		t.Errorf("store calls without the context Start returned: %v", st.missed)
	}
}

func TestObserverFailures(t *testing.T) {
	t.Run("load", func(t *testing.T) {
		rec := &recorder{}
		e := newEnv(t, func(c *session.Config) { c.Observer = rec; c.Store = failingStore{} })
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
			if _, err := probe.From(r); !errors.Is(err, errDown) {
				t.Errorf("probe.From: %v, want the store's error", err)
			}
		}, strings.Repeat("a", 32))
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", resp.StatusCode)
		}
		want := []string{"start load session_test", "done load session_test error err"}
		if diff := cmp.Diff(want, rec.take(t)); diff != "" {
			t.Errorf("observer calls (-want +got):\n%s", diff)
		}
	})
	t.Run("conflict", func(t *testing.T) {
		rec := &recorder{}
		e := newEnv(t, func(c *session.Config) { c.Observer = rec })
		key := e.seed(t, "Ada")
		rec.take(t)
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
			p := mustProbe(t, r)
			if err := e.st.Delete(r.Context(), session.StoreKey(key)); err != nil { // a logout in another tab
				t.Fatal(err)
			}
			p.SetName("Bob")
		}, key)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d, want 400", resp.StatusCode)
		}
		want := []string{
			"start load memstore", "done load memstore ok size>0",
			"start save memstore", "done save memstore conflict size>0 err",
		}
		if diff := cmp.Diff(want, rec.take(t)); diff != "" {
			t.Errorf("observer calls (-want +got):\n%s", diff)
		}
	})
}

// nopObserver is the cheapest Observer there is, to measure what the calls
// themselves cost.
type nopObserver struct{}

func (nopObserver) Start(ctx context.Context, _ session.Op, _ string) context.Context { return ctx }
func (nopObserver) Done(context.Context, session.Event)                               {}
func (nopObserver) Security(context.Context, session.SecurityEvent)                   {}

// BenchmarkRequestObserved is BenchmarkRequest with an Observer that does
// nothing: the cost of timing a load and a save. Compare it with
// BenchmarkRequest; BenchmarkRequest and BenchmarkUntouched themselves
// show that an unset Observer costs nothing.
func BenchmarkRequestObserved(b *testing.B) {
	e := newEnvB(b)
	key := seedB(b, e)
	cfg := e.m.Config()
	cfg.Observer = nopObserver{}
	m, err := session.NewManager(cfg)
	if err != nil {
		b.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			b.Fatal(err)
		}
		p.SetCount(p.Count() + 1)
		io.WriteString(w, "ok")
	}))
	r := benchRequest(e, key)
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// TestObserverNewSavePaths checks that the save paths added with swaps
// and the owner index each report one save: a merge after a concurrent
// save, merges given up (ErrConflict), a concurrent save's record that
// does not verify (also a security event, as at load), a save through the
// owner index.
func TestObserverNewSavePaths(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		owners bool
		before func(st *swapStore, other []byte) func(context.Context, string, int64) error
		swaps  int64 // pins the path taken
		want   []string
	}{
		{"merge", false, func(st *swapStore, other []byte) func(context.Context, string, int64) error {
			return func(ctx context.Context, k string, n int64) error {
				if n > 1 {
					return nil
				}
				// Another request saves first.
				return st.Store.Save(ctx, k, other, time.Now().Add(time.Hour), false)
			}
		}, 2, []string{
			"start load session_test", "done load session_test ok size>0",
			"start save session_test", "done save session_test ok size>0",
		}},
		{"merges given up", false, func(*swapStore, []byte) func(context.Context, string, int64) error {
			return func(context.Context, string, int64) error { return fmt.Errorf("test: %w", store.ErrChanged) }
		}, 11, []string{
			"start load session_test", "done load session_test ok size>0",
			"start save session_test", "done save session_test conflict size>0 err",
		}},
		{"unreadable record replaced", false, func(st *swapStore, _ []byte) func(context.Context, string, int64) error {
			return func(ctx context.Context, k string, n int64) error {
				if n > 1 {
					return nil
				}
				return st.Store.Save(ctx, k, []byte("not a session"), time.Now().Add(time.Hour), false)
			}
		}, 2, []string{
			"start load session_test", "done load session_test ok size>0",
			"start save session_test", "security session_test bad_signature", "done save session_test ok size>0",
		}},
		{"owner index", true, nil, 0, []string{
			"start load session_test", "done load session_test ok size>0",
			"start save session_test", "done save session_test ok size>0",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			st := &swapStore{Store: memstore.NewWithCleanup(0)}
			e := newEnv(t, func(c *session.Config) {
				c.Store, c.Observer = st, rec
				if tc.owners {
					c.OwnerKey = "name"
				}
			})
			key := e.seed(t, "ada")
			other, _, err := st.Store.Load(ctx, session.StoreKey(e.seed(t, "grace")))
			if err != nil {
				t.Fatal(err)
			}
			if tc.before != nil {
				st.before = tc.before(st, other)
			}
			rec.take(t) // seeding
			e.do(t, setCount(t, 1), key)
			if diff := cmp.Diff(tc.want, rec.take(t)); diff != "" {
				t.Errorf("observer calls (-want +got):\n%s", diff)
			}
			if n := st.swaps.Load(); n != tc.swaps {
				t.Errorf("%d swaps, want %d", n, tc.swaps)
			}
		})
	}
}

// TestObserverRevoke checks that Revoke and RevokeAll report each session
// they delete as a delete, as Flush does.
func TestObserverRevoke(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(c *session.Config) { c.Observer = rec; c.OwnerKey = "name" })
	ctx := context.Background()
	for range 3 {
		e.seed(t, "ada")
	}
	list, err := e.m.Sessions(ctx, "ada")
	if err != nil || len(list) != 3 {
		t.Fatalf("Sessions = %v, %v; want 3", list, err)
	}
	rec.take(t) // seeding
	if err := e.m.Revoke(ctx, "ada", list[0].Handle); err != nil {
		t.Fatal(err)
	}
	if n, err := e.m.RevokeAll(ctx, "ada", ""); err != nil || n != 2 {
		t.Fatalf("RevokeAll = %d, %v; want 2", n, err)
	}
	want := []string{
		"start delete memstore", "done delete memstore ok",
		"start delete memstore", "done delete memstore ok",
		"start delete memstore", "done delete memstore ok",
	}
	if diff := cmp.Diff(want, rec.take(t)); diff != "" {
		t.Errorf("observer calls (-want +got):\n%s", diff)
	}
}
