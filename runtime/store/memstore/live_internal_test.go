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

// TestLiveAfter: a record replacing a live one is live when it expires no
// earlier; otherwise the clock decides, as for a new record.
func TestLiveAfter(t *testing.T) {
	now := time.Now()
	hour := now.Add(time.Hour)
	tests := []struct {
		name             string
		expiry, replaced time.Time
		want             bool
	}{
		{"new record, future", hour, time.Time{}, true},
		{"new record, past", now.Add(-time.Hour), time.Time{}, false},
		{"extends a live record", hour.Add(time.Minute), hour, true},
		{"same expiry", hour, hour, true},
		{"shortens a live record, still future", now.Add(time.Minute), hour, true},
		{"shortens a live record into the past", now.Add(-time.Minute), hour, false},
		{"wall clock only, extends", hour.Add(time.Minute).Round(0), hour, true},
		{"wall clock only, past", now.Add(-time.Minute).Round(0), hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := liveAfter(tt.expiry, tt.replaced); got != tt.want {
				t.Errorf("liveAfter(%v, %v) = %t, want %t", tt.expiry, tt.replaced, got, tt.want)
			}
		})
	}
}
