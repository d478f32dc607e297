package codec

import "time"

// ExpiryKind says how a session's custom expiry was set.
type ExpiryKind uint8

// The kinds of custom expiry, mirroring Django's set_expiry: none (use the
// configured default), seconds of inactivity (0 meaning "at browser close"),
// or an absolute time.
const (
	ExpiryDefault ExpiryKind = iota
	ExpiryIdle
	ExpiryAt
)

// Meta is the session's own metadata, kept in the envelope beside its
// fields.
type Meta struct {
	// Created is when the session was first saved; zero when unknown.
	Created time.Time
	// Saved is when the session was last written; zero when unknown.
	Saved time.Time
	// Expiry is the kind of custom expiry; IdleSeconds or ExpiresAt hold its
	// value.
	Expiry      ExpiryKind
	IdleSeconds int64
	ExpiresAt   time.Time
	// TestCookie records Django's test-cookie marker.
	TestCookie bool
	// Labels are the application's short notes about the session, such as
	// the device it was signed in from (see labels.go); nil for none.
	Labels map[string]string
}
