package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
)

// ExpireIn is fixed by SetExpiry with the Manager's clock, not the wall
// clock, and later requests do not move it.
func TestExpireInUsesManagerClock(t *testing.T) {
	e := newEnv(t, nil)
	// An hour ahead of the wall clock: far enough that time.Now() cannot
	// pass for it, near enough that the memstore keeps the session.
	now := time.Now().Add(time.Hour).Truncate(time.Second)
	session.SetClock(e.m, func() time.Time { return now })
	want := now.Add(10 * time.Second)

	p, _ := probeOf(t, e.m, "")
	p.SetExpiry(session.ExpireIn(10 * time.Second))
	if got := p.ExpiryDate(); !got.Equal(want) {
		t.Errorf("ExpiryDate() = %v, want the Manager's now + 10s = %v", got, want)
	}
	p.SetName("Ada")
	if err := p.Session().Save(context.Background()); err != nil {
		t.Fatal(err)
	}

	now = now.Add(4 * time.Second)
	q := e.load(t, p.Key())
	if got := q.ExpiryDate(); !got.Equal(want) {
		t.Errorf("ExpiryDate() 4s later = %v, want still %v", got, want)
	}
	if got := q.ExpiryAge(); got != 6*time.Second {
		t.Errorf("ExpiryAge() 4s later = %v, want 6s", got)
	}
}
