package session_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
)

// The middleware makes the session when the handler first asks for it.
// One first asked for after the response header went out is already
// committed: a change to it is reported, as for a session fetched before.
func TestSessionFirstUsedAfterCommit(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	var sessErr error
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		p := mustProbe(t, r)
		p.SetName("Bob")
		sessErr = p.Err()
	}, key)
	if !errors.Is(sessErr, session.ErrModifiedAfterCommit) {
		t.Errorf("Err() = %v, want ErrModifiedAfterCommit", sessErr)
	}
	if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
		t.Errorf("cookies set for a session first used after the commit: %q", got)
	}
	if got := e.load(t, key).Name(); got != "Ada" {
		t.Errorf("stored Name() = %q, want Ada", got)
	}
}

// Every FromContext of one request, from any goroutine, gives the same
// session.
func TestOneSessionPerRequest(t *testing.T) {
	e := newEnv(t, nil)
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		got := make([]*session.Session, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = session.FromContext(r.Context())
			}()
		}
		wg.Wait()
		for i, s := range got {
			if s == nil || s != got[0] {
				t.Fatalf("FromContext %d = %p, want %p", i, s, got[0])
			}
		}
	}, "")
}

// A request carrying a cookie that is no valid key, whose handler never
// touches the session, still has that cookie deleted.
func TestUntouchedInvalidCookieDeleted(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {}, "not-a-key")
	c := sessionCookie(resp, "session")
	if c == nil || c.MaxAge != -1 || c.Value != "" {
		t.Errorf("cookie = %v, want the session cookie deleted", c)
	}
}
