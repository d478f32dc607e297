package storeurl

import (
	"context"
	"errors"
	"io"
	"net/url"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// openCookie opens the cookie store, with the secrets from opts and, from
// cookie://?max_age=336h, its MaxAge.
func openCookie(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	if opts.Secret == "" {
		return nil, nil, errors.New("the cookie store needs the application's secret (Options.Secret) to seal and open cookies")
	}
	var maxAge time.Duration
	if v := takeParam(u, "max_age"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, nil, errors.New("max_age is not a duration such as 336h, or is negative")
		}
		maxAge = d
	}
	if err := noParams(u, "only max_age= is read"); err != nil {
		return nil, nil, err
	}
	s, err := cookiestore.New(cookiestore.Config{Secret: opts.Secret, FallbackSecrets: opts.FallbackSecrets, MaxAge: maxAge})
	if err != nil {
		return nil, nil, err
	}
	return s, nil, nil
}
