package filestore

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
)

func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) store.Store { return newStore(t) })
}
