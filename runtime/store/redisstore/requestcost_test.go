package redisstore_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// TestS09RequestCosts counts the Redis commands one request through the
// middleware sends, for what README's Redis section promises: an untouched
// session costs none, reading one costs a GET, creating one a SET NX,
// changing one a GET and the Swap script, and a sign-in a GET, the Cycle
// script and a SET XX.
func TestS09RequestCosts(t *testing.T) {
	e := miniEnv(t)
	m, err := session.NewManager(session.Config{
		Store:  e.s,
		Secret: sessiontest.Secret,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	key := ""
	serve := func(cookie bool, fn func(p *probe.Session)) {
		t.Helper()
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fn == nil {
				return
			}
			p, err := probe.From(r)
			if err != nil {
				t.Errorf("load: %v", err)
				return
			}
			fn(p)
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if cookie {
			req.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: key})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		for _, c := range rec.Result().Cookies() {
			key = c.Value
		}
	}
	// Warm up: the first command of a connection also sends the handshake.
	if err := e.client.Ping(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		cookie   bool
		fn       func(p *probe.Session)
		commands int
	}{
		{"creates a session", false, func(p *probe.Session) { p.SetName("Ada") }, 1},
		{"does not touch the session", true, nil, 0},
		{"only reads the session", true, func(p *probe.Session) { p.Name() }, 1},
		// GET; EVAL of the Swap script (store.Swapper: the session package
		// swaps a session it loaded), which miniredis counts with the GET
		// and SET it runs: two round trips, as a plain SET XX took.
		{"modifies an existing session", true, func(p *probe.Session) { p.SetName("Bob") }, 4},
		// GET; EVAL of the Cycle script, which miniredis counts with the SET
		// NX and DEL it runs; SET XX, since Cycle marks the session modified.
		{"signs in (Cycle)", true, func(p *probe.Session) {
			if err := p.Cycle(t.Context()); err != nil {
				t.Error(err)
			}
		}, 5},
	} {
		before := e.commands()
		serve(tc.cookie, tc.fn)
		if got := e.commands() - before; got != tc.commands {
			t.Errorf("a request that %s: %d Redis commands, want %d", tc.name, got, tc.commands)
		}
	}
}

// TestS09SignedInRequestCosts counts the round trips of a request that
// changes a signed-in session (Config.OwnerKey): a GET, then one EVAL of
// the SwapOwned script, which compares, files the session in its owner's
// index and writes it, as one for a session without an owner.
func TestS09SignedInRequestCosts(t *testing.T) {
	e := miniEnv(t)
	m, err := session.NewManager(session.Config{
		Store:    e.s,
		Secret:   sessiontest.Secret,
		OwnerKey: "count",
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := m.Open("")
	p, err := probe.Of(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	p.SetCount(42) // signed in as user 42
	if err := s.Save(t.Context()); err != nil {
		t.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			t.Errorf("load: %v", err)
			return
		}
		p.SetName("Ada")
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: s.Key()})
	rec := httptest.NewRecorder()
	before := e.trip()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got := e.trip() - before; got != 2 {
		t.Errorf("a request that changes a signed-in session: %d round trips, want 2 (GET, EVAL)", got)
	}
	list, err := m.Sessions(t.Context(), "42")
	if err != nil || len(list) != 1 {
		t.Errorf("Sessions(42) = %v, %v; want the session", list, err)
	}
}
