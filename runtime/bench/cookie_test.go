package bench

import (
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// cookieContenders keep the whole session in the cookie, encrypted and
// authenticated: gorilla's CookieStore and typedsession's cookiestore, as
// the cookiestore documentation configures it.
func cookieContenders(tb testing.TB) []contender {
	tb.Helper()
	cs, err := cookiestore.New(cookiestore.Config{Secret: secret, MaxAge: 14 * 24 * time.Hour})
	if err != nil {
		tb.Fatal(err)
	}
	return []contender{gorilla(), typed(tb, cs)}
}

// BenchmarkCookie is workload 3: a full request with the session sealed in
// the cookie.
func BenchmarkCookie(b *testing.B) {
	for _, c := range cookieContenders(b) {
		b.Run("lib="+c.lib, func(b *testing.B) { benchFull(b, c) })
	}
}
