package session

import "time"

// SetClock replaces m's clock, so tests can move time.
func SetClock(m *Manager, now func() time.Time) { m.clock = now }
