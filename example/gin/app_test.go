package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

const testSecret = "gin-example-test-secret-0123456789abcdef"

// flakyStore is a memstore that fails on demand.
type flakyStore struct {
	*memstore.Store
	failSave atomic.Bool
}

func (f *flakyStore) Save(ctx context.Context, key string, data []byte, exp time.Time, create bool) error {
	if f.failSave.Load() {
		return errors.New("flakystore: save: the store is down")
	}
	return f.Store.Save(ctx, key, data, exp, create)
}

// Swap fails as Save does: the session saves an update it loaded through
// the memstore's Swap (store.Swapper), not Save.
func (f *flakyStore) Swap(ctx context.Context, key string, old, data []byte, exp time.Time) error {
	if f.failSave.Load() {
		return errors.New("flakystore: swap: the store is down")
	}
	return f.Store.Swap(ctx, key, old, data, exp)
}

// app is the example served over HTTP, with a browser-like client.
type app struct {
	router *gin.Engine
	srv    *httptest.Server
	st     *flakyStore
	log    *syncBuffer
	client *http.Client
}

// newApp serves the example; extra adds test-only routes to its router.
func newApp(t *testing.T, extra func(r *gin.Engine)) *app {
	t.Helper()
	gin.SetMode(gin.TestMode)
	gin.DefaultErrorWriter = io.Discard // gin.Recovery's stack traces
	a := &app{st: &flakyStore{Store: memstore.NewWithCleanup(0)}, log: &syncBuffer{}}
	m, err := session.NewManager(session.Config{
		Store: a.st, Secret: testSecret,
		Logger: slog.New(slog.NewTextHandler(a.log, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	a.router = newRouter()
	if extra != nil {
		extra(a.router)
	}
	a.srv = httptest.NewServer(newServer(m, a.router))
	t.Cleanup(a.srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	a.client = &http.Client{Jar: jar}
	return a
}

// do sends a request (a form if form is not nil) and returns the final
// response, after redirects, and its body.
func (a *app) do(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// cookie returns the session cookie the client holds, or "".
func (a *app) cookie(t *testing.T) string {
	t.Helper()
	u, _ := url.Parse(a.srv.URL)
	for _, c := range a.client.Jar.Cookies(u) {
		if c.Name == session.DefaultCookieName {
			return c.Value
		}
	}
	return ""
}

type profile struct {
	UID    int64  `json:"uid"`
	Name   string `json:"name"`
	Visits int64  `json:"visits"`
}

// me returns what /me reports of the session.
func (a *app) me(t *testing.T) profile {
	t.Helper()
	resp, body := a.do(t, "GET", "/me", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /me: %d %s", resp.StatusCode, body)
	}
	var p profile
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("GET /me: %v in %q", err, body)
	}
	return p
}

func (a *app) signin(t *testing.T, name string) {
	t.Helper()
	if resp, body := a.do(t, "POST", "/signin", url.Values{"name": {name}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in: %d %s", resp.StatusCode, body)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Each of gin's body helpers sends the header; the session set before it
// must be saved and its cookie sent.
func TestBodyHelpersKeepTheSession(t *testing.T) {
	a := newApp(t, nil)
	steps := []struct {
		method, path string
		form         url.Values
		want         string
	}{
		{"GET", "/visits", nil, `{"visits":1}`},                                               // c.JSON
		{"GET", "/hello", nil, "hello, stranger: visit 2"},                                    // c.String
		{"POST", "/signin", url.Values{"name": {"Ada"}}, `{"name":"Ada","uid":3,"visits":2}`}, // c.Redirect, then /me
		{"GET", "/visits", nil, `{"visits":3}`},
	}
	for _, s := range steps {
		resp, body := a.do(t, s.method, s.path, s.form)
		if resp.StatusCode != http.StatusOK || body != s.want {
			t.Errorf("%s %s: %d %s, want 200 %s", s.method, s.path, resp.StatusCode, body, s.want)
		}
	}
	if diff := cmp.Diff(profile{UID: 3, Name: "Ada", Visits: 3}, a.me(t)); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
}

func TestSignInCyclesSignOutFlushes(t *testing.T) {
	a := newApp(t, nil)
	a.do(t, "GET", "/visits", nil)
	before := a.cookie(t)
	a.signin(t, "Ada")
	after := a.cookie(t)
	if before == "" || after == "" || after == before {
		t.Fatalf("sign-in did not give the session a new key: before %q, after %q", before, after)
	}
	if ok, err := a.st.Exists(context.Background(), before); err != nil || ok {
		t.Errorf("the pre-sign-in key still exists in the store (%v, %v)", ok, err)
	}
	if p := a.me(t); p.Name != "Ada" || p.Visits != 1 {
		t.Errorf("after sign-in: %+v, want Ada with her visit kept", p)
	}

	resp, _ := a.do(t, "POST", "/signout", url.Values{})
	if resp.StatusCode != http.StatusNotFound { // redirected to /, which the example does not serve
		t.Errorf("sign-out: status %d", resp.StatusCode)
	}
	if c := a.cookie(t); c != "" {
		t.Errorf("the cookie survived sign-out: %q", c)
	}
	if ok, err := a.st.Exists(context.Background(), after); err != nil || ok {
		t.Errorf("the session still exists in the store after sign-out (%v, %v)", ok, err)
	}
	if p := a.me(t); p != (profile{}) {
		t.Errorf("after sign-out: %+v, want an empty session", p)
	}
}

// A change made after c.JSON wrote the body cannot reach the cookie or the
// store: it is logged and returned by the session's Err, never lost
// silently.
func TestChangeAfterBodyIsReported(t *testing.T) {
	var lateErr error
	a := newApp(t, func(r *gin.Engine) {
		r.GET("/late", func(c *gin.Context) {
			s, ok := visitor(c)
			if !ok {
				return
			}
			c.JSON(http.StatusOK, gin.H{"ok": true})
			s.SetName("late") // too late: the header is gone
			lateErr = s.Err()
		})
	})
	a.signin(t, "Ada")
	if resp, body := a.do(t, "GET", "/late", nil); resp.StatusCode != http.StatusOK || body != `{"ok":true}` {
		t.Errorf("GET /late: %d %s", resp.StatusCode, body)
	}
	if !errors.Is(lateErr, session.ErrModifiedAfterCommit) {
		t.Errorf("s.Err() = %v, want ErrModifiedAfterCommit", lateErr)
	}
	if !strings.Contains(a.log.String(), "typedsession: change lost") {
		t.Errorf("the lost change was not logged; log:\n%s", a.log)
	}
	if p := a.me(t); p.Name != "Ada" {
		t.Errorf("name = %q: the late change must not be half saved", p.Name)
	}
}

// gin has already decided on 200 when c.JSON writes; a store that fails at
// that moment turns the response into the error handler's 500.
func TestStoreFailureReplacesThe200(t *testing.T) {
	a := newApp(t, nil)
	a.do(t, "GET", "/visits", nil)
	a.st.failSave.Store(true)
	for _, path := range []string{"/visits", "/hello"} {
		resp, body := a.do(t, "GET", path, nil)
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "the session could not be saved") {
			t.Errorf("GET %s with the store down: %d %q, want the error handler's 500", path, resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "json") {
			t.Errorf("GET %s: Content-Type %q is the handler's, for a body it did not send", path, ct)
		}
	}
	a.st.failSave.Store(false)
	if p := a.me(t); p.Visits != 1 {
		t.Errorf("visits = %d, want 1: nothing claimed saved was lost, nothing unsaved appeared", p.Visits)
	}
}

// gin.Recovery writes a 500 for a panicking handler. It runs inside the
// session middleware, so that 500 saves nothing: the half-made change is
// dropped and the signed-in session is kept as it was, cookie and all.
func TestRecoveryKeepsTheSession(t *testing.T) {
	a := newApp(t, func(r *gin.Engine) {
		r.GET("/boom", func(c *gin.Context) {
			s, ok := visitor(c)
			if !ok {
				return
			}
			s.SetName("Mallory")
			panic("boom")
		})
	})
	a.signin(t, "Ada")
	key := a.cookie(t)
	resp, _ := a.do(t, "GET", "/boom", nil)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("GET /boom: status %d, want gin.Recovery's 500", resp.StatusCode)
	}
	if sc := resp.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Errorf("a 500 set cookies: %q", sc)
	}
	if a.cookie(t) != key {
		t.Error("the session cookie changed")
	}
	if p := a.me(t); p.Name != "Ada" {
		t.Errorf("name = %q, want Ada: the panicking request's change must not be saved", p.Name)
	}
}
