package memstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) store.Store {
		s := memstore.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}
