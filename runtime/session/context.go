package session

import "context"

type contextKey struct{}

// FromContext returns the request's session, put there by Manager.Handler.
// It does no I/O; the first Bind (which generated XxxFrom functions call)
// loads the data.
func FromContext(ctx context.Context) (*Session, error) {
	if s, ok := ctx.Value(contextKey{}).(*Session); ok {
		return s, nil
	}
	return nil, ErrNoSession
}
