package redistest

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// StartCluster starts n redis-server processes in cluster mode on free
// loopback ports, spreads the hash slots over them and waits until the
// cluster reports ok. It returns the nodes' addresses.
func StartCluster(tb testing.TB, n int) []string {
	tb.Helper()
	bin := redisServer(tb, "Redis Cluster")
	addrs := make([]string, n)
	logs := make([]string, n)
	for i := range n {
		addrs[i], logs[i] = startNode(tb, bin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	if err := formCluster(ctx, addrs); err != nil {
		tb.Fatalf("forming the test cluster: %v\n%s", err, tails(logs))
	}
	return addrs
}

// startNode starts one cluster-mode redis-server and returns its address
// and log file.
func startNode(tb testing.TB, bin string) (addr, logFile string) {
	tb.Helper()
	dir := tb.TempDir()
	return startServer(tb, bin, freeClusterPort(tb), dir,
		"--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
		"--cluster-node-timeout", "5000",
	)
}

// freeClusterPort returns a free loopback port whose cluster bus port
// (port+10000) is free too.
func freeClusterPort(tb testing.TB) int {
	tb.Helper()
	for range 100 {
		port := freePort(tb)
		if port+10000 > 65535 {
			continue
		}
		bus, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000)))
		if err != nil {
			continue
		}
		bus.Close()
		return port
	}
	tb.Fatal("no free port pair for a Redis Cluster node")
	return 0
}

// formCluster gives each node an equal share of the 16384 slots, introduces
// them to each other and waits until every node sees a healthy cluster.
func formCluster(ctx context.Context, addrs []string) error {
	clients := make([]*redis.Client, len(addrs))
	for i, a := range addrs {
		clients[i] = redis.NewClient(&redis.Options{Addr: a, MaxRetries: -1})
		defer clients[i].Close()
	}
	for _, c := range clients {
		if err := Poll(ctx, func() error { return c.Ping(ctx).Err() }); err != nil {
			return fmt.Errorf("node %s did not answer: %w", c.Options().Addr, err)
		}
	}
	const slots = 16384
	for i, c := range clients {
		var own []int
		for s := i * slots / len(clients); s < (i+1)*slots/len(clients); s++ {
			own = append(own, s)
		}
		if err := c.ClusterAddSlots(ctx, own...).Err(); err != nil {
			return fmt.Errorf("CLUSTER ADDSLOTS on %s: %w", c.Options().Addr, err)
		}
	}
	for _, a := range addrs[1:] {
		host, port, _ := net.SplitHostPort(a)
		if err := clients[0].ClusterMeet(ctx, host, port).Err(); err != nil {
			return fmt.Errorf("CLUSTER MEET %s: %w", a, err)
		}
	}
	want := fmt.Sprintf("cluster_known_nodes:%d", len(addrs))
	for _, c := range clients {
		err := Poll(ctx, func() error {
			info, err := c.ClusterInfo(ctx).Result()
			if err != nil {
				return err
			}
			if !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, want) {
				return fmt.Errorf("not ready:\n%s", info)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("node %s: %w", c.Options().Addr, err)
		}
	}
	return nil
}
