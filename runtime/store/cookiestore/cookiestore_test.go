package cookiestore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

const (
	secret    = "cookiestore-test-secret-current-0123456789"
	oldSecret = "cookiestore-test-secret-retired-0123456789"
)

// clock is a settable time source for a Store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var start = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// newStore returns a Store for cfg (Secret defaults to secret) on a clock
// that starts at start.
func newStore(t testing.TB, cfg Config) (*Store, *clock) {
	t.Helper()
	if cfg.Secret == "" {
		cfg.Secret = secret
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c := &clock{t: start}
	s.now = c.now
	return s, c
}

// appendFrame appends the plaintext of a sealed value to dst, for tests
// that seal one themselves.
func appendFrame(dst []byte, format byte, data []byte, now, expiry time.Time) []byte {
	return append(frameHeader(dst, format, now, expiry), data...)
}

func seal(t testing.TB, s *Store, data []byte, expiry time.Time) string {
	t.Helper()
	v, err := s.Seal(context.Background(), data, expiry)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return v
}

// load asserts that Load does not fail and returns what it found.
func load(t testing.TB, s *Store, value string) ([]byte, bool) {
	t.Helper()
	data, found, err := s.Load(context.Background(), value)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return data, found
}

func TestNewRefusesShortSecrets(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"missing", Config{}, "secret 0 is 0 bytes"},
		{"short", Config{Secret: "hunter2"}, "secret 0 is 7 bytes"},
		{"short fallback", Config{Secret: secret, FallbackSecrets: []string{"old"}}, "secret 1 is 3 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if !errors.Is(err, signing.ErrShortSecret) {
				t.Fatalf("New = %v, %v; want ErrShortSecret", s, err)
			}
			for _, w := range []string{"cookiestore: Config.Secret", tt.want, "openssl rand"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestSealLoadRoundTrip(t *testing.T) {
	s, _ := newStore(t, Config{MaxAge: time.Hour})
	for name, data := range map[string][]byte{
		"empty":  {},
		"text":   []byte("signed session payload"),
		"binary": {0, 0xff, 1, 0xfe},
		"1 KiB":  bytes.Repeat([]byte{0xa5}, 1024),
	} {
		t.Run(name, func(t *testing.T) {
			v := seal(t, s, data, start.Add(time.Hour))
			if bytes.Contains([]byte(v), data) && len(data) > 4 {
				t.Error("the cookie value shows the data")
			}
			got, found := load(t, s, v)
			if !found {
				t.Fatal("Load: not found")
			}
			if diff := cmp.Diff(data, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
		})
	}
}

// The value goes into a cookie as it is: only unpadded base64url.
func TestSealedValueIsCookieSafe(t *testing.T) {
	s, _ := newStore(t, Config{})
	for n := range 40 {
		v := seal(t, s, bytes.Repeat([]byte{0xff}, n), start.Add(time.Hour))
		if i := strings.IndexFunc(v, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}); i >= 0 {
			t.Errorf("value %q has %q, not cookie-safe base64url", v, v[i])
		}
	}
}

// S10: the server enforces both the session's own expiry and MaxAge; a
// custom expiry shorter than the cookie age is not stretched to it.
func TestLoadEnforcesExpiry(t *testing.T) {
	tests := []struct {
		name    string
		maxAge  time.Duration
		expiry  time.Duration // from sealing
		elapsed time.Duration // from sealing to loading
		want    bool
	}{
		{"fresh", 14 * 24 * time.Hour, time.Hour, 0, true},
		{"before its expiry", 14 * 24 * time.Hour, time.Hour, 59 * time.Minute, true},
		{"at its expiry", 14 * 24 * time.Hour, time.Hour, time.Hour, false},
		{"custom 10s expiry, 11s later", 14 * 24 * time.Hour, 10 * time.Second, 11 * time.Second, false},
		{"expiry already past when sealed", time.Hour, -time.Second, 0, false},
		{"older than MaxAge, expiry ahead", time.Hour, 30 * 24 * time.Hour, time.Hour + time.Second, false},
		{"exactly MaxAge", time.Hour, 30 * 24 * time.Hour, time.Hour, true},
		{"no MaxAge: only the expiry", 0, 365 * 24 * time.Hour, 300 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newStore(t, Config{MaxAge: tt.maxAge})
			v := seal(t, s, []byte("data"), start.Add(tt.expiry))
			c.advance(tt.elapsed)
			data, found := load(t, s, v)
			if found != tt.want {
				t.Fatalf("found = %v, want %v", found, tt.want)
			}
			if !found && data != nil {
				t.Errorf("data = %q for a session not found", data)
			}
			if ok, err := s.Exists(context.Background(), v); ok != tt.want || err != nil {
				t.Errorf("Exists = %v, %v; want %v", ok, err, tt.want)
			}
		})
	}
}

// A value sealed by a server whose clock runs ahead is accepted within a
// minute of skew; further ahead it could outlive MaxAge, so it is refused.
func TestLoadClockSkew(t *testing.T) {
	for _, tt := range []struct {
		ahead time.Duration
		want  bool
	}{{30 * time.Second, true}, {time.Minute, true}, {time.Hour, false}} {
		t.Run(fmt.Sprint(tt.ahead), func(t *testing.T) {
			s, c := newStore(t, Config{MaxAge: 24 * time.Hour})
			v := seal(t, s, []byte("data"), start.Add(2*time.Hour))
			c.advance(-tt.ahead)
			if _, found := load(t, s, v); found != tt.want {
				t.Errorf("found = %v, want %v", found, tt.want)
			}
		})
	}
}

// S11: anything but an intact value this store sealed is refused with
// store.ErrCorrupt, which the session package logs as a security event.
func TestLoadRefusesTampering(t *testing.T) {
	s, _ := newStore(t, Config{})
	v := seal(t, s, []byte("user=42;role=reader"), start.Add(time.Hour))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range len(v) {
		c := alphabet[(strings.IndexByte(alphabet, v[i])+1)%len(alphabet)]
		assertCorrupt(t, s, fmt.Sprintf("char %d changed", i), v[:i]+string(c)+v[i+1:])
	}
	for n := 1; n < len(v); n++ {
		assertCorrupt(t, s, fmt.Sprintf("truncated to %d", n), v[:n])
	}
	assertCorrupt(t, s, "char appended", v+"A")
}

func TestLoadRefusesForeignValues(t *testing.T) {
	s, _ := newStore(t, Config{})
	other, _ := newStore(t, Config{Secret: oldSecret})
	keys, err := signing.NewKeyring([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	otherSalt, err := keys.Sealer("some/other/purpose")
	if err != nil {
		t.Fatal(err)
	}
	signer := keys.Signer(salt)
	tests := map[string]string{
		"not base64":             "!!not*base64!!",
		"random base64":          "q83hfQ0a8f7GQdhf7dh2ks9a8d7f6g5h4j3k2l1",
		"another secret":         seal(t, other, []byte("data"), start.Add(time.Hour)),
		"same secret, other use": otherSalt.SealString(appendFrame(nil, frameFormat, []byte("data"), start, start.Add(time.Hour))),
		"signed, not sealed":     base64.RawURLEncoding.EncodeToString(signer.Sign(nil, appendFrame(nil, frameFormat, []byte("data"), start, start.Add(time.Hour)))),
		"sealed without a frame": s.sealer.SealString([]byte("data")),
		"longer than a cookie":   strings.Repeat("A", MaxValueLen+1),
	}
	for name, v := range tests {
		assertCorrupt(t, s, name, v)
	}
}

func assertCorrupt(t *testing.T, s *Store, name, value string) {
	t.Helper()
	data, found, err := s.Load(context.Background(), value)
	if !errors.Is(err, store.ErrCorrupt) || found || data != nil {
		t.Errorf("%s: Load = %q, %v, %v; want not found, ErrCorrupt", name, data, found, err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "cookiestore: load: ") {
		t.Errorf("%s: error %q lacks the store and operation", name, err)
	}
	if ok, err := s.Exists(context.Background(), value); ok || err != nil {
		t.Errorf("%s: Exists = %v, %v; want false, nil", name, ok, err)
	}
}

// An absent cookie is no session, not a corrupt one.
func TestLoadEmpty(t *testing.T) {
	s, _ := newStore(t, Config{})
	if data, found, err := s.Load(context.Background(), ""); data != nil || found || err != nil {
		t.Errorf("Load(\"\") = %q, %v, %v; want nothing", data, found, err)
	}
}

func TestFallbackSecret(t *testing.T) {
	before, _ := newStore(t, Config{Secret: oldSecret})
	v := seal(t, before, []byte("sealed before the rotation"), start.Add(time.Hour))

	after, _ := newStore(t, Config{Secret: secret, FallbackSecrets: []string{oldSecret}})
	if data, found := load(t, after, v); !found || string(data) != "sealed before the rotation" {
		t.Errorf("Load with the old secret as fallback = %q, %v", data, found)
	}
	resealed := seal(t, after, []byte("x"), start.Add(time.Hour))
	if _, found, err := before.Load(context.Background(), resealed); found || !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("a new value opened with only the old secret (found %v, %v); want it sealed with the new one", found, err)
	}

	dropped, _ := newStore(t, Config{Secret: secret})
	assertCorrupt(t, dropped, "fallback dropped", v)
}

// S10: a session too large for a cookie is refused with a clear error
// naming the size and the limit; the largest that fits is accepted.
func TestSealTooLarge(t *testing.T) {
	s, _ := newStore(t, Config{})
	fits := 0
	for sealedLen(fits+1) <= MaxValueLen {
		fits++
	}
	v, err := s.Seal(context.Background(), bytes.Repeat([]byte{1}, fits), start.Add(time.Hour))
	if err != nil || len(v) > MaxValueLen || len(v) < MaxValueLen-3 {
		t.Fatalf("Seal of %d bytes = %d-byte value, %v; want it to fit just under %d", fits, len(v), err, MaxValueLen)
	}
	if _, found := load(t, s, v); !found {
		t.Error("the largest value does not load")
	}

	_, err = s.Seal(context.Background(), bytes.Repeat([]byte{1}, fits+1), start.Add(time.Hour))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Seal of %d bytes = %v, want ErrTooLarge", fits+1, err)
	}
	want := fmt.Sprintf("would be %d bytes, over the %d a cookie can hold", sealedLen(fits+1), MaxValueLen)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

// SealLine puts the value Seal would make between head and tail, and
// refuses what Seal refuses, whatever head and tail add.
func TestSealLine(t *testing.T) {
	s, _ := newStore(t, Config{MaxAge: time.Hour})
	ctx := context.Background()
	fits := 0
	for sealedLen(fits+1) <= MaxValueLen {
		fits++
	}
	const head, tail = "id=", "; Path=/; Max-Age=3600; HttpOnly"
	for _, n := range []int{0, 1, 300, fits} {
		data := bytes.Repeat([]byte{byte(n)}, n)
		line, err := s.SealLine(ctx, head, data, start.Add(time.Hour), tail)
		if err != nil {
			t.Fatalf("%d bytes: SealLine = %v", n, err)
		}
		if !strings.HasPrefix(line, head) || !strings.HasSuffix(line, tail) {
			t.Fatalf("%d bytes: SealLine = %q, want it between %q and %q", n, line, head, tail)
		}
		v := line[len(head) : len(line)-len(tail)]
		if len(v) != sealedLen(n) {
			t.Errorf("%d bytes: value of %d bytes, want %d as Seal makes", n, len(v), sealedLen(n))
		}
		got, found := load(t, s, v)
		if !found {
			t.Fatalf("%d bytes: the value does not load", n)
		}
		if diff := cmp.Diff(data, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%d bytes: data (-want +got):\n%s", n, diff)
		}
	}
	if _, err := s.SealLine(ctx, head, bytes.Repeat([]byte{1}, fits+1), start.Add(time.Hour), tail); !errors.Is(err, ErrTooLarge) {
		t.Errorf("SealLine of %d bytes = %v, want ErrTooLarge", fits+1, err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SealLine(done, head, []byte("x"), start.Add(time.Hour), tail); !errors.Is(err, context.Canceled) {
		t.Errorf("SealLine with a cancelled context = %v, want context.Canceled", err)
	}
}

// S10: Save, Exists and Delete have cookie meaning.
func TestCookieMeaning(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, Config{})
	data := []byte("payload")
	expiry := start.Add(time.Hour)
	v := seal(t, s, data, expiry)

	if err := s.Save(ctx, v, data, expiry, false); err != nil {
		t.Errorf("Save of the value that carries data = %v, want nil", err)
	}
	if err := s.Save(ctx, v, data, expiry, true); err != nil {
		t.Errorf("Save(mustCreate) of the value that carries data = %v, want nil", err)
	}
	for name, key := range map[string]string{"other data": v, "server-side key": "abcdefgh12345678"} {
		d := data
		if name == "other data" {
			d = []byte("something else")
		}
		if err := s.Save(ctx, key, d, expiry, false); !errors.Is(err, store.ErrNotSupported) {
			t.Errorf("Save with %s = %v, want ErrNotSupported", name, err)
		}
	}

	if err := s.Delete(ctx, v); err != nil {
		t.Errorf("Delete = %v", err)
	}
	if ok, err := s.Exists(ctx, v); !ok || err != nil {
		t.Errorf("Exists after Delete = %v, %v; want true: a cookie cannot be revoked", ok, err)
	}

	n, err := s.ClearExpired(ctx)
	if n != 0 || !errors.Is(err, store.ErrNotSupported) {
		t.Errorf("ClearExpired = %d, %v; want 0, ErrNotSupported", n, err)
	}
}

// C42: every call honours a done context.
func TestContextDone(t *testing.T) {
	s, _ := newStore(t, Config{})
	v := seal(t, s, []byte("x"), start.Add(time.Hour))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "deadline": past} {
		calls := map[string]func() error{
			"Seal":         func() error { _, err := s.Seal(ctx, []byte("x"), start.Add(time.Hour)); return err },
			"Load":         func() error { _, _, err := s.Load(ctx, v); return err },
			"Exists":       func() error { _, err := s.Exists(ctx, v); return err },
			"Save":         func() error { return s.Save(ctx, v, []byte("x"), start.Add(time.Hour), false) },
			"Delete":       func() error { return s.Delete(ctx, v) },
			"ClearExpired": func() error { _, err := s.ClearExpired(ctx); return err },
		}
		for op, call := range calls {
			if err := call(); !errors.Is(err, ctx.Err()) {
				t.Errorf("%s: %s = %v, want %v", name, op, err, ctx.Err())
			}
		}
	}
}

// C41: one Store serves many goroutines.
func TestConcurrentUse(t *testing.T) {
	s, _ := newStore(t, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				want := fmt.Sprintf("g%d-%d", g, i)
				v, err := s.Seal(context.Background(), []byte(want), start.Add(time.Hour))
				if err != nil {
					errs <- err
					return
				}
				got, found, err := s.Load(context.Background(), v)
				if err != nil || !found || string(got) != want {
					errs <- fmt.Errorf("Load = %q, %v, %v; want %q", got, found, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
