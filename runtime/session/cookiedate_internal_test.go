package session

import (
	"net/http"
	"testing"
	"time"
)

func TestExpiresCache(t *testing.T) {
	var c expiresCache
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	for _, d := range []time.Duration{0, 1, 999 * time.Millisecond, time.Second, -time.Second, -1, 24 * time.Hour} {
		tm := base.Add(d)
		want := "; Expires=" + tm.UTC().Format(http.TimeFormat)
		if got := c.attr(tm); got != want {
			t.Errorf("attr(%v) = %q, want %q", tm, got, want)
		}
	}
}

// TestExpiresCacheReuses checks that a second date within the same second
// is not formatted again: the cached entry is handed out as it is.
func TestExpiresCacheReuses(t *testing.T) {
	var c expiresCache
	tm := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c.attr(tm)
	first := c.last.Load()
	c.attr(tm.Add(900 * time.Millisecond))
	if c.last.Load() != first {
		t.Error("a date in the same second was formatted again")
	}
	c.attr(tm.Add(time.Second))
	if c.last.Load() == first {
		t.Error("a date in the next second reused the previous second's text")
	}
}
