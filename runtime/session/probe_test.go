package session_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

func probeFrom(r *http.Request) (*probe.Session, error) { return probe.From(r) }

func probeOf(t *testing.T, m *session.Manager, key string) (*probe.Session, error) {
	t.Helper()
	p, err := probe.Of(context.Background(), m.Open(key))
	if err != nil {
		t.Fatal(err)
	}
	return p, nil
}
