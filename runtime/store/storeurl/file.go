package storeurl

import (
	"context"
	"io"
	"net/url"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/filestore"
)

func openFile(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	if err := noParams(u, "none are read"); err != nil {
		return nil, nil, err
	}
	dir, err := localPath(u)
	if err != nil {
		return nil, nil, err
	}
	s, err := filestore.New(dir)
	if err != nil {
		return nil, nil, err
	}
	return s, nil, nil
}
