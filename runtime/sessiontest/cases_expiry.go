package sessiontest

import (
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
)

// expiryCases are C22–C27: Django's expiry rules.
var expiryCases = []testCase{
	{"C22", "default_expiry", func(t *testing.T, h *harness) {
		m := h.manager(func(c *session.Config) { c.CookieAge = 90 * time.Minute })
		p := h.openWith(m, "")
		if got := p.ExpiryAge(); got != 90*time.Minute {
			t.Errorf("ExpiryAge() = %v, want the cookie age 1h30m", got)
		}
		p.SetExpiry(session.AtBrowserClose)
		if got := p.ExpiryAge(); got != 90*time.Minute {
			t.Errorf("ExpiryAge() after SetExpiry(AtBrowserClose) = %v, want the cookie age 1h30m", got)
		}
	}},
	{"C23", "custom_expiry_seconds", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetExpiry(session.ExpireAfterIdle(10 * time.Second))
		before := time.Now()
		date := p.ExpiryDate()
		within(t, "ExpiryDate()", date, before.Add(10*time.Second))
		if got := p.ExpiryAge(); got != 10*time.Second {
			t.Errorf("ExpiryAge() = %v, want 10s", got)
		}
	}},
	{"C24", "custom_expiry_duration", func(t *testing.T, h *harness) {
		p := h.open("")
		before := time.Now()
		p.SetExpiry(session.ExpireIn(10 * time.Second))
		within(t, "ExpiryDate()", p.ExpiryDate(), before.Add(10*time.Second))
		if got := p.ExpiryAge(); got < 9*time.Second || got > 10*time.Second {
			t.Errorf("ExpiryAge() = %v, want 10s (9s after rounding)", got)
		}
	}},
	{"C25", "custom_expiry_absolute", func(t *testing.T, h *harness) {
		p := h.open("")
		at := time.Now().Add(10 * time.Second).UTC()
		p.SetExpiry(session.ExpireAt(at))
		if got := p.ExpiryDate(); !got.Equal(at) {
			t.Errorf("ExpiryDate() = %v, want %v", got, at)
		}
		p.SetName("Ada")
		h.save(p)
		if got := h.open(p.Key()).ExpiryDate(); !got.Equal(at) {
			t.Errorf("ExpiryDate() after a round trip = %v, want %v", got, at)
		}
	}},
	{"C26", "custom_expiry_reset", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetExpiry(session.ExpireAfterIdle(10 * time.Second))
		p.SetExpiry(session.DefaultExpiry)
		if got := p.ExpiryAge(); got != session.DefaultCookieAge {
			t.Errorf("ExpiryAge() = %v, want the default %v", got, session.DefaultCookieAge)
		}
	}},
	{"C27", "expire_at_browser_close", func(t *testing.T, h *harness) {
		for _, tc := range []struct {
			global bool
			want   [3]bool // custom 10s, 0, none
		}{
			{false, [3]bool{false, true, false}},
			{true, [3]bool{false, true, true}},
		} {
			m := h.manager(func(c *session.Config) { c.ExpireAtBrowserClose = tc.global })
			p := h.openWith(m, "")
			var got [3]bool
			for i, e := range []session.Expiry{session.ExpireAfterIdle(10 * time.Second), session.AtBrowserClose, session.DefaultExpiry} {
				p.SetExpiry(e)
				got[i] = p.ExpireAtBrowserClose()
			}
			if got != tc.want {
				t.Errorf("global %v: ExpireAtBrowserClose for 10s/0/none = %v, want %v", tc.global, got, tc.want)
			}
		}
	}},
}

// within fails unless got is within two seconds of want: the clock moves
// between the call and the check, and the store keeps whole seconds.
func within(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if d := got.Sub(want); d < -2*time.Second || d > 2*time.Second {
		t.Errorf("%s = %v, want %v (±2s)", what, got, want)
	}
}
