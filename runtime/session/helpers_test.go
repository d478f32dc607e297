package session_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

const secret = "middleware-test-secret-0123456789abcdef"

// env is a manager over a memstore, with captured logs.
type env struct {
	m   *session.Manager
	st  *memstore.Store
	log *lockedBuffer
}

func newEnv(t *testing.T, mod func(*session.Config)) *env {
	t.Helper()
	e := &env{st: memstore.NewWithCleanup(0), log: &lockedBuffer{}}
	cfg := session.Config{Store: e.st, Secret: secret, Logger: slog.New(slog.NewTextHandler(e.log, nil))}
	if mod != nil {
		mod(&cfg)
	}
	m, err := session.NewManager(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	return e
}

// do serves one request carrying cookie (if not empty) through the
// middleware to h.
func (e *env) do(t *testing.T, h http.HandlerFunc, cookie string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: e.m.Config().Cookie.Name, Value: cookie})
	}
	w := httptest.NewRecorder()
	e.m.Handler(h).ServeHTTP(w, r)
	return w.Result()
}

// seed stores a session with name set and returns its key.
func (e *env) seed(t *testing.T, name string) string {
	t.Helper()
	p, err := probe.Of(context.Background(), e.m.Open(""))
	if err != nil {
		t.Fatal(err)
	}
	p.SetName(name)
	if err := p.Session().Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p.Key()
}

// save saves p now, failing the test if it cannot.
func save(t *testing.T, p *probe.Session) {
	t.Helper()
	if err := p.Session().Save(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// load reads the stored session under key.
func (e *env) load(t *testing.T, key string) *probe.Session {
	t.Helper()
	p, err := probe.Of(context.Background(), e.m.Open(key))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func sessionCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func mustProbe(t *testing.T, r *http.Request) *probe.Session {
	t.Helper()
	p, err := probe.From(r)
	if err != nil {
		t.Fatalf("probe.From: %v", err)
	}
	return p
}

// failingStore fails every operation, as a store that went away.
type failingStore struct{ store.Store }

var errDown = &downError{}

type downError struct{}

func (*downError) Error() string { return "store is down" }

func (failingStore) Load(context.Context, string) ([]byte, bool, error) { return nil, false, errDown }
func (failingStore) Save(context.Context, string, []byte, time.Time, bool) error {
	return errDown
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newEnvB(b *testing.B) *env {
	e := &env{st: memstore.NewWithCleanup(0), log: &lockedBuffer{}}
	m, err := session.NewManager(session.Config{Store: e.st, Secret: secret, Logger: slog.New(slog.NewTextHandler(e.log, nil))})
	if err != nil {
		b.Fatal(err)
	}
	e.m = m
	return e
}

func seedB(b *testing.B, e *env) string {
	p, err := probe.Of(context.Background(), e.m.Open(""))
	if err != nil {
		b.Fatal(err)
	}
	p.Update(func(v *probe.Probe) { v.Name, v.Count, v.Tags = "Ada", 1, []string{"admin", "staff"} })
	if err := p.Session().Save(context.Background()); err != nil {
		b.Fatal(err)
	}
	return p.Key()
}
