package storeurl_test

import (
	"context"
	"strings"
	"testing"

	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

// A mistyped scheme (or any error before cache_url is taken out of the
// URL) prints the cache URL's password: url.Redacted hides only the main
// URL's userinfo, not a URL inside the query.
func TestCacheURLPasswordNotInErrors(t *testing.T) {
	for _, raw := range []string{
		"postgress://app:pw1@db/app?cache_url=redis://:hunter2@cache:6379",
		"sqlite:///tmp/x.db?cache_url=redis://:hunter2@127.0.0.1:1&bogus=1",
		"file:///nonexistent-dir-review?cache_url=redis://:hunter2@127.0.0.1:1",
	} {
		_, _, err := storeurl.Open(context.Background(), raw, storeurl.Options{Secret: strings.Repeat("s", 32)})
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) error shows the cache password: %v", raw, err)
		}
	}
}
