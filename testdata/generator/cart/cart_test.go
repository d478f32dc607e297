package cart

import (
	"context"
	"errors"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
)

func TestNames(t *testing.T) {
	var s *Session
	_ = s
	if _, err := FromContext(context.Background()); !errors.Is(err, session.ErrNoSession) {
		t.Errorf("FromContext: %v, want ErrNoSession", err)
	}
	var of func(context.Context, *session.Session) (*Session, error) = Of
	_ = of
}
