package session_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func setName(t *testing.T, name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetName(name) }
}

func TestM01CookieAttributes(t *testing.T) {
	tests := []struct {
		name   string
		cookie session.Cookie
		want   http.Cookie
	}{
		{"defaults", session.Cookie{},
			http.Cookie{Name: "session", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}},
		{"secure strict", session.Cookie{Name: "sid", Secure: true, SameSite: http.SameSiteStrictMode, Domain: "example.com", Path: "/app"},
			http.Cookie{Name: "sid", Path: "/app", Domain: "example.com", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}},
		{"script readable none partitioned", session.Cookie{ScriptReadable: true, SameSite: http.SameSiteNoneMode, Secure: true, Partitioned: true},
			http.Cookie{Name: "session", Path: "/", Secure: true, SameSite: http.SameSiteNoneMode, Partitioned: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *session.Config) { c.Cookie = tc.cookie })
			c := sessionCookie(e.do(t, setName(t, "Ada"), ""), tc.want.Name)
			if c == nil {
				t.Fatal("no session cookie set")
			}
			got := http.Cookie{Name: c.Name, Path: c.Path, Domain: c.Domain, Secure: c.Secure,
				HttpOnly: c.HttpOnly, SameSite: c.SameSite, Partitioned: c.Partitioned}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("cookie attributes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestM02NoSaveOn5xx(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		mustProbe(t, r).SetName("Ada")
		w.WriteHeader(http.StatusServiceUnavailable)
	}, "")
	if sessionCookie(resp, "session") != nil || e.st.Len() != 0 {
		t.Errorf("5xx response: cookie %v, %d stored sessions; want none", sessionCookie(resp, "session"), e.st.Len())
	}
}

func TestM03DeletedDuringRequest(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		if err := e.st.Delete(r.Context(), session.StoreKey(key)); err != nil { // a logout in another tab
			t.Fatal(err)
		}
		p.SetName("Bob")
		io.WriteString(w, "saved!")
	}, key)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "logout in another tab") {
		t.Errorf("status %d, body %q; want 400 explaining the logout", resp.StatusCode, body)
	}
	if ok, _ := e.st.Exists(context.Background(), session.StoreKey(key)); ok {
		t.Error("the deleted session was resurrected")
	}
}

func TestM04FlushDeletesCookie(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.Cookie.Domain, c.Cookie.Path = "example.com", "/shop" })
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		if err := mustProbe(t, r).Flush(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, key)
	c := sessionCookie(resp, "session")
	if c == nil {
		t.Fatal("no Set-Cookie deleting the session cookie")
	}
	if c.MaxAge >= 0 || !c.Expires.Before(time.Now()) || c.Domain != "example.com" || c.Path != "/shop" || c.Value != "" {
		t.Errorf("deletion cookie = %q; want empty value, Max-Age=0, past Expires, same Domain and Path", c.Raw)
	}
	if got := resp.Header.Values("Vary"); !cmp.Equal(got, []string{"Cookie"}) {
		t.Errorf("Vary = %q, want [Cookie]", got)
	}
	if ok, _ := e.st.Exists(context.Background(), session.StoreKey(key)); ok {
		t.Error("flushed session still stored")
	}
}

func TestM05FlushWithoutCookie(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		if err := mustProbe(t, r).Flush(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, "")
	if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
		t.Errorf("Set-Cookie = %q, want none", got)
	}
	if got := resp.Header.Values("Vary"); !cmp.Equal(got, []string{"Cookie"}) {
		t.Errorf("Vary = %q, want [Cookie]", got)
	}
}

func TestM06EmptiedKeyedSessionSaved(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).DeleteName() }, key)
	if c := sessionCookie(resp, "session"); c == nil || c.Value != key {
		t.Errorf("cookie = %v, want the session cookie re-set with key %q", c, key)
	}
	p := e.load(t, key)
	if p.Key() != key || p.HasName() {
		t.Errorf("stored session: key %q, HasName %v; want it kept, empty", p.Key(), p.HasName())
	}
}

func TestM07VaryOnlyWhenAccessed(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want []string
	}{
		{"untouched", func(w http.ResponseWriter, r *http.Request) {}, nil},
		{"bound only", func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r) }, nil},
		{"read", func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, []string{"Cookie"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.do(t, tc.h, key).Header.Values("Vary"); !cmp.Equal(got, tc.want) {
				t.Errorf("Vary = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestM08CookieExpiry(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.CookieAge = time.Hour })
	browser := sessionCookie(e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		p.SetName("Ada")
		p.SetExpiry(session.AtBrowserClose)
	}, ""), "session")
	if browser == nil || browser.MaxAge != 0 || !browser.Expires.IsZero() {
		t.Errorf("browser-close cookie = %v; want no Max-Age and no Expires", browser)
	}
	lasting := sessionCookie(e.do(t, setName(t, "Ada"), ""), "session")
	if lasting == nil || lasting.MaxAge != 3600 {
		t.Fatalf("cookie = %v; want Max-Age=3600", lasting)
	}
	if d := time.Until(lasting.Expires); d < 58*time.Minute || d > 61*time.Minute {
		t.Errorf("Expires is %v away, want about an hour", d)
	}
}

func TestM09SaveEveryRequest(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.SaveEveryRequest = true })
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {}, key)
	if c := sessionCookie(resp, "session"); c == nil || c.Value != key {
		t.Errorf("cookie = %v, want the session cookie refreshed", c)
	}
	if got := e.load(t, key).Name(); got != "Ada" {
		t.Errorf("after an untouched save-every-request: Name() = %q, want data kept", got)
	}
}

func TestM10StoreFailure(t *testing.T) {
	var handled error
	cfg := func(c *session.Config) {
		c.Store = failingStore{memstore.New()}
		c.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
			handled = err
			http.Error(w, "sorry", http.StatusServiceUnavailable)
		}
	}
	t.Run("load", func(t *testing.T) {
		handled = nil
		e := newEnv(t, cfg)
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
			if _, err := session.FromContext(r.Context()); err != nil {
				t.Fatal(err)
			}
			if _, err := probeFrom(r); err == nil {
				t.Error("probe.From did not report the store failure")
			}
			io.WriteString(w, "all good") // a handler that ignores the error
		}, strings.Repeat("k", 32))
		checkFailed(t, resp, handled, e)
	})
	t.Run("commit", func(t *testing.T) {
		handled = nil
		e := newEnv(t, cfg)
		outer := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Strict-Transport-Security", "max-age=63072000")
				next.ServeHTTP(w, r)
			})
		}
		w := httptest.NewRecorder()
		outer(e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mustProbe(t, r).SetName("Ada")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Location", "/done")
			io.WriteString(w, `{"saved":true}`)
		}))).ServeHTTP(w, httptest.NewRequest("POST", "/", nil))
		resp := w.Result()
		checkFailed(t, resp, handled, e)
		if got := resp.Header.Get("Location"); got != "" {
			t.Errorf("the handler's Location %q was sent with the error response", got)
		}
		if got := resp.Header.Get("Content-Type"); got == "application/json" {
			t.Error("the handler's Content-Type was sent with the error response")
		}
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Error("a header set by outer middleware was dropped")
		}
	})
}

func checkFailed(t *testing.T, resp *http.Response, handled error, e *env) {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.TrimSpace(string(body)) != "sorry" {
		t.Errorf("response %d %q; want the error handler's 503 \"sorry\"", resp.StatusCode, body)
	}
	if !errors.Is(handled, errDown) {
		t.Errorf("error handler got %v, want the store's error", handled)
	}
	if !strings.Contains(e.log.String(), "store is down") {
		t.Errorf("store failure not logged; log:\n%s", e.log.String())
	}
}

func TestM11ChangeAfterHeaderReported(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	var sessErr error
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		w.WriteHeader(http.StatusOK)
		p.SetName("Bob")
		p.SetCount(2)
		sessErr = p.Err()
	}, key)
	if n := strings.Count(e.log.String(), "change lost"); n != 1 {
		t.Errorf("%d log lines for the lost changes, want 1", n)
	}
	if !errors.Is(sessErr, session.ErrModifiedAfterCommit) {
		t.Errorf("Err() = %v, want ErrModifiedAfterCommit", sessErr)
	}
	if !strings.Contains(e.log.String(), "modified after the response header") {
		t.Errorf("late change not logged; log:\n%s", e.log.String())
	}
	if got := e.load(t, key).Name(); got != "Ada" {
		t.Errorf("stored Name() = %q, want the pre-commit value", got)
	}
}

func TestM12WriterInterfaces(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("Flusher", func(t *testing.T) {
		w := httptest.NewRecorder()
		e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mustProbe(t, r).SetName("Ada")
			w.(http.Flusher).Flush()
		})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if !w.Flushed || sessionCookie(w.Result(), "session") == nil {
			t.Errorf("flushed %v, cookie %v; want flushed with the session committed first", w.Flushed, sessionCookie(w.Result(), "session"))
		}
	})
	t.Run("Hijacker and ResponseController", func(t *testing.T) {
		e := newEnv(t, nil)
		srv := httptest.NewServer(e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mustProbe(t, r).SetName("Ada")
			rc := http.NewResponseController(w)
			if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
				t.Errorf("SetWriteDeadline through the middleware: %v", err)
			}
			conn, buf, err := rc.Hijack()
			if err != nil {
				t.Errorf("Hijack through the middleware: %v", err)
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
			buf.Flush()
		})))
		defer srv.Close()
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "hijacked" {
			t.Errorf("body = %q, want %q", body, "hijacked")
		}
		if e.st.Len() != 1 {
			t.Errorf("%d sessions stored, want the session saved before the hijack", e.st.Len())
		}
	})
	t.Run("Unwrap", func(t *testing.T) {
		rec := httptest.NewRecorder()
		e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, ok := w.(interface{ Unwrap() http.ResponseWriter })
			if !ok || u.Unwrap() != rec {
				t.Error("the middleware's writer does not unwrap to the server's")
			}
		})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	})
}

// stringRecorder is a ResponseWriter that implements io.StringWriter, as
// net/http's own does, and records which method wrote.
type stringRecorder struct {
	*httptest.ResponseRecorder
	strings []string
}

func (w *stringRecorder) WriteString(s string) (int, error) {
	w.strings = append(w.strings, s)
	return w.ResponseRecorder.WriteString(s)
}

// TestWriteStringPassesThrough: io.WriteString through the middleware
// reaches the server's WriteString with the string, after the session's
// cookie was set; once the error handler replaced the response, it writes
// nothing.
func TestWriteStringPassesThrough(t *testing.T) {
	tests := []struct {
		name     string
		failing  bool // the store fails, so the error handler answers
		wantBody string
		wantErr  bool
		want     []string // what reached the server's WriteString
	}{
		{name: "saved", wantBody: "ok", want: []string{"ok"}},
		{name: "store fails", failing: true, wantBody: "500 Internal Server Error: the session could not be saved\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *session.Config) {
				if tt.failing {
					c.Store = failingStore{}
				}
			})
			w := &stringRecorder{ResponseRecorder: httptest.NewRecorder()}
			var werr error
			e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mustProbe(t, r).SetName("Ada")
				_, werr = io.WriteString(w, "ok")
			})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			if (werr != nil) != tt.wantErr {
				t.Errorf("io.WriteString error = %v, want an error: %t", werr, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, w.strings); diff != "" {
				t.Errorf("strings written with WriteString (-want +got):\n%s", diff)
			}
			if got := w.Body.String(); got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
			if !tt.wantErr && w.Header().Get("Set-Cookie") == "" {
				t.Error("no Set-Cookie: the string was written before the session was committed")
			}
		})
	}
}
