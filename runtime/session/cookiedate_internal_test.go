package session

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTailCache checks each tail against http.Cookie's own formatting,
// asked for in an order that makes the cache hit and miss: dates within
// one second and across seconds, other ages, no date at all.
func TestTailCache(t *testing.T) {
	cc := Cookie{Name: "s", Path: "/", Domain: "example.com", Secure: true, SameSite: http.SameSiteLaxMode}
	h, err := newCookieHeader(&cc)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		expires time.Time
		maxAge  int
	}{
		{base, 3600},
		{base.Add(1), 3600},
		{base.Add(999 * time.Millisecond), 3600},
		{base.Add(999 * time.Millisecond), 3599},
		{base.Add(time.Second), 3600},
		{base.Add(-time.Second), 3600},
		{base.Add(-1), 3600},
		{base.Add(24 * time.Hour), -1},
		{time.Time{}, 0},
		{time.Time{}, 60},
		{time.Unix(0, 0), 0},
		{time.Unix(0, 0), -1},
		{base, 3600},
	}
	for _, tt := range tests {
		want := (&http.Cookie{Name: cc.Name, Value: "v", Path: cc.Path, Domain: cc.Domain, Expires: tt.expires,
			MaxAge: tt.maxAge, HttpOnly: true, Secure: true, SameSite: cc.SameSite}).String()
		if diff := cmp.Diff(want, h.line("v", tt.expires, tt.maxAge)); diff != "" {
			t.Errorf("expires %v, max-age %d (-http.Cookie +line):\n%s", tt.expires, tt.maxAge, diff)
		}
	}
}

// TestTailCacheReuses checks that a second date within the same second,
// with the same age, is not formatted again: the cached entry is handed
// out as it is.
func TestTailCacheReuses(t *testing.T) {
	h, err := newCookieHeader(&Cookie{Name: "s", Path: "/"})
	if err != nil {
		t.Fatal(err)
	}
	c := h.tails
	tm := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c.tail(&h, tm, 60)
	first := c.last.Load()
	c.tail(&h, tm.Add(900*time.Millisecond), 60)
	if c.last.Load() != first {
		t.Error("a date in the same second was formatted again")
	}
	c.tail(&h, tm.Add(time.Second), 60)
	if c.last.Load() == first {
		t.Error("a date in the next second reused the previous second's text")
	}
	second := c.last.Load()
	c.tail(&h, tm.Add(time.Second), 59)
	if c.last.Load() == second {
		t.Error("another Max-Age reused the text of the previous one")
	}
}
