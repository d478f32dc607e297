// Package redistest starts real Redis deployments (a Redis Cluster, a
// Sentinel group) as redis-server processes on loopback ports, for tests.
// It is imported only by _test.go files: every function takes the test's
// testing.TB, skips the test when redis-server is not installed, fails it
// when the deployment does not come up, and kills the processes when the
// test ends.
package redistest

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
)

// startWait bounds each wait for test servers (a Cluster, a Sentinel
// group) to come up.
const startWait = 20 * time.Second

// redisServer returns the path of redis-server, or skips the test, which
// needs it for what.
func redisServer(tb testing.TB, what string) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skipf("redis-server is not on PATH; install Redis (e.g. apt-get install redis-server) to run the %s tests", what)
	}
	return bin
}

// startServer starts redis-server on a loopback port, keeping its files in
// dir and persisting nothing, and returns its address and log file. args
// come first on the command line, where a config file must be. The process
// is killed when the test ends.
func startServer(tb testing.TB, bin string, port int, dir string, args ...string) (addr, logFile string) {
	tb.Helper()
	logFile = filepath.Join(dir, "redis.log")
	args = append(args,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--dir", dir, "--logfile", logFile,
		"--save", "", "--appendonly", "no", "--protected-mode", "no",
	)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting redis-server: %v", err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), logFile
}

// freePort returns a loopback port that is free now.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Poll calls f until it succeeds or ctx ends, returning f's last error.
func Poll(ctx context.Context, f func() error) error {
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
