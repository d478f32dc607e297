package memstore

import (
	"testing"
	"time"
)

// TestLiveAgreesWithNow: live gives time.Now().Before's answer for expiries
// with a monotonic clock reading (computed from time.Now, as the session
// package's are) and without one (stripped, decoded or built from a date),
// an hour or more either side of now.
func TestLiveAgreesWithNow(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name   string
		expiry time.Time
	}{
		{"monotonic, future", now.Add(time.Hour)},
		{"monotonic, past", now.Add(-time.Hour)},
		{"wall clock only, future", now.Add(time.Hour).Round(0)},
		{"wall clock only, past", now.Add(-time.Hour).Round(0)},
		{"UTC, future", now.Add(time.Hour).UTC()},
		{"from a date, past", time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)},
		{"zero", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := time.Now().Before(tt.expiry)
			if got := live(tt.expiry); got != want {
				t.Errorf("live(%v) = %t, time.Now().Before says %t", tt.expiry, got, want)
			}
		})
	}
}
