package sqlstore

import (
	"context"
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// TestManagerSurvivesDatabaseFault renames the table away and back under a
// running Manager, as a botched migration or a restore would (see
// sessiontest.RunOutage): the same pool serves the session again after.
func TestManagerSurvivesDatabaseFault(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		aside := s.table + "_aside"
		t.Cleanup(func() { s.db.Exec("DROP TABLE IF EXISTS " + s.dialect.quote(aside)) }) // if the test stops half way
		sessiontest.RunOutage(t, s, sessiontest.Outage{
			Break:   func(t *testing.T) { renameTable(t, s, s.table, aside) },
			Restore: func(t *testing.T) { renameTable(t, s, aside, s.table) },
		})
	})
}

func renameTable(t *testing.T, s *Store, from, to string) {
	t.Helper()
	q := "ALTER TABLE " + s.dialect.quote(from) + " RENAME TO " + s.dialect.quote(to)
	if _, err := s.db.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}
