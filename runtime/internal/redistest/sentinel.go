package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name the sentinels of a SentinelGroup know the master
// by.
const MasterName = "mymaster"

// failoverWait bounds the wait for a failover to complete. Sentinel
// demotes the old master only when it next looks at it, about ten seconds
// after the switch.
const failoverWait = 40 * time.Second

// SentinelGroup is a master, its replica and the sentinels watching them,
// each a redis-server process on a loopback port.
type SentinelGroup struct {
	// Master and Replica are the servers' addresses; Failover swaps them.
	Master, Replica string
	// Sentinels are the sentinels' addresses.
	Sentinels []string
	logs      []string
}

// StartSentinelGroup starts a master, a replica of it and n sentinels, and
// waits until every sentinel knows the master (as MasterName), the replica
// and the other sentinels, so that it could fail over.
func StartSentinelGroup(tb testing.TB, n int) *SentinelGroup {
	tb.Helper()
	bin := redisServer(tb, "Redis Sentinel")
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	g := &SentinelGroup{}
	var logFile string
	// Without the delay, the master would wait 5 s for more replicas before
	// sending the first one its data.
	g.Master, logFile = startServer(tb, bin, freePort(tb), tb.TempDir(), "--repl-diskless-sync-delay", "0")
	g.logs = append(g.logs, logFile)
	host, port, _ := net.SplitHostPort(g.Master)
	g.Replica, logFile = startServer(tb, bin, freePort(tb), tb.TempDir(), "--replicaof", host, port)
	g.logs = append(g.logs, logFile)
	// A sentinel learns of replicas from the master's INFO, which it reads
	// when it starts and then every 10 s: start the sentinels once the
	// replica is online, so that they see it at once.
	err := waitInfo(ctx, g.Master, "connected_slaves:1")
	if err == nil {
		err = waitInfo(ctx, g.Replica, "master_link_status:up")
	}
	if err != nil {
		tb.Fatalf("starting the master and its replica: %v\n%s", err, tails(g.logs))
	}
	for range n {
		addr, logFile := startSentinel(tb, bin, g.Master, n/2+1)
		g.Sentinels = append(g.Sentinels, addr)
		g.logs = append(g.logs, logFile)
	}
	for _, s := range g.Sentinels {
		if err := waitSentinelReady(ctx, s, n-1); err != nil {
			tb.Fatalf("sentinel %s: %v\n%s", s, err, tails(g.logs))
		}
	}
	return g
}

// startSentinel starts a sentinel that monitors master with the given
// quorum, and returns its address and log file.
func startSentinel(tb testing.TB, bin, master string, quorum int) (addr, logFile string) {
	tb.Helper()
	dir := tb.TempDir()
	host, port, _ := net.SplitHostPort(master)
	// A sentinel rewrites its config file, so it must be its own and
	// writable. down-after-milliseconds is generous so that a loaded
	// machine never causes a failover of its own.
	conf := fmt.Sprintf("sentinel monitor %s %s %s %d\n", MasterName, host, port, quorum) +
		fmt.Sprintf("sentinel down-after-milliseconds %s 5000\n", MasterName) +
		fmt.Sprintf("sentinel failover-timeout %s 5000\n", MasterName)
	path := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	return startServer(tb, bin, freePort(tb), dir, path, "--sentinel")
}

// waitSentinelReady waits until the sentinel at addr sees the master up,
// its replica healthy and the other sentinels.
func waitSentinelReady(ctx context.Context, addr string, others int) error {
	sc := redis.NewSentinelClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer sc.Close()
	return Poll(ctx, func() error {
		m, err := sc.Master(ctx, MasterName).Result()
		if err != nil {
			return err
		}
		if m["flags"] != "master" || m["num-slaves"] != "1" || m["num-other-sentinels"] != strconv.Itoa(others) {
			return fmt.Errorf("not ready: master %v", m)
		}
		rs, err := sc.Replicas(ctx, MasterName).Result()
		if err != nil {
			return err
		}
		if len(rs) != 1 || rs[0]["flags"] != "slave" || rs[0]["master-link-status"] != "ok" {
			return fmt.Errorf("not ready: replicas %v", rs)
		}
		return nil
	})
}

// Failover makes a sentinel promote the replica, and waits until the
// failover is complete: every sentinel names the new master and the old
// one has been made its replica. Until Sentinel demotes it, the old master
// still accepts writes from a client that has not yet heard of the switch
// (writes that the demotion then discards), so what follows the wait
// depends on the store and its client only.
func (g *SentinelGroup) Failover(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failoverWait)
	defer cancel()
	sc := redis.NewSentinelClient(&redis.Options{Addr: g.Sentinels[0], MaxRetries: -1})
	defer sc.Close()
	if err := sc.Failover(ctx, MasterName).Err(); err != nil {
		tb.Fatalf("SENTINEL FAILOVER: %v\n%s", err, tails(g.logs))
	}
	old, next := g.Master, g.Replica
	err := g.waitSentinelsAgree(ctx, next)
	if err == nil {
		_, port, _ := net.SplitHostPort(next)
		err = waitInfo(ctx, old, "role:slave", "master_port:"+port)
	}
	if err != nil {
		tb.Fatalf("failing over from %s to %s: %v\n%s", old, next, err, tails(g.logs))
	}
	g.Master, g.Replica = next, old
}

// waitSentinelsAgree waits until every sentinel names master as the
// master.
func (g *SentinelGroup) waitSentinelsAgree(ctx context.Context, master string) error {
	for _, s := range g.Sentinels {
		if err := waitSentinelNames(ctx, s, master); err != nil {
			return err
		}
	}
	return nil
}

// waitSentinelNames waits until the sentinel at addr names master as the
// master.
func waitSentinelNames(ctx context.Context, addr, master string) error {
	sc := redis.NewSentinelClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer sc.Close()
	return Poll(ctx, func() error {
		a, err := sc.GetMasterAddrByName(ctx, MasterName).Result()
		if err != nil {
			return err
		}
		if got := net.JoinHostPort(a[0], a[1]); got != master {
			return fmt.Errorf("sentinel %s names %s as master, want %s", addr, got, master)
		}
		return nil
	})
}

// WaitReplicated waits until the replica holds want under key. Sentinel
// promotes the best replica it has, not one that has caught up, so a test
// that fails over and expects its writes to survive waits for them first.
func (g *SentinelGroup) WaitReplicated(tb testing.TB, key, want string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: g.Replica, MaxRetries: -1})
	defer c.Close()
	err := Poll(ctx, func() error {
		got, err := c.Get(ctx, key).Result()
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("replica has %q, want %q", got, want)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("waiting for %s to reach the replica: %v", key, err)
	}
}

// WantOnMaster checks, bypassing Sentinel, that the master holds want under
// key.
func (g *SentinelGroup) WantOnMaster(tb testing.TB, key, want string) {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: g.Master})
	defer c.Close()
	got, err := c.Get(context.Background(), key).Result()
	if err != nil || got != want {
		tb.Errorf("GET on the master %s = %q, %v; want %q", g.Master, got, err, want)
	}
}

// waitInfo waits until INFO replication of the server at addr has every
// one of lines.
func waitInfo(ctx context.Context, addr string, lines ...string) error {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	return Poll(ctx, func() error {
		info, err := c.Info(ctx, "replication").Result()
		if err != nil {
			return err
		}
		for _, l := range lines {
			if !strings.Contains(info, l+"\r\n") {
				return fmt.Errorf("%s: no %q in INFO replication:\n%s", addr, l, info)
			}
		}
		return nil
	})
}
