package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

// openStore opens the store rawURL names, or, when it is empty, the SQLite
// file at dbPath (creating it and its table).
func openStore(ctx context.Context, rawURL, dbPath, secret string, log *slog.Logger) (store.Store, io.Closer, error) {
	if rawURL == "" {
		abs, err := filepath.Abs(dbPath)
		if err != nil {
			return nil, nil, err
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return nil, nil, fmt.Errorf("database folder: %w", err)
		}
		rawURL = (&url.URL{Scheme: "sqlite", Path: filepath.ToSlash(abs)}).String()
		log.Info("sessions are stored in SQLite", "db", abs)
	} else {
		log.Info("sessions are stored in the -store store", "store", redacted(rawURL))
	}
	// Secret is only read by the cookie store, which seals sessions with it.
	st, c, err := storeurl.Open(ctx, rawURL, storeurl.Options{Secret: secret, CreateTable: true})
	if err != nil {
		return nil, nil, err
	}
	return st, c, nil
}

// redacted hides a password in a store URL.
func redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// clearExpiredEvery is how often expired sessions are deleted. Stores
// never return an expired session, so this only reclaims space.
const clearExpiredEvery = time.Hour

// clearExpired deletes expired sessions from st now and then, until ctx
// ends: what `sessionctl clear-expired` in a cron job does for a
// deployment with several processes.
func clearExpired(ctx context.Context, st store.Store, log *slog.Logger) {
	t := time.NewTicker(clearExpiredEvery)
	defer t.Stop()
	for {
		n, err := st.ClearExpired(ctx)
		switch {
		case errors.Is(err, store.ErrNotSupported):
			return // the store keeps nothing server side, or expires records itself
		case err != nil && ctx.Err() == nil:
			log.Error("clearing expired sessions", "err", err)
		case n > 0:
			log.Info("cleared expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
