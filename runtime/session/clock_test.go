package session_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
)

// TestClockReadOncePerRequest checks that a request reads the Manager's
// clock once, whatever it does with the session (load, lifetime check,
// refresh check, save, cookie), and that the cookie's Expires and Max-Age
// come from that one reading.
func TestClockReadOncePerRequest(t *testing.T) {
	e := newEnv(t, func(c *session.Config) {
		c.IdleTimeout = time.Hour
		c.RefreshInterval = time.Minute
		c.AbsoluteLifetime = 24 * time.Hour
	})
	// memstore expires records by the real clock: stay near it.
	now := time.Now().Truncate(time.Second)
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "ada")

	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"modified", func(w http.ResponseWriter, r *http.Request) {
			p := mustProbe(t, r)
			p.SetCount(p.Count() + 1)
			_ = p.ExpiryDate()
		}},
		{"refreshed", func(w http.ResponseWriter, r *http.Request) { _ = mustProbe(t, r).Name() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = now.Add(2 * time.Minute) // past the refresh interval
			reads, at := 0, now.Add(500*time.Millisecond)
			session.SetClock(e.m, func() time.Time {
				reads++
				at = at.Add(time.Second) // a clock read twice would disagree
				return at
			})
			resp := e.do(t, tc.handler, key)
			if reads != 1 {
				t.Errorf("the clock was read %d times in one request, want 1", reads)
			}
			c := sessionCookie(resp, "session")
			if c == nil {
				t.Fatal("no session cookie")
			}
			if want := at.Add(time.Hour).Truncate(time.Second); !c.Expires.Equal(want) {
				t.Errorf("Expires = %v, want %v (the request's time plus the idle timeout)", c.Expires, want)
			}
			if c.MaxAge != 3600 {
				t.Errorf("Max-Age = %d, want 3600", c.MaxAge)
			}
			key = c.Value
		})
	}
}

// TestExpiresFollowsClock checks the Expires date across responses within
// one second and in the next: the per-second cache must never hand out a
// date from another second.
func TestExpiresFollowsClock(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.CookieAge = time.Hour })
	base := time.Now().Truncate(time.Second)
	touch := func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetName("ada") }
	for _, offset := range []time.Duration{
		0, 300 * time.Millisecond, 999 * time.Millisecond, // one second
		time.Second, 1500 * time.Millisecond, // the next
		-time.Second,      // a clock stepped back
		48 * time.Hour,    // much later
		48*time.Hour + 10, // and within that second
	} {
		now := base.Add(offset)
		session.SetClock(e.m, func() time.Time { return now })
		c := sessionCookie(e.do(t, touch, ""), "session")
		if c == nil {
			t.Fatalf("%v: no session cookie", offset)
		}
		if want := now.Add(time.Hour).Truncate(time.Second); !c.Expires.Equal(want) {
			t.Errorf("clock at %v: Expires = %v, want %v", offset, c.Expires, want)
		}
	}
}
