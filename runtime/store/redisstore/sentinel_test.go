package redisstore_test

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

	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// sentinelMaster is the name the test sentinels know the master by.
const sentinelMaster = "mymaster"

// failoverWait bounds the wait for a failover to complete. Sentinel
// demotes the old master only when it next looks at it, about ten seconds
// after the switch.
const failoverWait = 40 * time.Second

// TestSentinel runs the store tests and the conformance suite against a
// real Sentinel group (a master, a replica and three sentinels) that it
// starts on loopback ports, through both clients an application may use.
func TestSentinel(t *testing.T) {
	g := startSentinelGroup(t, 3)
	for _, c := range g.clients() {
		t.Run(c.name, func(t *testing.T) {
			// One client for every store, as in an application (see
			// sentinelClient). Each store has a prefix of its own, and
			// adds a round-trip counter that only its own test reads.
			client := c.new()
			t.Cleanup(func() { client.Close() })
			newEnv := func(t *testing.T) *env { return newEnv(t, client, nil, false) }
			t.Run("store", func(t *testing.T) { runStoreTests(t, newEnv) })
			t.Run("conformance", func(t *testing.T) { sessiontest.Run(t, factory(newEnv)) })
		})
	}
}

// TestSentinelFailover checks that a store keeps working, through the same
// client, after Sentinel has promoted the replica: the sessions written
// before are there, and updates go to the new master.
func TestSentinelFailover(t *testing.T) {
	g := startSentinelGroup(t, 3)
	type session struct {
		client string
		e      *env
		key    string
	}
	var sessions []session
	for _, c := range g.clients() {
		client := c.new()
		t.Cleanup(func() { client.Close() })
		s := session{c.name, newEnv(t, client, nil, false), newKey()}
		mustSave(t, s.e, s.key, []byte("before"), hour(), true)
		sessions = append(sessions, s)
	}
	// Sentinel promotes the best replica it has, not one that has caught
	// up, so wait until this one has every session.
	for _, s := range sessions {
		g.waitReplicated(t, s.e.prefix+s.key, "before")
	}

	g.failover(t)

	for _, s := range sessions {
		t.Run(s.client, func(t *testing.T) {
			wantData(t, s.e, s.key, []byte("before"))
			mustSave(t, s.e, s.key, []byte("after"), hour(), false)
			wantData(t, s.e, s.key, []byte("after"))
			next := newKey()
			if err := s.e.s.Cycle(context.Background(), s.key, next, []byte("cycled"), hour()); err != nil {
				t.Fatalf("Cycle after failover: %v", err)
			}
			wantData(t, s.e, s.key, nil)
			wantData(t, s.e, next, []byte("cycled"))
			g.wantOnMaster(t, s.e.prefix+next, "cycled")
		})
	}
}

// sentinelGroup is a master, its replica and the sentinels watching them,
// each a redis-server process on a loopback port.
type sentinelGroup struct {
	master, replica string // addresses; a failover swaps them
	sentinels       []string
	logs            []string
}

// sentinelClient makes a client of the group. Tests make few: go-redis
// (v9.22) builds a failover client with the placeholder address
// "FailoverClient" and looks that name up in DNS, for up to 2 s, on every
// construction.
type sentinelClient struct {
	name string
	new  func() redis.UniversalClient
}

// clients returns the ways an application reaches the group: a failover
// client, or the universal client built from configuration, which is a
// failover client when MasterName is set.
func (g *sentinelGroup) clients() []sentinelClient {
	return []sentinelClient{
		{"failover_client", func() redis.UniversalClient {
			return redis.NewFailoverClient(&redis.FailoverOptions{
				MasterName: sentinelMaster, SentinelAddrs: g.sentinels,
			})
		}},
		{"universal_client", func() redis.UniversalClient {
			return redis.NewUniversalClient(&redis.UniversalOptions{
				MasterName: sentinelMaster, Addrs: g.sentinels,
			})
		}},
	}
}

// startSentinelGroup starts a master, a replica of it and n sentinels, and
// waits until every sentinel knows the master, the replica and the other
// sentinels, so that it could fail over. The processes are killed when the
// test ends.
func startSentinelGroup(t *testing.T, n int) *sentinelGroup {
	t.Helper()
	bin := redisServer(t, "Redis Sentinel")
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	g := &sentinelGroup{}
	var logFile string
	// Without the delay, the master would wait 5 s for more replicas before
	// sending the first one its data.
	g.master, logFile = startServer(t, bin, freePort(t), t.TempDir(), "--repl-diskless-sync-delay", "0")
	g.logs = append(g.logs, logFile)
	host, port, _ := net.SplitHostPort(g.master)
	g.replica, logFile = startServer(t, bin, freePort(t), t.TempDir(), "--replicaof", host, port)
	g.logs = append(g.logs, logFile)
	// A sentinel learns of replicas from the master's INFO, which it reads
	// when it starts and then every 10 s: start the sentinels once the
	// replica is online, so that they see it at once.
	err := waitInfo(ctx, g.master, "connected_slaves:1")
	if err == nil {
		err = waitInfo(ctx, g.replica, "master_link_status:up")
	}
	if err != nil {
		t.Fatalf("starting the master and its replica: %v\n%s", err, tails(g.logs))
	}
	for range n {
		addr, logFile := startSentinel(t, bin, g.master, n/2+1)
		g.sentinels = append(g.sentinels, addr)
		g.logs = append(g.logs, logFile)
	}
	for _, s := range g.sentinels {
		if err := waitSentinelReady(ctx, s, n-1); err != nil {
			t.Fatalf("sentinel %s: %v\n%s", s, err, tails(g.logs))
		}
	}
	return g
}

// startSentinel starts a sentinel that monitors master with the given
// quorum, and returns its address and log file.
func startSentinel(t *testing.T, bin, master string, quorum int) (addr, logFile string) {
	t.Helper()
	dir := t.TempDir()
	host, port, _ := net.SplitHostPort(master)
	// A sentinel rewrites its config file, so it must be its own and
	// writable. down-after-milliseconds is generous so that a loaded
	// machine never causes a failover of its own.
	conf := fmt.Sprintf("sentinel monitor %s %s %s %d\n", sentinelMaster, host, port, quorum) +
		fmt.Sprintf("sentinel down-after-milliseconds %s 5000\n", sentinelMaster) +
		fmt.Sprintf("sentinel failover-timeout %s 5000\n", sentinelMaster)
	path := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return startServer(t, bin, freePort(t), dir, path, "--sentinel")
}

// waitSentinelReady waits until the sentinel at addr sees the master up,
// its replica healthy and the other sentinels.
func waitSentinelReady(ctx context.Context, addr string, others int) error {
	sc := redis.NewSentinelClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer sc.Close()
	return poll(ctx, func() error {
		m, err := sc.Master(ctx, sentinelMaster).Result()
		if err != nil {
			return err
		}
		if m["flags"] != "master" || m["num-slaves"] != "1" || m["num-other-sentinels"] != strconv.Itoa(others) {
			return fmt.Errorf("not ready: master %v", m)
		}
		rs, err := sc.Replicas(ctx, sentinelMaster).Result()
		if err != nil {
			return err
		}
		if len(rs) != 1 || rs[0]["flags"] != "slave" || rs[0]["master-link-status"] != "ok" {
			return fmt.Errorf("not ready: replicas %v", rs)
		}
		return nil
	})
}

// failover makes a sentinel promote the replica, and waits until the
// failover is complete: every sentinel names the new master and the old
// one has been made its replica. Until Sentinel demotes it, the old master
// still accepts writes from a client that has not yet heard of the switch
// (writes that the demotion then discards), so what follows the wait
// depends on the store and its client only.
func (g *sentinelGroup) failover(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failoverWait)
	defer cancel()
	sc := redis.NewSentinelClient(&redis.Options{Addr: g.sentinels[0], MaxRetries: -1})
	defer sc.Close()
	if err := sc.Failover(ctx, sentinelMaster).Err(); err != nil {
		t.Fatalf("SENTINEL FAILOVER: %v\n%s", err, tails(g.logs))
	}
	old, next := g.master, g.replica
	err := g.waitSentinelsAgree(ctx, next)
	if err == nil {
		_, port, _ := net.SplitHostPort(next)
		err = waitInfo(ctx, old, "role:slave", "master_port:"+port)
	}
	if err != nil {
		t.Fatalf("failing over from %s to %s: %v\n%s", old, next, err, tails(g.logs))
	}
	g.master, g.replica = next, old
}

// waitSentinelsAgree waits until every sentinel names master as the
// master.
func (g *sentinelGroup) waitSentinelsAgree(ctx context.Context, master string) error {
	for _, s := range g.sentinels {
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
	return poll(ctx, func() error {
		a, err := sc.GetMasterAddrByName(ctx, sentinelMaster).Result()
		if err != nil {
			return err
		}
		if got := net.JoinHostPort(a[0], a[1]); got != master {
			return fmt.Errorf("sentinel %s names %s as master, want %s", addr, got, master)
		}
		return nil
	})
}

// waitReplicated waits until the replica holds want under key.
func (g *sentinelGroup) waitReplicated(t *testing.T, key, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: g.replica, MaxRetries: -1})
	defer c.Close()
	err := poll(ctx, func() error {
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
		t.Fatalf("waiting for %s to reach the replica: %v", key, err)
	}
}

// wantOnMaster checks, bypassing Sentinel, that the master holds want under
// key.
func (g *sentinelGroup) wantOnMaster(t *testing.T, key, want string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: g.master})
	defer c.Close()
	got, err := c.Get(context.Background(), key).Result()
	if err != nil || got != want {
		t.Errorf("GET on the master %s = %q, %v; want %q", g.master, got, err, want)
	}
}

// waitInfo waits until INFO replication of the server at addr has every
// one of lines.
func waitInfo(ctx context.Context, addr string, lines ...string) error {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	return poll(ctx, func() error {
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
