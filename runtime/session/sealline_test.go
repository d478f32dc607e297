package session_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// TestSealedCookieLine checks the Set-Cookie value a sealed cookie store
// writes in one piece (cookiestore.Store.SealLine): it is exactly the line
// http.Cookie would write for the sealed value, with the request's Expires
// and Max-Age, and the value opens to the session.
func TestSealedCookieLine(t *testing.T) {
	cs, err := cookiestore.New(cookiestore.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		config  func(*session.Config)
		expires bool
	}{
		{"persistent", func(c *session.Config) { c.CookieAge = time.Hour }, true},
		{"browser_close", func(c *session.Config) { c.ExpireAtBrowserClose = true }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *session.Config) {
				c.Store = cs
				tc.config(c)
			})
			now := time.Now().Truncate(time.Second)
			session.SetClock(e.m, func() time.Time { return now })
			resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetName("Ada") }, "")
			lines := resp.Header.Values("Set-Cookie")
			if len(lines) != 1 {
				t.Fatalf("Set-Cookie = %q, want one line", lines)
			}
			c := sessionCookie(resp, "session")
			want := &http.Cookie{Name: "session", Value: c.Value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
			if tc.expires {
				want.Expires, want.MaxAge = now.Add(time.Hour), 3600
			}
			if diff := cmp.Diff(want.String(), lines[0]); diff != "" {
				t.Errorf("Set-Cookie (-http.Cookie's +ours):\n%s", diff)
			}
			if _, found, err := cs.Load(context.Background(), c.Value); err != nil || !found {
				t.Errorf("the cookie's value does not open: found %v, err %v", found, err)
			}
			if p := e.load(t, c.Value); p.Name() != "Ada" {
				t.Errorf("name %q from the cookie, want Ada", p.Name())
			}
		})
	}
}
