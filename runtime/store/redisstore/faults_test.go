package redisstore_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/internal/redistest"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// wantFailures checks that every operation that talks to Redis fails with
// an error naming the store and the operation.
func wantFailures(t *testing.T, s *redisstore.Store, ctx context.Context, key string) {
	t.Helper()
	for op, call := range storeCalls(s, key) {
		if op == "clear expired" {
			continue // never contacts Redis
		}
		err := call(ctx)
		if err == nil {
			t.Errorf("%s: no error", op)
			continue
		}
		if prefix := "redisstore: " + op + ": "; !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("%s: error %q does not start with %q", op, err, prefix)
		}
	}
}

// TestServerGoneAndBack stops Redis under a store and starts it again: the
// store reports errors meanwhile and then works again, with the same client.
func TestServerGoneAndBack(t *testing.T) {
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	defer c.Close()
	s := redisstore.New(c, redisstore.Config{})
	ctx := context.Background()
	k := newKey()
	if err := s.Save(ctx, k, []byte("kept"), hour(), true); err != nil {
		t.Fatal(err)
	}

	mr.Close()
	wantFailures(t, s, ctx, k)

	if err := mr.Restart(); err != nil {
		t.Fatalf("restarting miniredis: %v", err)
	}
	// go-redis stops dialling after repeated failures and probes the server
	// once a second in the background, so recovery takes a moment.
	var data []byte
	var found bool
	waitCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := redistest.Poll(waitCtx, func() (err error) {
		data, found, err = s.Load(ctx, k)
		return err
	})
	if err != nil || !found || string(data) != "kept" {
		t.Fatalf("Load after restart = %q, %v, %v; want the session back", data, found, err)
	}
	if err := s.Save(ctx, k, []byte("updated"), hour(), false); err != nil {
		t.Fatalf("Save after restart: %v", err)
	}
}

// TestNothingListening points a store at a port where no Redis listens.
func TestNothingListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
	defer c.Close()
	wantFailures(t, redisstore.New(c, redisstore.Config{}), context.Background(), newKey())
}

// TestUnansweringServerHonoursDeadline points a store at a server that
// accepts connections and never answers: each call must end at the
// context's deadline, not at the client's (long) read timeout.
func TestUnansweringServerHonoursDeadline(t *testing.T) {
	addr := silentServer(t)
	c := redis.NewClient(&redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		ReadTimeout:           time.Hour,
		WriteTimeout:          time.Hour,
		MaxRetries:            -1,
	})
	defer c.Close()
	s := redisstore.New(c, redisstore.Config{})
	for op, call := range storeCalls(s, newKey()) {
		if op == "clear expired" {
			continue
		}
		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			done <- call(ctx)
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s: error = %v, want one wrapping context.DeadlineExceeded", op, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: still waiting 30s after a 50ms deadline", op)
		}
	}
}

// silentServer returns the address of a TCP server that reads whatever it
// is sent and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				_, _ = io.Copy(io.Discard, conn)
				conn.Close()
			}()
		}
	}()
	return l.Addr().String()
}
