package redisstore_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"

	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// goRedisLogger is go-redis's logging interface, which it keeps internal.
type goRedisLogger interface {
	Printf(ctx context.Context, format string, v ...any)
}

var _ goRedisLogger = redisstore.SlogLogger{}

func TestSlogLogger(t *testing.T) {
	var buf bytes.Buffer
	h := slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
	l := redisstore.SlogLogger{Logger: slog.New(h)}
	redis.SetLogger(l)        // it must be what go-redis accepts
	t.Cleanup(logging.Enable) // go-redis's own logger again

	l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v", 1, "refused")
	want := `level=WARN msg="connection pool: failed to dial after 1 attempts: refused" component=go-redis` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

// The zero value logs to slog.Default().
func TestSlogLoggerDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	redisstore.SlogLogger{}.Printf(context.Background(), "sentinel: %s", "down")
	if !bytes.Contains(buf.Bytes(), []byte(`msg="sentinel: down" component=go-redis`)) {
		t.Errorf("slog.Default() got %q", buf.String())
	}
}
