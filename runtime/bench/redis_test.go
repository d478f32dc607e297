package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// redisAddrEnv names a real Redis server for workload 4; without it the
// benchmarks run against an in-process miniredis.
const redisAddrEnv = "TYPEDSESSION_REDIS_ADDR"

// redisContenders are typedsession's redisstore and scs's goredisstore on
// the same server, each through a client of its own that counts the
// commands it sends.
func redisContenders(tb testing.TB) []contender {
	tb.Helper()
	addr, prefix := redisServer(tb)
	return redisContendersAt(tb, addr, prefix)
}

// redisContendersAt is redisContenders on the server at addr, under prefix.
func redisContendersAt(tb testing.TB, addr, prefix string) []contender {
	tb.Helper()
	sc, scsCmds := redisClient(tb, addr)
	s := scsContender(scsManager(goredisstore.NewWithPrefix(sc, prefix+"scs:")))
	s.cmds = scsCmds
	tc, typedCmds := redisClient(tb, addr)
	t := typed(tb, redisstore.New(tc, redisstore.Config{Prefix: prefix + "typedsession:"}))
	t.cmds = typedCmds
	return []contender{s, t}
}

// redisServer returns the address of the server to use and a key prefix
// no one else uses. On a real server the keys under the prefix are removed
// afterwards, and nothing else is touched: the server may be shared.
func redisServer(tb testing.TB) (addr, prefix string) {
	tb.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	prefix = "typedsession-bench:" + hex.EncodeToString(b) + ":"
	addr = os.Getenv(redisAddrEnv)
	if addr == "" {
		return miniredis.RunT(tb).Addr(), prefix
	}
	tb.Cleanup(func() { removeKeys(tb, addr, prefix) })
	return addr, prefix
}

// serverName says which kind of server redisServer picks, for the
// benchmark names: the two give very different numbers.
func serverName() string {
	if os.Getenv(redisAddrEnv) == "" {
		return "miniredis"
	}
	return "redis"
}

func redisClient(tb testing.TB, addr string) (*redis.Client, *atomic.Int64) {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() { c.Close() })
	n := &commandCounter{}
	c.AddHook(n)
	return c, &n.n
}

func removeKeys(tb testing.TB, addr, prefix string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if err := c.Del(ctx, iter.Val()).Err(); err != nil {
			tb.Errorf("removing benchmark keys under %q: %v", prefix, err)
			return
		}
	}
	if err := iter.Err(); err != nil {
		tb.Errorf("removing benchmark keys under %q: %v", prefix, err)
	}
}

// commandCounter is a go-redis hook that counts the commands a client
// sends, each command of a pipeline separately. The handshake a new
// connection makes is left out: it is the client's, not the library's,
// and the parallel benchmarks open connections as they go.
type commandCounter struct{ n atomic.Int64 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.count(cmd)
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			c.count(cmd)
		}
		return next(ctx, cmds)
	}
}

func (c *commandCounter) count(cmd redis.Cmder) {
	switch cmd.Name() {
	case "hello", "client", "auth", "select", "ping":
		return
	}
	c.n.Add(1)
}

// BenchmarkRedis is workload 4: a full request with the sessions in Redis,
// with the Redis commands per request as cmds/op.
func BenchmarkRedis(b *testing.B) {
	for _, c := range redisContenders(b) {
		b.Run("server="+serverName()+"/lib="+c.lib, func(b *testing.B) { benchFull(b, c) })
	}
}

// BenchmarkRedisParallel is workload 6 for workload 4.
func BenchmarkRedisParallel(b *testing.B) {
	for _, c := range redisContenders(b) {
		b.Run("server="+serverName()+"/lib="+c.lib, func(b *testing.B) { benchFullParallel(b, c) })
	}
}
