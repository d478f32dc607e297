package bench

import (
	"context"
	"strings"
	"testing"
	"time"
)

// BenchmarkRedisFloor is what workload 4 costs at the least, with no
// session library: what the network and the server must do for a request
// that reads a session and saves it changed. It is a bare go-redis GET of a
// record, then a SET of the same bytes with an expiry (PX, one hour), both
// on the same server as workload 4 through a client of the same options,
// one round trip each. record=typedsession and record=scs are the records
// each library's seeded session is stored as (typedsession's is the
// smaller), so Floor/record=scs over Redis/lib=scs is the part of scs's
// request that no library could save, and the same for typedsession.
func BenchmarkRedisFloor(b *testing.B) {
	addr, prefix := redisServer(b)
	records := redisRecords(b, addr, prefix)
	for _, lib := range []string{"scs", "typedsession"} {
		data := records[lib]
		b.Run("server="+serverName()+"/record="+lib, func(b *testing.B) {
			c, cmds := redisClient(b, addr)
			ctx := context.Background()
			key := prefix + "floor:" + lib
			if err := c.Set(ctx, key, data, time.Hour).Err(); err != nil {
				b.Fatal(err)
			}
			start := cmds.Load()
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				got, err := c.Get(ctx, key).Bytes()
				if err != nil || len(got) != len(data) {
					b.Fatalf("GET %s: %d bytes, %v; want %d", key, len(got), err, len(data))
				}
				if err := c.Set(ctx, key, got, time.Hour).Err(); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(cmds.Load()-start)/float64(b.N), "cmds/op")
			b.ReportMetric(float64(len(data)), "B/record")
		})
	}
}

// redisRecords seeds a session holding shopper() through each library of
// workload 4, on the server at addr under prefix as redisContenders does,
// and returns the bytes each stored, by library.
func redisRecords(tb testing.TB, addr, prefix string) map[string][]byte {
	tb.Helper()
	c, _ := redisClient(tb, addr)
	ctx := context.Background()
	records := map[string][]byte{}
	for _, ct := range redisContendersAt(tb, addr, prefix) {
		ct.seed(tb, shopper())
		keys, err := c.Keys(ctx, prefix+ct.lib+":*").Result()
		if err != nil {
			tb.Fatal(err)
		}
		for _, k := range keys {
			if strings.Contains(k[len(prefix):], "owner") {
				continue
			}
			data, err := c.Get(ctx, k).Bytes()
			if err != nil {
				tb.Fatalf("GET %s: %v", k, err)
			}
			records[ct.lib] = data
		}
		if records[ct.lib] == nil {
			tb.Fatalf("%s stored no record under %s", ct.lib, prefix+ct.lib+":")
		}
	}
	return records
}

// TestRedisFloorRecords checks that the floor benchmark moves the records
// the two libraries store, one each.
func TestRedisFloorRecords(t *testing.T) {
	addr, prefix := redisServer(t)
	records := redisRecords(t, addr, prefix)
	for _, lib := range []string{"scs", "typedsession"} {
		if len(records[lib]) < 100 {
			t.Errorf("%s's record is %d bytes: %q", lib, len(records[lib]), records[lib])
		}
	}
}
