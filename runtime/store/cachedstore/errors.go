package cachedstore

import (
	"context"
	"fmt"
	"log/slog"
)

func wrap(op string, err error) error { return fmt.Errorf("cachedstore: %s: %w", op, err) }

// cacheFailed logs a cache failure that the durable store makes up for.
func (s *Store) cacheFailed(ctx context.Context, op string, err error) {
	s.log.LogAttrs(ctx, slog.LevelWarn, "cachedstore: cache failed; the durable store answers",
		slog.String("op", op), slog.String("err", err.Error()))
}

// cacheStale logs a cache failure that may leave the cache serving data the
// durable store no longer has.
func (s *Store) cacheStale(ctx context.Context, op string, err error) {
	s.log.LogAttrs(ctx, slog.LevelError, "cachedstore: cache failed and may serve stale session data until it expires",
		slog.String("op", op), slog.String("err", err.Error()))
}
