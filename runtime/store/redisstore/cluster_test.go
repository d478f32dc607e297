package redisstore_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/internal/redistest"
	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// TestCluster runs the store tests and the conformance suite against a
// real three-node Redis Cluster that it starts on loopback ports.
func TestCluster(t *testing.T) {
	addrs := redistest.StartCluster(t, 3)
	newEnv := func(t *testing.T) *env {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
		t.Cleanup(func() { c.Close() })
		return newEnv(t, c, nil, true)
	}
	t.Run("store", func(t *testing.T) { runStoreTests(t, newEnv) })
	t.Run("swap", func(t *testing.T) { runSwapTests(t, newEnv) })
	t.Run("cycle_across_nodes", func(t *testing.T) { testCycleAcrossNodes(t, newEnv(t)) })
	t.Run("conformance", func(t *testing.T) { sessiontest.RunWith(t, factory(newEnv), redisOptions) })
}

// testCycleAcrossNodes cycles between keys that live on different nodes,
// where a single-node script could not run.
func testCycleAcrossNodes(t *testing.T, e *env) {
	ctx := context.Background()
	cc := e.client.(*redis.ClusterClient)
	old := newKey()
	oldNode := nodeOf(t, cc, e.prefix+old)
	var next string
	for next == "" || nodeOf(t, cc, e.prefix+next) == oldNode {
		next = newKey()
	}
	mustSave(t, e, old, []byte("before"), hour(), true)
	expiry := hour()
	before := e.trip()
	if err := e.s.Cycle(ctx, old, next, []byte("after"), expiry); err != nil {
		t.Fatalf("Cycle across nodes: %v", err)
	}
	if got := e.trip() - before; got != 2 {
		t.Errorf("Cycle across nodes made %d round trips, want 2 (create, then delete)", got)
	}
	wantData(t, e, old, nil)
	wantData(t, e, next, []byte("after"))
	wantExpiry(t, e, next, expiry)
}

func nodeOf(t *testing.T, c *redis.ClusterClient, key string) string {
	t.Helper()
	n, err := c.MasterForKey(context.Background(), key)
	if err != nil {
		t.Fatalf("MasterForKey: %v", err)
	}
	return n.Options().Addr
}
