package sqlstore

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
)

// TestConformance runs the shared store suite against every available
// database: SQLite always, PostgreSQL and MySQL when their environment
// variables are set.
func TestConformance(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		sessiontest.Run(t, func(t *testing.T) store.Store {
			return newStore(t, db, b.dialect, Config{})
		})
	})
}
