package redisstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// SlogLogger passes go-redis's log messages to a slog.Logger, so that they
// appear among the application's structured logs instead of as plain lines
// on standard error. go-redis has one logger for the whole process:
//
//	redis.SetLogger(redisstore.SlogLogger{Logger: logger})
//
// go-redis logs what it recovers from or is about to report as an error
// (a failed dial, a sentinel that does not answer), so each message is a
// record at level Warn with the attribute component=go-redis.
type SlogLogger struct {
	// Logger receives the records. Nil means slog.Default().
	Logger *slog.Logger
}

// Printf logs the message go-redis formats from format and v.
func (l SlogLogger) Printf(ctx context.Context, format string, v ...any) {
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	msg := strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: ")
	logger.Log(ctx, slog.LevelWarn, msg, "component", "go-redis")
}
