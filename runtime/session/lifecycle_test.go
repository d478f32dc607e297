package session_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// countingStore counts saves reaching a memstore.
type countingStore struct {
	*memstore.Store
	saves, loads atomic.Int64
}

func (c *countingStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	c.saves.Add(1)
	return c.Store.Save(ctx, key, data, expiry, mustCreate)
}

// Swap counts as a save: it is how the session package updates a record
// it loaded from a store.Swapper such as memstore.
func (c *countingStore) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	c.saves.Add(1)
	return c.Store.Swap(ctx, key, old, data, expiry)
}

func (c *countingStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	c.loads.Add(1)
	return c.Store.Load(ctx, key)
}

func TestUntouchedRequestCostsNothing(t *testing.T) {
	cs := &countingStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = cs })
	key := e.seed(t, "Ada")
	cs.saves.Store(0)
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {}, key)
	if n := cs.loads.Load() + cs.saves.Load(); n != 0 {
		t.Errorf("untouched request made %d store calls, want 0", n)
	}
	if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
		t.Errorf("untouched request set cookies %q", got)
	}
}

func TestIdleTimeoutRefreshIsThrottled(t *testing.T) {
	cs := &countingStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = cs; c.IdleTimeout = 30 * time.Minute })
	now := time.Now()
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "Ada")
	read := func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }
	for _, step := range []struct {
		advance   time.Duration
		wantSaves int64
	}{
		{10 * time.Second, 0}, // refreshed recently: nothing to do
		{50 * time.Second, 1}, // a minute since the save: refresh once
		{10 * time.Second, 0}, // and not again right after
	} {
		now = now.Add(step.advance)
		cs.saves.Store(0)
		resp := e.do(t, read, key)
		if got := cs.saves.Load(); got != step.wantSaves {
			t.Errorf("after +%v: %d saves, want %d", step.advance, got, step.wantSaves)
		}
		if got := sessionCookie(resp, "session") != nil; got != (step.wantSaves == 1) {
			t.Errorf("after +%v: cookie refreshed = %v", step.advance, got)
		}
	}
}

func TestAbsoluteLifetime(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.AbsoluteLifetime = time.Hour })
	now := time.Now()
	session.SetClock(e.m, func() time.Time { return now })
	key := e.seed(t, "Ada")
	if age := e.load(t, key).ExpiryAge(); age < time.Hour-time.Second || age > time.Hour {
		t.Errorf("ExpiryAge() = %v, want capped at the 1h lifetime", age)
	}
	now = now.Add(61 * time.Minute)
	if p := e.load(t, key); p.HasName() || p.Key() != "" {
		t.Error("session past its absolute lifetime still loads")
	}
}

func TestStaleSessionRewrittenWithoutChange(t *testing.T) {
	const old = "the-previous-secret-0123456789abcdef"
	st := memstore.NewWithCleanup(0)
	before, err := session.NewManager(session.Config{Store: st, Secret: old})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := probeOf(t, before, "")
	p.SetName("Ada")
	if err := p.Session().Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *session.Config) { c.Store = st; c.FallbackSecrets = []string{old} })
	e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, p.Key())
	data, _, _ := st.Load(context.Background(), session.StoreKey(p.Key()))
	keys, _ := signing.NewKeyring([]byte(secret))
	if _, idx, err := keys.Signer(session.SignerSalt).Verify(data); err != nil || idx != 0 {
		t.Errorf("after a read-only request the record verifies with secret %d (%v), want re-signed with the current one", idx, err)
	}
}

func TestCookieTooLargeRefused(t *testing.T) {
	big := &bigClient{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = big })
	resp := e.do(t, setName(t, "Ada"), "")
	if resp.StatusCode != http.StatusInternalServerError || len(resp.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("status %d, Set-Cookie %d; want 500 and the old cookie left alone", resp.StatusCode, len(resp.Header.Values("Set-Cookie")))
	}
	if !strings.Contains(e.log.String(), "4096") {
		t.Errorf("log does not name the limit:\n%s", e.log.String())
	}
}

func TestClientValueThatIsNoCookieRefused(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.Store = &badClient{Store: memstore.NewWithCleanup(0)} })
	resp := e.do(t, setName(t, "Ada"), "")
	if resp.StatusCode != http.StatusInternalServerError || len(resp.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("status %d, Set-Cookie %q; want 500 and no cookie", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
}

// badClient is a client-side store whose cookie value would inject an
// attribute.
type badClient struct{ *memstore.Store }

func (*badClient) Seal(context.Context, []byte, time.Time) (string, error) {
	return "x; Domain=evil.example", nil
}

// bigClient is a client-side store whose cookie values are too large.
type bigClient struct{ *memstore.Store }

func (*bigClient) Seal(context.Context, []byte, time.Time) (string, error) {
	return strings.Repeat("x", 4100), nil
}

var _ store.ClientSide = (*bigClient)(nil)

func TestNewManagerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  session.Config
		want string
	}{
		{"no store", session.Config{Secret: secret}, "Config.Store is nil"},
		{"no secret", session.Config{Store: memstore.New()}, "openssl rand"},
		{"short secret", session.Config{Store: memstore.New(), Secret: "short"}, "need at least 32"},
		{"short fallback", session.Config{Store: memstore.New(), Secret: secret, FallbackSecrets: []string{"x"}}, "secret 1 is 1 bytes"},
		{"secret of identical bytes", session.Config{Store: memstore.New(), Secret: strings.Repeat("x", 32)}, "openssl rand -base64 48"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := session.NewManager(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := session.NewManager(session.Config{Store: memstore.New()}); !errors.Is(err, signing.ErrShortSecret) {
		t.Errorf("err = %v, want ErrShortSecret", err)
	}
}

// TestNewManagerRefusesCookiesBrowsersDrop: each setting browsers silently
// drop is refused with a message naming what to change.
func TestNewManagerRefusesCookiesBrowsersDrop(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cookie session.Cookie
		want   []string
	}{
		{"__Host- without Secure", session.Cookie{Name: "__Host-sid"}, []string{"__Host-", "set Cookie.Secure"}},
		{"__host- without Secure, any case", session.Cookie{Name: "__host-sid"}, []string{"__Host-", "set Cookie.Secure"}},
		{"__Host- with Domain", session.Cookie{Name: "__Host-sid", Secure: true, Domain: "example.com"}, []string{"without a Domain", "leave Cookie.Domain empty"}},
		{"__Host- with Path", session.Cookie{Name: "__Host-sid", Secure: true, Path: "/app"}, []string{"Path=/", "leave Cookie.Path empty"}},
		{"__Secure- without Secure", session.Cookie{Name: "__Secure-sid"}, []string{"__Secure-", "set Cookie.Secure"}},
		{"SameSite=None without Secure", session.Cookie{SameSite: http.SameSiteNoneMode}, []string{"SameSite=None", "set Cookie.Secure"}},
		{"Partitioned without Secure", session.Cookie{Partitioned: true}, []string{"Partitioned", "set Cookie.Secure"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := session.NewManager(session.Config{Store: memstore.New(), Secret: secret, Cookie: tc.cookie})
			if err == nil {
				t.Fatal("NewManager accepted the cookie settings")
			}
			for _, w := range append(tc.want, "Config.Cookie") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to say %q", err, w)
				}
			}
		})
	}
	for _, ok := range []session.Cookie{
		{Name: "__Host-sid", Secure: true},
		{Name: "__Host-sid", Secure: true, Path: "/"},
		{Name: "__Secure-sid", Secure: true, Domain: "example.com", Path: "/app"},
		{SameSite: http.SameSiteNoneMode, Secure: true, Partitioned: true},
		{Name: "Host-sid"}, // no prefix: no rule
	} {
		if _, err := session.NewManager(session.Config{Store: memstore.New(), Secret: secret, Cookie: ok}); err != nil {
			t.Errorf("NewManager(%+v) = %v, want it accepted", ok, err)
		}
	}
}

func TestGeneratedKeys(t *testing.T) {
	e := newEnv(t, nil)
	seen := map[string]bool{}
	for range 200 {
		key := e.seed(t, "x")
		if len(key) != 32 || !store.ValidKey(key) {
			t.Fatalf("key %q: want 32 characters of the key alphabet", key)
		}
		if seen[key] {
			t.Fatalf("key %q drawn twice", key)
		}
		seen[key] = true
	}
}

func TestCookieParsing(t *testing.T) {
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	for _, tc := range []struct {
		header string
		want   string
	}{
		{"session=" + key, "Ada"},
		{"a=1; session=" + key + "; b=2", "Ada"},
		{`session="` + key + `"`, "Ada"},
		{"sessionx=" + key, ""},
		{"session=../../etc/passwd", ""},
		{"session", ""},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", tc.header)
		var got string
		w := &discard{h: http.Header{}}
		e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = mustProbe(t, r).Name()
		})).ServeHTTP(w, r)
		if got != tc.want {
			t.Errorf("Cookie %q: Name() = %q, want %q", tc.header, got, tc.want)
		}
	}
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func TestErrNoSession(t *testing.T) {
	if _, err := session.FromContext(context.Background()); !errors.Is(err, session.ErrNoSession) {
		t.Errorf("FromContext without middleware = %v, want ErrNoSession", err)
	}
}

func TestVersionConstant(t *testing.T) {
	if codec.Version != 2 {
		t.Errorf("codec.Version = %d; update the session tests that build payloads", codec.Version)
	}
}

// deleteFails is a store whose Delete fails.
type deleteFails struct{ *memstore.Store }

func (deleteFails) Delete(context.Context, string) error { return errDown }

func TestFlushKeepsSessionWhenDeleteFails(t *testing.T) {
	st := deleteFails{memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) { c.Store = st })
	key := e.seed(t, "Ada")
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		if err := p.Flush(r.Context()); !errors.Is(err, errDown) {
			t.Errorf("Flush = %v, want the store's error", err)
		}
		if p.Key() != key || p.Name() != "Ada" {
			t.Errorf("after a failed Flush: key %q, name %q; want the session untouched", p.Key(), p.Name())
		}
		w.WriteHeader(http.StatusInternalServerError)
	}, key)
	if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
		t.Errorf("Set-Cookie %q: a session the store still holds lost its cookie", got)
	}
}
