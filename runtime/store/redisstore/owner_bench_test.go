package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// ownerBenchSizes returns the store sizes BenchmarkListOwned fills: from
// TYPEDSESSION_BENCH_STORED (comma-separated, e.g. "1000,1000000" for the
// README's numbers), else a small default that CI runs in seconds.
func ownerBenchSizes(b *testing.B) []int {
	b.Helper()
	env := os.Getenv("TYPEDSESSION_BENCH_STORED")
	if env == "" {
		return []int{1000, 10000}
	}
	var sizes []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 {
			b.Fatalf("TYPEDSESSION_BENCH_STORED=%q: want comma-separated counts of at least 10", env)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// BenchmarkListOwned lists the 10 sessions of one owner in a store that
// holds stored sessions of stored/10 owners, on the real Redis at
// TYPEDSESSION_REDIS_ADDR (under a prefix of its own, removed afterwards)
// or else miniredis: the time should not grow with stored.
func BenchmarkListOwned(b *testing.B) {
	for _, stored := range ownerBenchSizes(b) {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			s := ownerBenchStore(b)
			fillOwned(b, s, stored)
			ctx := context.Background()
			owner := strconv.Itoa(stored/10 - 1)
			b.Run("list10", func(b *testing.B) {
				for b.Loop() {
					list, err := s.ListOwned(ctx, owner)
					if err != nil || len(list) != 10 {
						b.Fatalf("ListOwned = %d records, %v; want 10", len(list), err)
					}
				}
			})
			// A plain Load on the same server, for scale: what a store
			// of this size costs any command, index or not.
			key := fmt.Sprintf("benchkey%012d", stored-1)
			b.Run("load1", func(b *testing.B) {
				for b.Loop() {
					if _, found, err := s.Load(ctx, key); err != nil || !found {
						b.Fatalf("Load = %v, %v", found, err)
					}
				}
			})
		})
	}
}

// fillOwned saves stored sessions, 10 per owner, through SaveOwned.
func fillOwned(b *testing.B, s *redisstore.Store, stored int) {
	b.Helper()
	ctx := context.Background()
	data := make([]byte, 200)
	expiry := time.Now().Add(time.Hour)
	const workers = 32
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < stored; i += workers {
				key := fmt.Sprintf("benchkey%012d", i)
				if err := s.SaveOwned(ctx, key, strconv.Itoa(i/10), data, expiry, true); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
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
