package redisstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// benchStore returns a store over the real Redis when
// TYPEDSESSION_REDIS_ADDR is set, else over miniredis.
func benchStore(b *testing.B) *redisstore.Store {
	b.Helper()
	addr := os.Getenv(redisAddrEnv)
	if addr == "" {
		mr := miniredis.RunT(b)
		addr = mr.Addr()
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	b.Cleanup(func() { c.Close() })
	prefix := "typedsession-bench:" + newKey() + ":"
	b.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return redisstore.New(c, redisstore.Config{Prefix: prefix})
}

var benchData = make([]byte, 200) // a typical signed payload

func BenchmarkLoad(b *testing.B) {
	s, ctx, k := benchStore(b), context.Background(), newKey()
	if err := s.Save(ctx, k, benchData, hour(), true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Load(ctx, k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveUpdate(b *testing.B) {
	s, ctx, k := benchStore(b), context.Background(), newKey()
	if err := s.Save(ctx, k, benchData, hour(), true); err != nil {
		b.Fatal(err)
	}
	expiry := hour()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Save(ctx, k, benchData, expiry, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCycle(b *testing.B) {
	s, ctx, k := benchStore(b), context.Background(), newKey()
	if err := s.Save(ctx, k, benchData, hour(), true); err != nil {
		b.Fatal(err)
	}
	expiry := hour()
	b.ReportAllocs()
	for b.Loop() {
		next := newKey()
		if err := s.Cycle(ctx, k, next, benchData, expiry); err != nil {
			b.Fatal(err)
		}
		k = next
	}
}
