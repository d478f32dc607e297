package sessiontest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// djangoCases are C43–C48: places where Django's SessionBase behaves in a
// way its own test suite does not pin down, checked here so that
// typedsession keeps behaving the same.
var djangoCases = []testCase{
	{"C43", "negative_idle_expiry_is_expired", func(t *testing.T, h *harness) {
		for _, tc := range []struct {
			idle, wantAge time.Duration
		}{
			{-10 * time.Second, -10 * time.Second},
			{-time.Hour, -time.Hour},
			{-time.Millisecond, -time.Second}, // rounded down, never to 0 (browser close)
		} {
			p := h.open("")
			p.SetName("Ada")
			before := time.Now()
			p.SetExpiry(session.ExpireAfterIdle(tc.idle))
			if got := p.ExpiryAge(); got != tc.wantAge {
				t.Errorf("ExpireAfterIdle(%v): ExpiryAge() = %v, want %v", tc.idle, got, tc.wantAge)
			}
			within(t, "ExpiryDate()", p.ExpiryDate(), before.Add(tc.wantAge))
			if p.ExpireAtBrowserClose() {
				t.Errorf("ExpireAfterIdle(%v): ExpireAtBrowserClose() = true, want false", tc.idle)
			}
			h.save(p)
			if h.open(p.Key()).HasName() {
				t.Errorf("ExpireAfterIdle(%v): the session loads again after its save", tc.idle)
			}
			if h.exists(p.Key()) {
				t.Errorf("ExpireAfterIdle(%v): Exists(key) = true after the save", tc.idle)
			}
		}
	}},
	{"C44", "negative_idle_expiry_clears_and_drops_cookie", func(t *testing.T, h *harness) {
		live := h.saved(func(p *probe.Session) { p.SetName("Bob"); p.SetExpiry(session.ExpireAfterIdle(time.Hour)) })
		resp := h.serve(nil, func(p *probe.Session) {
			p.SetName("Ada")
			p.SetExpiry(session.ExpireAfterIdle(-time.Hour))
		})
		c := responseCookie(t, resp)
		if c == nil {
			t.Fatal("no session cookie in the response")
		}
		if c.MaxAge >= 0 || !c.Expires.Before(time.Now()) {
			t.Errorf("cookie Max-Age %d (Go's -1 is Max-Age=0), Expires %v; want Max-Age=0 and a past Expires", c.MaxAge, c.Expires)
		}
		h.serve(c, func(p *probe.Session) {
			if p.HasName() {
				t.Error("the expired session's cookie, sent back, loads its data")
			}
		})
		_, err := h.raw.ClearExpired(context.Background())
		if errors.Is(err, store.ErrNotSupported) {
			return
		}
		if err != nil {
			t.Fatalf("ClearExpired: %v", err)
		}
		if !h.open(live).HasName() {
			t.Error("ClearExpired removed a session an hour from its expiry")
		}
		if h.open(c.Value).HasName() {
			t.Error("the expired session loads after ClearExpired")
		}
	}},
	{"C45", "default_expiry_reset_without_custom_expiry_not_modified", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetExpiry(session.DefaultExpiry)
		flags(t, p, true, false)

		plain := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		q := h.open(plain)
		q.SetExpiry(session.DefaultExpiry)
		flags(t, q, true, false)

		custom := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetExpiry(session.ExpireAfterIdle(time.Hour)) })
		r := h.open(custom)
		r.SetExpiry(session.DefaultExpiry)
		flags(t, r, true, true)
		if got := r.ExpiryAge(); got != session.DefaultCookieAge {
			t.Errorf("ExpiryAge() after the reset = %v, want the default %v", got, session.DefaultCookieAge)
		}

		saves := h.counts.save.Load()
		resp := h.serve(&http.Cookie{Name: session.DefaultCookieName, Value: plain}, func(p *probe.Session) {
			p.SetExpiry(session.DefaultExpiry)
		})
		if n := h.counts.save.Load() - saves; n != 0 {
			t.Errorf("a request that only called SetExpiry(DefaultExpiry) saved %d times, want 0", n)
		}
		if c := responseCookie(t, resp); c != nil {
			t.Errorf("a request that only called SetExpiry(DefaultExpiry) set the cookie %v", c)
		}
	}},
	{"C46", "expiry_getters_mark_accessed", func(t *testing.T, h *harness) {
		getters := map[string]func(p *probe.Session){
			"ExpiryAge":            func(p *probe.Session) { p.ExpiryAge() },
			"ExpiryDate":           func(p *probe.Session) { p.ExpiryDate() },
			"ExpireAtBrowserClose": func(p *probe.Session) { p.ExpireAtBrowserClose() },
		}
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		for name, get := range getters {
			p := h.open(key)
			get(p)
			if !p.Session().Accessed() || p.Session().Modified() {
				t.Errorf("after %s: accessed, modified = %v, %v; want true, false", name, p.Session().Accessed(), p.Session().Modified())
			}
			resp := h.serve(&http.Cookie{Name: session.DefaultCookieName, Value: key}, get)
			if got := resp.Header.Values("Vary"); len(got) != 1 || got[0] != "Cookie" {
				t.Errorf("a request that only called %s: Vary = %q, want [Cookie]", name, got)
			}
		}
	}},
	{"C47", "cycle_marks_modified", func(t *testing.T, h *harness) {
		p := h.open(h.saved(func(p *probe.Session) { p.SetName("Ada") }))
		if err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		flags(t, p, true, true)
	}},
	{"C48", "short_key_empty_before_load", func(t *testing.T, h *harness) {
		for _, key := range []string{"a", "abc1234"} {
			if k := h.m.Open(key).Key(); k != "" {
				t.Errorf("Open(%q).Key() = %q before loading, want empty", key, k)
			}
		}
	}},
}

// serve runs one request through the harness manager's middleware, with
// cookie if it is not nil, lets fn use the request's session and fails the
// test unless the response is 200.
func (h *harness) serve(cookie *http.Cookie, fn func(p *probe.Session)) *http.Response {
	h.t.Helper()
	rec := h.roundTrip(cookie, fn)
	if rec.Code != http.StatusOK {
		h.t.Fatalf("status %d, want 200; body %q", rec.Code, rec.Body.String())
	}
	return rec.Result()
}

// responseCookie returns the session cookie resp sets, or nil.
func responseCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == session.DefaultCookieName {
			return c
		}
	}
	return nil
}
