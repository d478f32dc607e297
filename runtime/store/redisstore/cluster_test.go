package redisstore_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// startWait bounds each wait for test servers (a Cluster, a Sentinel
// group) to come up.
const startWait = 20 * time.Second

// TestCluster runs the store tests and the conformance suite against a
// real three-node Redis Cluster that it starts on loopback ports.
func TestCluster(t *testing.T) {
	addrs := startCluster(t, 3)
	newEnv := func(t *testing.T) *env {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
		t.Cleanup(func() { c.Close() })
		return newEnv(t, c, nil, true)
	}
	t.Run("store", func(t *testing.T) { runStoreTests(t, newEnv) })
	t.Run("cycle_across_nodes", func(t *testing.T) { testCycleAcrossNodes(t, newEnv(t)) })
	t.Run("conformance", func(t *testing.T) { sessiontest.Run(t, factory(newEnv)) })
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

// startCluster starts n redis-server processes in cluster mode on free
// loopback ports, spreads the hash slots over them and waits until the
// cluster reports ok. The processes are killed when the test ends.
func startCluster(t *testing.T, n int) []string {
	t.Helper()
	bin := redisServer(t, "Redis Cluster")
	addrs := make([]string, n)
	logs := make([]string, n)
	for i := range n {
		addrs[i], logs[i] = startNode(t, bin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	if err := formCluster(ctx, addrs); err != nil {
		t.Fatalf("forming the test cluster: %v\n%s", err, tails(logs))
	}
	return addrs
}

// redisServer returns the path of redis-server, or skips the test, which
// needs it for what.
func redisServer(t *testing.T, what string) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skipf("redis-server is not on PATH; install Redis (e.g. apt-get install redis-server) to run the %s tests", what)
	}
	return bin
}

// startNode starts one cluster-mode redis-server and returns its address
// and log file.
func startNode(t *testing.T, bin string) (addr, logFile string) {
	t.Helper()
	dir := t.TempDir()
	return startServer(t, bin, freeClusterPort(t), dir,
		"--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
		"--cluster-node-timeout", "5000",
	)
}

// startServer starts redis-server on a loopback port, keeping its files in
// dir and persisting nothing, and returns its address and log file. args
// come first on the command line, where a config file must be. The process
// is killed when the test ends.
func startServer(t *testing.T, bin string, port int, dir string, args ...string) (addr, logFile string) {
	t.Helper()
	logFile = filepath.Join(dir, "redis.log")
	args = append(args,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--dir", dir, "--logfile", logFile,
		"--save", "", "--appendonly", "no", "--protected-mode", "no",
	)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), logFile
}

// freeClusterPort returns a free loopback port whose cluster bus port
// (port+10000) is free too.
func freeClusterPort(t *testing.T) int {
	t.Helper()
	for range 100 {
		port := freePort(t)
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
	t.Fatal("no free port pair for a Redis Cluster node")
	return 0
}

// freePort returns a loopback port that is free now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
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
		if err := poll(ctx, func() error { return c.Ping(ctx).Err() }); err != nil {
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
		err := poll(ctx, func() error {
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

// poll calls f until it succeeds or ctx ends, returning f's last error.
func poll(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tails returns the end of each log file, for a failure message.
func tails(files []string) string {
	var b strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", f, data)
	}
	return b.String()
}
