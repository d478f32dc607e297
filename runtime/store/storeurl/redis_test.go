package storeurl

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// redisSettings are the options storeurl chooses for go-redis.
type redisSettings struct {
	Dial, Read, Write, Pool time.Duration
	Retries, Dials          int
}

func settingsOf(t *testing.T, c redis.UniversalClient) redisSettings {
	t.Helper()
	switch c := c.(type) {
	case *redis.Client: // a single node, or through Sentinel
		o := c.Options()
		return redisSettings{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, o.MaxRetries, o.DialerRetries}
	case *redis.ClusterClient:
		o := c.Options()
		return redisSettings{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, o.MaxRetries, o.DialerRetries}
	}
	t.Fatalf("client %T", c)
	return redisSettings{}
}

// TestRedisDefaults: every kind of Redis URL gets storeurl's timeouts and
// retries unless it sets its own.
func TestRedisDefaults(t *testing.T) {
	defaults := redisSettings{250 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, 1, 1}
	own := redisSettings{2 * time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second, 3, 1}
	const ownQuery = "dial_timeout=2s&read_timeout=3s&write_timeout=4s&pool_timeout=5s&max_retries=3"
	tests := []struct {
		url  string
		want redisSettings
	}{
		{"redis://127.0.0.1:1/0", defaults},
		{"rediss://127.0.0.1:1", defaults},
		{"redis+cluster://127.0.0.1:1?addr=127.0.0.1:2", defaults},
		{"redis+sentinel://127.0.0.1:1?master_name=m", defaults},
		{"redis://127.0.0.1:1?" + ownQuery, own},
		{"redis+cluster://127.0.0.1:1?" + ownQuery, own},
		{"redis+sentinel://127.0.0.1:1?master_name=m&dialer_retries=3&" + ownQuery,
			redisSettings{own.Dial, own.Read, own.Write, own.Pool, own.Retries, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			c, err := redisClient(u)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if diff := cmp.Diff(tt.want, settingsOf(t, c)); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRedisDownFailsFast opens a Redis URL where nothing listens: the
// error is the refused connection, reached through the configured retries
// (one dial for each of the 1+max_retries attempts, where go-redis alone
// makes 4 attempts of 5 dials), and go-redis's messages about it go to the
// logger redis.SetLogger installed.
func TestRedisDownFailsFast(t *testing.T) {
	dead := deadAddr(t)
	rec := &recordingHandler{}
	redis.SetLogger(redisstore.SlogLogger{Logger: slog.New(rec)})
	t.Cleanup(logging.Enable)

	_, _, err := Open(context.Background(), "redis://"+dead, Options{})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Open error = %v, want a refused connection", err)
	}
	var dials []string
	for _, m := range rec.messages() {
		if strings.Contains(m, dead) {
			dials = append(dials, m)
		}
	}
	want := "connection pool: failed to dial after 1 attempts"
	if len(dials) != 1+redisMaxRetries || !strings.HasPrefix(dials[0], want) {
		t.Errorf("go-redis logged %q; want %d messages starting %q", dials, 1+redisMaxRetries, want)
	}
}

// recordingHandler is a slog.Handler that keeps the messages of the
// records it handles.
type recordingHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler            { return h }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}

func (h *recordingHandler) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.msgs...)
}
