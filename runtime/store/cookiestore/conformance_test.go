package cookiestore_test

import (
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// TestConformance runs the shared suite. It detects store.ClientSide and
// skips, with the reason, what a cookie cannot do (revocation, server-side
// keys).
func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) store.Store {
		s, err := cookiestore.New(cookiestore.Config{
			Secret:          sessiontest.Secret,
			FallbackSecrets: []string{sessiontest.FallbackSecret},
			MaxAge:          14 * 24 * time.Hour,
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
