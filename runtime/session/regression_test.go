package session_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// A session that outlived AbsoluteLifetime is discarded; the fresh session
// made in the same request (a sign-in) used to inherit the old creation
// time, so its cookie was deleted at once and its record already expired.
func TestSessionAfterLifetimeStartsAfresh(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.AbsoluteLifetime = time.Hour })
	now := time.Now()
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "Ada")
	now = now.Add(2 * time.Hour)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		if p.HasName() {
			t.Fatal("expired session still has data")
		}
		p.SetName("Bob") // sign in again
		if err := p.Cycle(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, key)
	c := sessionCookie(resp, "session")
	if c == nil || c.MaxAge <= 0 {
		t.Fatalf("the new session's cookie = %+v, want a live cookie", c)
	}
	if p := e.load(t, c.Value); p.Name() != "Bob" {
		t.Errorf("the new session does not load back: name %q", p.Name())
	}
}

// With IdleTimeout, a per-session AtBrowserClose expiry lives for
// IdleTimeout and must slide like the default; it used never to be
// refreshed, signing an active, read-only user out.
type expiryRecorder struct {
	*memstore.Store
	last time.Time
}

func (x *expiryRecorder) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	x.last = expiry
	return x.Store.Save(ctx, key, data, expiry, mustCreate)
}

func (x *expiryRecorder) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	x.last = expiry
	return x.Store.Swap(ctx, key, old, data, expiry)
}

func (x *expiryRecorder) Cycle(ctx context.Context, o, n string, data []byte, expiry time.Time) error {
	x.last = expiry
	return x.Store.Cycle(ctx, o, n, data, expiry)
}

func TestBrowserCloseSessionSlides(t *testing.T) {
	for _, tc := range []struct {
		name string
		exp  session.Expiry
	}{{"default", session.DefaultExpiry}, {"browser close", session.AtBrowserClose}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &expiryRecorder{Store: memstore.NewWithCleanup(0)}
			e := newEnv(t, func(c *session.Config) { c.Store = rec; c.IdleTimeout = 30 * time.Minute })
			now := time.Now()
			session.SetClock(e.m, func() time.Time { return now })
			resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
				p := mustProbe(t, r)
				p.SetName("Ada")
				p.SetExpiry(tc.exp)
			}, "")
			key := sessionCookie(resp, "session").Value
			for range 6 { // a read-only request every 10 minutes for an hour
				now = now.Add(10 * time.Minute)
				if !now.Before(rec.last) {
					t.Fatalf("at +%v the store's record expired at %v although the user was active every 10 minutes", now.Sub(rec.last)+30*time.Minute, rec.last)
				}
				e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, key)
			}
		})
	}
}

// Cycle after the response was committed used to move the record to a key
// the client never learned, and return nil: a silent sign-out. It is now
// refused and leaves the session as it was.
func TestCycleAfterCommitRefused(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	var cycleErr error
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		_ = p.Name()
		w.WriteHeader(http.StatusOK)
		cycleErr = p.Cycle(r.Context())
	}, key)
	if cycleErr == nil {
		t.Errorf("Cycle after commit returned nil")
	}
	if p := e.load(t, key); p.Name() != "Ada" {
		t.Errorf("the client's key %q no longer loads: the session was destroyed by a Cycle whose cookie could not be sent", key)
	}
}

// R4a: SetExpiry / DeleteTestCookie on a keyed session that was not loaded
// yet: the middleware's commit loads the stored metadata over the change,
// silently (no error, nothing logged).
func TestMetadataSetBeforeLoadKept(t *testing.T) {
	e := newEnv(t, nil)
	s := e.m.Open("")
	s.SetTestCookie()
	if err := s.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	key := s.Key()
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		s, _ := session.FromContext(r.Context())
		s.DeleteTestCookie()
		s.SetExpiry(session.ExpireAfterIdle(time.Hour))
	}, key)
	s2 := e.m.Open(key)
	if err := s2.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s2.TestCookieWorked() {
		t.Errorf("DeleteTestCookie was lost")
	}
	if got := s2.ExpiryAge(); got != time.Hour {
		t.Errorf("SetExpiry lost: ExpiryAge %v, want 1h", got)
	}
}

func TestCycleRestartsAbsoluteLifetime(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.AbsoluteLifetime = time.Hour })
	now := time.Now()
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "Ada")
	now = now.Add(50 * time.Minute)
	p := e.load(t, key)
	if err := p.Cycle(context.Background()); err != nil { // the sign-in
		t.Fatal(err)
	}
	now = now.Add(20 * time.Minute) // 70 minutes after the first visit, 20 after the sign-in
	if q := e.load(t, p.Key()); q.Name() != "Ada" {
		t.Error("a session cycled 20 minutes ago expired by the lifetime counted from before the cycle")
	}
}

func TestFlushStartsANewSession(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.AbsoluteLifetime = time.Hour })
	now := time.Now()
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "Ada")
	now = now.Add(50 * time.Minute)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		if err := p.Flush(r.Context()); err != nil {
			t.Fatal(err)
		}
		p.SetName("Bob") // the next anonymous session, e.g. a flash message
	}, key)
	c := sessionCookie(resp, "session")
	if c == nil || c.MaxAge < 3590 {
		t.Fatalf("cookie after Flush = %v, want a new session with the whole hour", c)
	}
}

func TestSwitchingProtocolsCommits(t *testing.T) {
	e := newEnv(t, nil)
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		mustProbe(t, r).SetName("Ada")
		w.WriteHeader(http.StatusSwitchingProtocols)
		if e.st.Len() != 1 {
			t.Error("101 went out before the session was saved")
		}
	}, "")
}
