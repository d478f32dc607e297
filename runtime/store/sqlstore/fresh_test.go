package sqlstore

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/loadcheck"
)

// TestFreshDriver checks which of the tests' drivers the store trusts to
// hand out slices of their own (freshDrivers): pgx and modernc.org/sqlite,
// not go-sql-driver/mysql, whose values are slices of its read buffer.
func TestFreshDriver(t *testing.T) {
	want := map[Dialect]bool{Postgres: true, SQLite: true, MySQL: false}
	forEachBackend(t, func(t *testing.T, b backend) {
		s := newStore(t, b.open(t), b.dialect, Config{})
		if s.fresh != want[b.dialect] {
			t.Errorf("fresh = %v for %T, want %v", s.fresh, s.db.Driver(), want[b.dialect])
		}
	})
}

// TestLoadIsTheCallers checks that what each way of loading returns is the
// caller's (copies on get). With a driver that reused its memory for later
// values and the store keeping the driver's slice (freshDrivers), it would
// fail.
func TestLoadIsTheCallers(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) { loadcheck.CallersCopy(t, s, testKey) })
}
