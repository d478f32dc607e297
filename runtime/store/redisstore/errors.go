package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// wrap prefixes err with the store's name and the operation. When the
// context ended, go-redis reports only the network timeout it caused; the
// context's error is added so callers can test for it with errors.Is.
func wrap(ctx context.Context, op string, err error) error {
	if cerr := ctxErr(ctx); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("redisstore: %s: %w: %w", op, cerr, err)
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

// ctxErr is ctx.Err(), but also reports a deadline that has passed when the
// context's own timer has not fired yet: a read deadline set from the
// context can expire a moment before the context does.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
