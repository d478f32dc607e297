package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
)

// TestM13CookieResponsesStayPrivate: a response that sets or deletes the
// session cookie never leaves in a form a shared cache may store, and a
// stricter value the handler set is kept.
func TestM13CookieResponsesStayPrivate(t *testing.T) {
	tests := []struct {
		name    string
		handler []string // the handler's Cache-Control lines
		want    []string
	}{
		{"none", nil, []string{"private"}},
		{"public", []string{"public, max-age=3600"}, []string{"private, max-age=3600"}},
		{"public in any case, over two lines", []string{"max-age=3600", "PUBLIC, s-maxage=60"}, []string{"private, max-age=3600, s-maxage=60"}},
		{"max-age only", []string{"max-age=60"}, []string{"private, max-age=60"}},
		{"qualified no-cache", []string{`no-cache="Set-Cookie, Authorization", public`}, []string{`private, no-cache="Set-Cookie, Authorization"`}},
		{"qualified private", []string{`private="Set-Cookie", max-age=60`}, []string{"private, max-age=60"}},
		{"no-store kept", []string{"no-store"}, []string{"no-store"}},
		{"no-store among others kept", []string{"public, max-age=60, No-Store"}, []string{"public, max-age=60, No-Store"}},
		{"private kept", []string{"private, max-age=60"}, []string{"private, max-age=60"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			cacheable := func(w http.ResponseWriter) {
				for _, v := range tt.handler {
					w.Header().Add("Cache-Control", v)
				}
			}
			set := e.do(t, func(w http.ResponseWriter, r *http.Request) {
				cacheable(w)
				mustProbe(t, r).SetName("Ada")
			}, "")
			deleted := e.do(t, func(w http.ResponseWriter, r *http.Request) {
				cacheable(w)
				if err := mustProbe(t, r).Flush(r.Context()); err != nil {
					t.Fatal(err)
				}
			}, e.seed(t, "Ada"))
			for what, resp := range map[string]*http.Response{"set": set, "deleted": deleted} {
				if resp.Header.Get("Set-Cookie") == "" {
					t.Fatalf("%s: no Set-Cookie", what)
				}
				if got := resp.Header.Values("Cache-Control"); !cmp.Equal(got, tt.want) {
					t.Errorf("cookie %s: Cache-Control = %q, want %q", what, got, tt.want)
				}
			}
		})
	}
}

// TestM13NoCookieNoCacheChange: without a Set-Cookie the handler's caching
// stays its own.
func TestM13NoCookieNoCacheChange(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		mustProbe(t, r).Name()
	}, key)
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=3600" || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("Cache-Control = %q, Set-Cookie %q; want the handler's value and no cookie", got, resp.Header.Get("Set-Cookie"))
	}
}

// TestM13TargetedCacheControl: CDN-Cache-Control (RFC 9213), which CDNs
// obey before Cache-Control, is made private too when the handler set it.
func TestM13TargetedCacheControl(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("CDN-Cache-Control", "public, max-age=86400")
		mustProbe(t, r).SetName("Ada")
	}, "")
	if got := resp.Header.Get("CDN-Cache-Control"); got != "private, max-age=86400" {
		t.Errorf("CDN-Cache-Control = %q, want private, max-age=86400", got)
	}
}

// TestM14VaryWithEveryCookie: "Vary: Cookie" goes with every session
// Set-Cookie, also when the handler only loaded the session and the cookie
// is re-sent by an idle refresh or SaveEveryRequest.
func TestM14VaryWithEveryCookie(t *testing.T) {
	bindOnly := func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r) }
	t.Run("idle refresh", func(t *testing.T) {
		e := newEnv(t, func(c *session.Config) { c.IdleTimeout = 30 * time.Minute })
		now := time.Now()
		session.SetClock(e.m, func() time.Time { return now })
		key := e.seed(t, "Ada")
		now = now.Add(10 * time.Minute) // past the refresh interval
		resp := e.do(t, bindOnly, key)
		checkCookieAndVary(t, resp)
	})
	t.Run("save every request", func(t *testing.T) {
		e := newEnv(t, func(c *session.Config) { c.SaveEveryRequest = true })
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {}, e.seed(t, "Ada"))
		checkCookieAndVary(t, resp)
	})
}

func checkCookieAndVary(t *testing.T, resp *http.Response) {
	t.Helper()
	if sessionCookie(resp, "session") == nil {
		t.Fatal("no session cookie re-sent")
	}
	if got := resp.Header.Values("Vary"); !cmp.Equal(got, []string{"Cookie"}) {
		t.Errorf("Vary = %q, want [Cookie]", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "private" {
		t.Errorf("Cache-Control = %q, want private", got)
	}
}

// TestHeadersAddedAfterTheSession: the values the middleware adds (Vary,
// Set-Cookie, Cache-Control) stay as they were when other code adds to
// the same headers afterwards, and each header gets exactly what was
// added to it.
func TestHeadersAddedAfterTheSession(t *testing.T) {
	e := newEnv(t, nil)
	w := httptest.NewRecorder()
	e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mustProbe(t, r).SetName("Ada")
		io.WriteString(w, "ok")
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	h := w.Header()
	want := h.Clone()
	if len(want["Set-Cookie"]) != 1 || len(want["Vary"]) != 1 || len(want["Cache-Control"]) != 1 {
		t.Fatalf("headers after the request: %q; want one Set-Cookie, Vary and Cache-Control", want)
	}
	for _, add := range []struct{ name, value string }{
		{"Vary", "Accept-Encoding"},
		{"Set-Cookie", "theme=dark"},
		{"Cache-Control", "max-age=60"},
		{"Vary", "Accept-Language"},
	} {
		h.Add(add.name, add.value)
		want[add.name] = append(want[add.name], add.value)
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("headers after adding to them (-want +got):\n%s", diff)
	}
}
