package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// redisAddrEnv names the environment variable that points the integration
// tests at a real Redis server.
const redisAddrEnv = "TYPEDSESSION_REDIS_ADDR"

// env is one store under test and what the tests need to look behind it.
type env struct {
	s      *redisstore.Store
	client redis.UniversalClient
	prefix string
	trips  *tripCounter
	// mr is the miniredis server, nil for real Redis, and mrNow its fixed
	// clock: with the clock fixed, PEXPIRETIME reports exactly the PXAT the
	// store sent.
	mr    *miniredis.Miniredis
	mrNow time.Time
	// split is set for clients that spread keys over nodes (Cluster).
	split bool
}

// newEnvFunc makes a fresh env (an empty namespace) for one test.
type newEnvFunc func(t *testing.T) *env

// tripCounter is a go-redis hook that counts what the client sends: one per
// command and one per pipeline, that is, one per round trip.
type tripCounter struct{ n atomic.Int64 }

func (c *tripCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// miniEnv returns an env over a fresh miniredis server.
func miniEnv(t *testing.T) *env {
	t.Helper()
	mr := miniredis.RunT(t)
	now := time.Now()
	mr.SetTime(now)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { c.Close() })
	e := newEnv(t, c, mr, false)
	e.mrNow = now
	return e
}

// realEnv returns an env over the Redis server at TYPEDSESSION_REDIS_ADDR,
// in a namespace of its own that is removed afterwards.
func realEnv(t *testing.T) *env {
	t.Helper()
	addr := os.Getenv(redisAddrEnv)
	if addr == "" {
		t.Skipf("set %s=127.0.0.1:6379 to run against a real Redis", redisAddrEnv)
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { c.Close() })
	return newEnv(t, c, nil, false)
}

// newEnv wraps c in a Store with a unique prefix, and removes every key
// under that prefix when the test ends (never anything else: the server may
// be shared).
func newEnv(t *testing.T, c redis.UniversalClient, mr *miniredis.Miniredis, split bool) *env {
	t.Helper()
	e := &env{client: c, prefix: uniquePrefix(t), trips: &tripCounter{}, mr: mr, split: split}
	c.AddHook(e.trips)
	e.s = redisstore.New(c, redisstore.Config{Prefix: e.prefix})
	t.Cleanup(func() { e.removeKeys(t) })
	return e
}

func uniquePrefix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "typedsession-test:" + hex.EncodeToString(b) + ":"
}

// removeKeys deletes the test's keys, on every master of a cluster.
func (e *env) removeKeys(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	clean := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, e.prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	var err error
	switch c := e.client.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, clean)
	case *redis.Client:
		err = clean(ctx, c)
	}
	if err != nil {
		t.Logf("removing test keys under %q: %v", e.prefix, err)
	}
}

// trip returns how many round trips the store's client made so far.
func (e *env) trip() int64 { return e.trips.n.Load() }

// commands returns how many commands miniredis processed so far.
func (e *env) commands() int { return e.mr.CommandCount() }
