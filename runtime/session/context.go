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

// NewContext returns a copy of ctx that carries s, for code that opens a
// session with Manager.Open outside the middleware.
func NewContext(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, contextKey{}, s)
}
