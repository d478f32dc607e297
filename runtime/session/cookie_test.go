package session

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCookieLineMatchesStdlib pins the hand-built Set-Cookie value to what
// http.Cookie.String writes for the same attributes.
func TestCookieLineMatchesStdlib(t *testing.T) {
	expires := time.Date(2026, 11, 21, 23, 17, 38, 0, time.UTC)
	for _, cc := range []Cookie{
		{Name: "session", Path: "/", SameSite: http.SameSiteLaxMode},
		{Name: "sid", Path: "/app", Domain: "example.com", Secure: true, SameSite: http.SameSiteStrictMode},
		{Name: "s", Path: "/", Domain: ".example.com", ScriptReadable: true, SameSite: http.SameSiteNoneMode, Secure: true, Partitioned: true},
		{Name: "s", Path: "/", SameSite: http.SameSiteDefaultMode},
	} {
		h, err := newCookieHeader(&cc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			expires time.Time
			maxAge  int
		}{{expires, 7200}, {time.Time{}, 0}, {epoch, -1}} {
			want := (&http.Cookie{Name: cc.Name, Value: "abc123", Path: cc.Path, Domain: cc.Domain,
				Expires: c.expires, MaxAge: c.maxAge, HttpOnly: !cc.ScriptReadable, Secure: cc.Secure,
				SameSite: cc.SameSite, Partitioned: cc.Partitioned}).String()
			if diff := cmp.Diff(want, h.line("abc123", c.expires, c.maxAge)); diff != "" {
				t.Errorf("%+v, expires %v, max-age %d (-stdlib +ours):\n%s", cc, c.expires, c.maxAge, diff)
			}
		}
	}
}

func TestInvalidCookieConfigRefused(t *testing.T) {
	for _, cc := range []Cookie{
		{Name: "bad name", Path: "/"},
		{Name: "s", Path: "/", Domain: "exa mple.com"},
		{Name: "s", Path: "/;x"},
	} {
		if _, err := newCookieHeader(&cc); err == nil || !strings.Contains(err.Error(), "Config.Cookie") {
			t.Errorf("%+v: err = %v, want a Config.Cookie error", cc, err)
		}
	}
}

func TestValidCookieValue(t *testing.T) {
	for v, want := range map[string]bool{
		"abc-_.XYZ019": true, "": true,
		"a;b": false, "a b": false, "a\"b": false, "a,b": false, "a\\b": false, "a\r\nSet-Cookie: x": false,
	} {
		if got := validCookieValue(v); got != want {
			t.Errorf("validCookieValue(%q) = %v, want %v", v, got, want)
		}
	}
}
