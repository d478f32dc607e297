package redisstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/internal/ownerbench"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// BenchmarkListOwned lists the 10 sessions of one owner in a store that
// holds stored sessions of stored/10 owners, on the real Redis at
// TYPEDSESSION_REDIS_ADDR (under a prefix of its own, removed afterwards)
// or else miniredis: the time should not grow with stored (sizes from
// TYPEDSESSION_BENCH_STORED, see ownerbench).
func BenchmarkListOwned(b *testing.B) {
	ownerbench.Run(b, func(b *testing.B) store.Owners { return ownerBenchStore(b) }, 32, func(b *testing.B, o store.Owners, stored int) {
		// A plain Load on the same server, for scale: what a store of
		// this size costs any command, index or not.
		s, ctx, key := o.(*redisstore.Store), context.Background(), ownerbench.Key(stored-1)
		b.Run("load1", func(b *testing.B) {
			for b.Loop() {
				if _, found, err := s.Load(ctx, key); err != nil || !found {
					b.Fatalf("Load = %v, %v", found, err)
				}
			}
		})
	})
}

// ownerBenchStore returns a store under a fresh prefix whose keys are
// unlinked in batches when the benchmark ends.
func ownerBenchStore(b *testing.B) *redisstore.Store {
	b.Helper()
	addr := os.Getenv(redisAddrEnv)
	if addr == "" {
		addr = miniredis.RunT(b).Addr()
	}
	c := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 64})
	prefix := "typedsession-ownerbench:" + newKey() + ":"
	b.Cleanup(func() {
		defer c.Close()
		ctx := context.Background()
		var batch []string
		iter := c.Scan(ctx, 0, prefix+"*", 10000).Iterator()
		for iter.Next(ctx) {
			if batch = append(batch, iter.Val()); len(batch) == 1000 {
				c.Unlink(ctx, batch...)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			c.Unlink(ctx, batch...)
		}
		if err := iter.Err(); err != nil {
			b.Errorf("removing the benchmark's keys under %q: %v", prefix, err)
		}
	})
	return redisstore.New(c, redisstore.Config{Prefix: prefix})
}
