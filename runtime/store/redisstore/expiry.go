package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// LoadWithExpiry is Load that also reports when the session expires, so a
// cache in front of this store (cachedstore) can keep its copy no longer
// than the session lives. It pipelines GET and PTTL: one round trip.
//
// The expiry is measured from just before the request was sent, so it may
// be early by the round trip's duration, never late, and does not depend on
// the Redis server's clock.
func (s *Store) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, false, wrap(ctx, "load", err)
	}
	start := time.Now()
	var get *redis.StringCmd
	var ttl *redis.DurationCmd
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.Get(ctx, s.key(key))
		ttl = p.PTTL(ctx, s.key(key))
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, wrap(ctx, "load", err)
	}
	// Bytes shares the reply's memory rather than copying it, as Load
	// does: callers of a store do not modify what it loads.
	data, _ := get.Bytes()
	left := ttl.Val()
	if left <= 0 {
		// Expired (or had no expiry, which this store never sets) between
		// the two commands: treat it as gone.
		return nil, time.Time{}, false, nil
	}
	return data, start.Add(left), true, nil
}
