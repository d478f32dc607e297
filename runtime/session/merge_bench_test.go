package session_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// plainStore hides memstore's optional interfaces (store.Swapper among
// them): saves are last-writer-wins, as they were before the session
// package swapped.
type plainStore struct{ store.Store }

// BenchmarkConcurrentFields is the figure README gives for concurrent
// requests: 8 clients, at once, each making 50 requests in a row on one
// session, every request setting a field of its own. It reports how many
// of the 400 fields the store holds at the end (kept), how many requests
// were answered 409 (conflict, session.ErrConflict) and how many were
// answered 200 although their field is not stored (lost: the silent loss
// the merge removes). With store.Swapper (swap), a lost field fails the
// benchmark; without (lww), it is what last-writer-wins does. The
// signed_in runs do the same on a Manager with Config.OwnerKey, which
// swaps through store.OwnedSwapper, or without it saves last writer wins.
func BenchmarkConcurrentFields(b *testing.B) {
	const clients, requests = 8, 50
	for _, bc := range []struct {
		name  string
		st    func() store.Store
		owner string // Config.OwnerKey
		lww   bool   // saves are last-writer-wins: fields may be lost
	}{
		{"swap", func() store.Store { return memstore.NewWithCleanup(0) }, "", false},
		{"lww", func() store.Store { return plainStore{memstore.NewWithCleanup(0)} }, "", true},
		{"swap_signed_in", func() store.Store { return memstore.NewWithCleanup(0) }, "name", false},
		{"lww_signed_in", func() store.Store { return withoutOwnedSwap(memstore.NewWithCleanup(0)) }, "name", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var kept, conflicts, lost int
			for b.Loop() {
				k, c, l := concurrentFields(b, bc.st(), bc.owner, clients, requests)
				kept, conflicts, lost = kept+k, conflicts+c, lost+l
				if !bc.lww && l > 0 {
					b.Fatalf("%d requests answered 200 and their field was not stored", l)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(kept)/n, "kept/run")
			b.ReportMetric(float64(conflicts)/n, "conflicts/run")
			b.ReportMetric(float64(lost)/n, "lost/run")
		})
	}
}

// concurrentFields runs the requests of BenchmarkConcurrentFields on a
// fresh session in st, on a Manager with OwnerKey owner.
func concurrentFields(b *testing.B, st store.Store, owner string, clients, requests int) (kept, conflicts, lost int) {
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, OwnerKey: owner, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	p, err := probe.Of(context.Background(), m.Open(""))
	if err != nil {
		b.Fatal(err)
	}
	p.SetName("Ada")
	if err := p.Session().Save(context.Background()); err != nil {
		b.Fatal(err)
	}
	key := p.Key()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := session.FromContext(r.Context())
		if err == nil {
			err = s.SetRawField(r.Context(), r.URL.Query().Get("f"), []byte{0xc3}) // msgpack true
		}
		if err != nil {
			b.Error(err)
		}
		io.WriteString(w, "ok")
	}))
	ok := make([][]string, clients)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range requests {
				f := fmt.Sprintf("c%dr%d", c, i)
				r := httptest.NewRequest("GET", "/?f="+f, nil)
				r.AddCookie(&http.Cookie{Name: "session", Value: key})
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				switch w.Code {
				case http.StatusOK:
					ok[c] = append(ok[c], f)
				case http.StatusConflict:
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					b.Errorf("status %d: %s", w.Code, w.Body)
				}
			}
		}()
	}
	wg.Wait()
	s := m.Open(key)
	for _, fs := range ok {
		for _, f := range fs {
			if _, found, err := s.RawField(context.Background(), f); err != nil {
				b.Fatal(err)
			} else if !found {
				lost++
			}
		}
	}
	keys, err := s.Keys(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return len(keys) - 1, conflicts, lost // not counting name
}

// BenchmarkConcurrentIncrements is README's increments figure: 8 clients
// at once, each making 50 requests in a row on one session, every request
// incrementing one counter: with ModifyCount (modify), with
// SetCount(Count()+1) (read_then_set), and the latter with memstore's Swap
// hidden (lww, the save path before the merge). It reports the counter at
// the end (count/run), the requests answered 409 (conflicts/run) and the
// increments answered 200 but missing from the counter (lost/run), which
// fail the benchmark unless the store is lww.
func BenchmarkConcurrentIncrements(b *testing.B) {
	const clients, requests = 8, 50
	modify := func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) }
	readSet := func(p *probe.Session) { p.SetCount(p.Count() + 1) }
	for _, bc := range []struct {
		name string
		st   func() store.Store
		fn   func(*probe.Session)
	}{
		{"modify", func() store.Store { return memstore.NewWithCleanup(0) }, modify},
		{"read_then_set", func() store.Store { return memstore.NewWithCleanup(0) }, readSet},
		{"lww", func() store.Store { return plainStore{memstore.NewWithCleanup(0)} }, readSet},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var count, conflicts, lost int
			for b.Loop() {
				c, k, l := concurrentIncrements(b, bc.st(), clients, requests, bc.fn)
				count, conflicts, lost = count+c, conflicts+k, lost+l
				if bc.name != "lww" && l > 0 {
					b.Fatalf("%d increments answered 200 are not in the counter", l)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(count)/n, "count/run")
			b.ReportMetric(float64(conflicts)/n, "conflicts/run")
			b.ReportMetric(float64(lost)/n, "lost/run")
		})
	}
}

// concurrentIncrements runs the requests of BenchmarkConcurrentIncrements
// on a fresh session in st.
func concurrentIncrements(b *testing.B, st store.Store, clients, requests int, fn func(*probe.Session)) (count, conflicts, lost int) {
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	p, err := probe.Of(context.Background(), m.Open(""))
	if err != nil {
		b.Fatal(err)
	}
	p.SetCount(0)
	if err := p.Session().Save(context.Background()); err != nil {
		b.Fatal(err)
	}
	key := p.Key()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			b.Error(err)
			return
		}
		fn(p)
	}))
	var ok, conflict atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range requests {
				r := httptest.NewRequest("GET", "/", nil)
				r.AddCookie(&http.Cookie{Name: "session", Value: key})
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				switch w.Code {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusConflict:
					conflict.Add(1)
				default:
					b.Errorf("status %d: %s", w.Code, w.Body)
				}
			}
		}()
	}
	wg.Wait()
	p, err = probe.Of(context.Background(), m.Open(key))
	if err != nil {
		b.Fatal(err)
	}
	n := int(p.Count())
	return n, int(conflict.Load()), int(ok.Load()) - n
}
