package storeurl

import (
	"context"
	"errors"
	"io"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
)

// withCache puts the store cacheURL names in front of durable, as
// cachedstore does. It closes durable's resources if it fails.
func withCache(ctx context.Context, cacheURL string, durable store.Store, dc io.Closer, opts Options) (store.Store, io.Closer, error) {
	cache, cc, err := Open(ctx, cacheURL, opts)
	if err != nil {
		dc.Close()
		return nil, nil, err
	}
	_, cacheClient := cache.(store.ClientSide)
	_, durableClient := durable.(store.ClientSide)
	if cacheClient || durableClient {
		cc.Close()
		dc.Close()
		return nil, nil, errors.New("storeurl: the cookie store cannot be cached or be a cache: it keeps nothing on the server")
	}
	return cachedstore.New(cache, durable, cachedstore.Config{Logger: opts.Logger}), closers{cc, dc}, nil
}

// closers closes each of its members and returns the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
