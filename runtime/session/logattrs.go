package session

import (
	"context"
	"log/slog"
	"strings"
)

// requestAttrs returns the attributes that place a log line: the request's
// path, when the session belongs to one. The query is left out, as it may
// carry tokens.
func (s *Session) requestAttrs() []slog.Attr {
	if s.r == nil {
		return nil
	}
	return []slog.Attr{slog.String("path", s.r.URL.Path)}
}

// logContext returns the request's context for log lines, so a handler
// that adds request attributes from the context sees it.
func (s *Session) logContext() context.Context {
	if s.r == nil {
		return context.Background()
	}
	return s.r.Context()
}

// redactKey hides the session key in a message before it is logged: a key
// is as good as a password, and a store's error can name it (filestore's
// file paths do).
func (s *Session) redactKey(msg string) string {
	if s.key == "" {
		return msg
	}
	return strings.ReplaceAll(msg, s.key, keyMark)
}
