package filestore

import (
	"os"
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// TestManagerSurvivesDirectoryFault moves the directory away and back under
// a running Manager (see sessiontest.RunOutage).
func TestManagerSurvivesDirectoryFault(t *testing.T) {
	s := newStore(t)
	aside := s.dir + "-aside"
	sessiontest.RunOutage(t, s, sessiontest.Outage{
		Break:   func(t *testing.T) { rename(t, s.dir, aside) },
		Restore: func(t *testing.T) { rename(t, aside, s.dir) },
	})
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}
