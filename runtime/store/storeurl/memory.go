package storeurl

import (
	"context"
	"io"
	"net/url"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func openMemory(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	if err := noParams(u, "none are read"); err != nil {
		return nil, nil, err
	}
	s := memstore.New()
	return s, s, nil
}
