package cookiestore

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// These tests run the store behind a session Manager and its middleware,
// as an application does: S10 and S11 end to end.

// logBuffer is a log destination safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type app struct {
	store    *Store
	clock    *clock
	m        *session.Manager
	log      *logBuffer
	security *logBuffer
}

// newApp returns a Manager over a cookie store whose clock starts now, with
// the Manager's secrets; mod may change the Manager's config.
func newApp(t *testing.T, cfg Config, mod func(*session.Config)) *app {
	t.Helper()
	if cfg.Secret == "" {
		cfg.Secret = secret
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now()}
	s.now = c.now
	a := &app{store: s, clock: c, log: &logBuffer{}, security: &logBuffer{}}
	mcfg := session.Config{
		Store:           s,
		Secret:          cfg.Secret,
		FallbackSecrets: cfg.FallbackSecrets,
		Logger:          slog.New(slog.NewTextHandler(a.log, nil)),
		SecurityLogger:  slog.New(slog.NewTextHandler(a.security, nil)),
	}
	if mod != nil {
		mod(&mcfg)
	}
	if a.m, err = session.NewManager(mcfg); err != nil {
		t.Fatal(err)
	}
	return a
}

// do serves one request carrying cookie (if not empty) to handler h and
// returns the response and the new session cookie value ("" if none set).
func (a *app) do(t *testing.T, cookie string, h func(p *probe.Session)) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: cookie})
	}
	rec := httptest.NewRecorder()
	a.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h(p)
	})).ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.Name == session.DefaultCookieName {
			return res, c.Value
		}
	}
	return res, ""
}

// login starts a session holding name and returns its cookie.
func (a *app) login(t *testing.T, name string) string {
	t.Helper()
	res, cookie := a.do(t, "", func(p *probe.Session) { p.SetName(name) })
	if res.StatusCode != http.StatusOK || cookie == "" {
		t.Fatalf("login: status %d, cookie %q", res.StatusCode, cookie)
	}
	return cookie
}

// name returns the name the session behind cookie holds.
func (a *app) name(t *testing.T, cookie string) (string, bool) {
	t.Helper()
	var name string
	var has bool
	res, _ := a.do(t, cookie, func(p *probe.Session) { name, has = p.Name(), p.HasName() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	return name, has
}

func TestManagerRoundTrip(t *testing.T) {
	a := newApp(t, Config{MaxAge: time.Hour}, nil)
	cookie := a.login(t, "Ada Lovelace")
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil {
		t.Fatalf("cookie is not base64url: %v", err)
	}
	if bytes.Contains(raw, []byte("Ada Lovelace")) {
		t.Error("the cookie carries the session in clear")
	}
	if name, _ := a.name(t, cookie); name != "Ada Lovelace" {
		t.Errorf("Name() = %q, want Ada Lovelace", name)
	}
	if a.security.String() != "" {
		t.Errorf("security log for a good cookie:\n%s", a.security)
	}
}

// S11: flipping any bit pattern into any byte of the cookie gives an empty
// session, not an error, and one warning on the security logger.
func TestManagerTamperedCookie(t *testing.T) {
	t.Run("current format", func(t *testing.T) {
		a := newApp(t, Config{}, nil)
		testTampering(t, a, a.login(t, "Ada"))
	})
	t.Run("signed format of earlier releases", func(t *testing.T) {
		v := vectorCookie(t, frameSigned)
		testTampering(t, newApp(t, Config{Secret: v.Secret}, nil), v.Value)
	})
}

func testTampering(t *testing.T, a *app, cookie string) {
	if _, has := a.name(t, cookie); !has {
		t.Fatal("the untampered cookie gives no session")
	}
	for i := range len(cookie) {
		for _, bit := range []byte{0x01, 0x20} {
			b := []byte(cookie)
			b[i] ^= bit
			tampered := string(b)
			if !cookieSafe(tampered) {
				continue // a browser or net/http would not deliver it as sent
			}
			t.Run(fmt.Sprintf("byte %d ^ %#02x", i, bit), func(t *testing.T) {
				before := strings.Count(a.security.String(), "\n")
				if _, has := a.name(t, tampered); has {
					t.Error("tampered cookie gave the session")
				}
				if got := strings.Count(a.security.String(), "\n") - before; got != 1 {
					t.Errorf("%d security warnings, want 1", got)
				}
			})
		}
	}
}

// cookieSafe reports whether v can travel as a cookie value unchanged.
func cookieSafe(v string) bool {
	for i := range len(v) {
		c := v[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}

// S10: a custom expiry shorter than the cookie age is enforced by the
// server; the browser forgetting the cookie is not relied on.
func TestManagerCustomExpiry(t *testing.T) {
	a := newApp(t, Config{MaxAge: 14 * 24 * time.Hour}, nil)
	_, cookie := a.do(t, "", func(p *probe.Session) {
		p.SetName("Ada")
		p.SetExpiry(session.ExpireAfterIdle(10 * time.Second))
	})
	if name, _ := a.name(t, cookie); name != "Ada" {
		t.Fatalf("Name() = %q right away, want Ada", name)
	}
	a.clock.advance(11 * time.Second)
	if _, has := a.name(t, cookie); has {
		t.Error("a session past its 10s custom expiry was loaded")
	}
	if a.security.String() != "" {
		t.Errorf("an expired session is not a security event; log:\n%s", a.security)
	}
}

// S10: MaxAge bounds a session however far its own expiry lies.
func TestManagerMaxAge(t *testing.T) {
	a := newApp(t, Config{MaxAge: time.Hour}, func(c *session.Config) { c.CookieAge = 30 * 24 * time.Hour })
	cookie := a.login(t, "Ada")
	a.clock.advance(time.Hour + time.Second)
	if _, has := a.name(t, cookie); has {
		t.Error("a session sealed more than MaxAge ago was loaded")
	}
}

// S10: a session that would not fit in a cookie is refused with a clear
// error; the response is the error handler's, no cookie is set, and the
// client's previous cookie still holds the previous session.
func TestManagerTooLarge(t *testing.T) {
	a := newApp(t, Config{}, nil)
	cookie := a.login(t, "Ada")
	res, set := a.do(t, cookie, func(p *probe.Session) { p.SetName(strings.Repeat("x", MaxValueLen)) })
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", res.StatusCode)
	}
	if set != "" || len(res.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("Set-Cookie sent for a session that was not saved: %q", res.Header.Values("Set-Cookie"))
	}
	for _, want := range []string{"too large", fmt.Sprintf("over the %d", MaxValueLen)} {
		if !strings.Contains(a.log.String(), want) {
			t.Errorf("log does not say %q:\n%s", want, a.log)
		}
	}
	if name, _ := a.name(t, cookie); name != "Ada" {
		t.Errorf("previous cookie now gives Name() = %q, want Ada", name)
	}
}

// Rotation with the Manager and the store sharing their secrets: a cookie
// sealed (and signed) with the old secret is accepted, re-written with the
// new one on its next request, and the old secret can then be dropped.
func TestManagerRotation(t *testing.T) {
	before := newApp(t, Config{Secret: oldSecret}, nil)
	cookie := before.login(t, "Ada")

	after := newApp(t, Config{Secret: secret, FallbackSecrets: []string{oldSecret}}, nil)
	var name string
	_, resealed := after.do(t, cookie, func(p *probe.Session) { name = p.Name() })
	if name != "Ada" {
		t.Fatalf("Name() with the old secret as fallback = %q, want Ada", name)
	}
	if resealed == "" {
		t.Fatal("a session made with the old secret was not re-written")
	}

	rotated := newApp(t, Config{Secret: secret}, nil)
	if got, _ := rotated.name(t, resealed); got != "Ada" {
		t.Errorf("after dropping the old secret, Name() = %q, want Ada", got)
	}
}

// A cookie sealed by an earlier release, with the session signed inside
// the seal, still opens; the Manager checks the inner signature, and seals
// the session again, without it, on the same request.
func TestManagerSignedCookie(t *testing.T) {
	v := vectorCookie(t, frameSigned)
	a := newApp(t, Config{Secret: v.Secret}, nil)
	var name string
	_, resealed := a.do(t, v.Value, func(p *probe.Session) { name = p.Name() })
	if name != "Ada" {
		t.Fatalf("Name() = %q, want Ada", name)
	}
	if resealed == "" {
		t.Fatal("a cookie in the signed format was not sealed again")
	}
	data, found, how, err := a.store.Unseal(context.Background(), resealed)
	if err != nil || !found || how != (store.Sealing{}) {
		t.Fatalf("the new cookie: Unseal = %v, %+v, %v; want the current secret and format", found, how, err)
	}
	if _, _, err := signerFor(t, v.Secret).Verify(data); err == nil {
		t.Error("the new cookie still carries a signature inside the seal")
	}
	if len(resealed) >= len(v.Value) {
		t.Errorf("the new cookie is %d bytes, the old %d: want it shorter by the signature", len(resealed), len(v.Value))
	}
	if got, _ := a.name(t, resealed); got != "Ada" {
		t.Errorf("after re-sealing, Name() = %q, want Ada", got)
	}
	if a.security.String() != "" {
		t.Errorf("security log for good cookies:\n%s", a.security)
	}
}

// An old-format cookie whose inner signature does not verify (sealed with
// the store's secret, signed with another) is an empty session and a
// security warning, as any forged cookie.
func TestManagerSignedCookieBadSignature(t *testing.T) {
	a := newApp(t, Config{}, nil)
	data, _, _, err := a.store.Unseal(context.Background(), a.login(t, "Ada"))
	if err != nil {
		t.Fatal(err)
	}
	for name, signed := range map[string][]byte{
		"signed with another secret": signerFor(t, oldSecret).Sign(nil, data),
		"not signed":                 data,
	} {
		t.Run(name, func(t *testing.T) {
			forged := a.store.sealer.SealString(appendFrame(nil, frameSigned, signed, a.clock.now(), a.clock.now().Add(time.Hour)))
			before := strings.Count(a.security.String(), "\n")
			if _, has := a.name(t, forged); has {
				t.Error("the session behind a bad inner signature was loaded")
			}
			if got := strings.Count(a.security.String(), "\n") - before; got != 1 {
				t.Errorf("%d security warnings, want 1", got)
			}
			if !strings.Contains(a.security.String(), "signature") {
				t.Errorf("the warning does not name the signature:\n%s", a.security)
			}
		})
	}
}

// Rotation of a cookie in the signed format: sealed and signed with the
// old secret, it is sealed again with the new one, in the new format.
func TestManagerSignedCookieRotation(t *testing.T) {
	v := vectorCookie(t, frameSigned)
	const next = "cookiestore-test-secret-next-000123456789ab"
	a := newApp(t, Config{Secret: next, FallbackSecrets: []string{v.Secret}}, nil)
	var name string
	_, resealed := a.do(t, v.Value, func(p *probe.Session) { name = p.Name() })
	if name != "Ada" || resealed == "" {
		t.Fatalf("Name() = %q, new cookie %q; want Ada and a new cookie", name, resealed)
	}
	rotated := newApp(t, Config{Secret: next}, nil)
	if got, _ := rotated.name(t, resealed); got != "Ada" {
		t.Errorf("after dropping the old secret, Name() = %q, want Ada", got)
	}
}

func signerFor(t *testing.T, secret string) *signing.Signer {
	t.Helper()
	keys, err := signing.NewKeyring([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return keys.Signer(session.SignerSalt)
}
