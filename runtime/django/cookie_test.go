package django

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/django/internal/djangotest"
	"github.com/typedsession/typedsession/runtime/session"
)

// TestCookieStoreAge: a Django cookie reads until SESSION_COOKIE_AGE
// (Config.CookieAge) after it was signed, whatever its custom expiry, and
// not after; an expired or forged one reads as a new session, logged.
func TestCookieStoreAge(t *testing.T) {
	ctx := context.Background()
	v := loadVectors(t)
	signed := time.Unix(v.Timestamp, 0)
	defer func(f func() time.Time) { timeNow = f }(timeNow)
	for _, c := range []struct {
		name  string
		after time.Duration
		value string
		ok    bool
	}{
		{"fresh", time.Hour, v.Sessions[1].Cookie, true},
		{"at the cookie age", 14 * 24 * time.Hour, v.Sessions[1].Cookie, true},
		{"past the cookie age", 14*24*time.Hour + time.Second, v.Sessions[1].Cookie, false},
		{"db value in a cookie", time.Hour, v.Sessions[1].DB, false},
	} {
		timeNow = func() time.Time { return signed.Add(c.after) }
		var sec bytes.Buffer
		m, err := session.NewManager(session.Config{Store: CookieStore{}, Secret: v.SecretKey,
			SecurityLogger: slog.New(slog.NewTextHandler(&sec, nil))})
		if err != nil {
			t.Fatal(err)
		}
		vs, err := djangotest.VisitOf(ctx, m.Open(c.value))
		if err != nil {
			t.Fatal(err)
		}
		if got := vs.UserID() == 42; got != c.ok {
			t.Errorf("%s: read %v, want %v", c.name, got, c.ok)
		}
		if logged := strings.Contains(sec.String(), "signature"); logged == c.ok {
			t.Errorf("%s: security log %q", c.name, sec.String())
		}
	}
}

func TestCookieStoreSeal(t *testing.T) {
	ctx := context.Background()
	if _, err := (CookieStore{}).Seal(ctx, bytes.Repeat([]byte("a"), MaxCookieLen+1), time.Time{}); err == nil {
		t.Error("a value over MaxCookieLen was sealed")
	}
	got, err := (CookieStore{}).Seal(ctx, []byte("e30:1vb66i:sig"), time.Time{})
	if err != nil || got != "e30:1vb66i:sig" {
		t.Errorf("Seal %q %v", got, err)
	}
}
