package session

import (
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
)

// Expiry is a session's custom expiry, the argument of SetExpiry. Its zero
// value is DefaultExpiry.
type Expiry struct {
	kind codec.ExpiryKind
	idle int64
	at   time.Time
}

// DefaultExpiry resets a session to the Manager's configured expiry.
var DefaultExpiry = Expiry{}

// AtBrowserClose makes the session's cookie a browser-session cookie.
var AtBrowserClose = Expiry{kind: codec.ExpiryIdle}

// ExpireAfterIdle makes the session expire d (rounded down to whole seconds)
// after its last save. A d under one second means AtBrowserClose.
func ExpireAfterIdle(d time.Duration) Expiry {
	return Expiry{kind: codec.ExpiryIdle, idle: int64(d / time.Second)}
}

// ExpireAt makes the session expire at t.
func ExpireAt(t time.Time) Expiry { return Expiry{kind: codec.ExpiryAt, at: t} }

// ExpireIn makes the session expire d from now: an absolute time, as
// Django's set_expiry(timedelta).
func ExpireIn(d time.Duration) Expiry { return Expiry{kind: codec.ExpiryAt, at: time.Now().Add(d)} }

// SetExpiry sets the session's custom expiry; DefaultExpiry removes it. It
// marks the session modified. Call it on a loaded session (the generated
// XxxFrom functions load): a session opened by key and loaded afterwards
// takes the stored expiry.
func (s *Session) SetExpiry(e Expiry) {
	s.ensureLoadedForWrite()
	s.noteEdit(editExpiry)
	s.meta.Expiry, s.meta.IdleSeconds, s.meta.ExpiresAt = e.kind, e.idle, e.at.UTC()
	if e.kind != codec.ExpiryAt {
		s.meta.ExpiresAt = time.Time{}
	}
	s.MarkModified()
}

// ensureLoadedForWrite lets metadata be set on a session that was never
// loaded (no type bound yet), as Django lets set_expiry be called first.
func (s *Session) ensureLoadedForWrite() {
	if !s.loaded && s.key == "" {
		s.loaded = true
	}
}

// ExpiryAge returns how long from now the session lives, following Django:
// the custom expiry in seconds if one is set (0 and "none" give the default
// age), else the time left until the absolute custom expiry.
func (s *Session) ExpiryAge() time.Duration {
	return s.expiryAge(s.now())
}

func (s *Session) expiryAge(now time.Time) time.Duration {
	var age time.Duration
	switch s.meta.Expiry {
	case codec.ExpiryIdle:
		age = time.Duration(s.meta.IdleSeconds) * time.Second
		if age <= 0 {
			age = s.m.age
		}
	case codec.ExpiryAt:
		age = s.meta.ExpiresAt.Sub(now).Truncate(time.Second)
	default:
		age = s.m.age
	}
	return s.capLifetime(now, age)
}

func (s *Session) capLifetime(now time.Time, age time.Duration) time.Duration {
	if s.m.cfg.AbsoluteLifetime > 0 && !s.meta.Created.IsZero() {
		if left := s.meta.Created.Add(s.m.cfg.AbsoluteLifetime).Sub(now).Truncate(time.Second); left < age {
			return left
		}
	}
	return age
}

// ExpiryDate returns when the session expires if saved now. Like ExpiryAge
// and ExpireAtBrowserClose, it reads the loaded session: the generated
// XxxFrom functions load it; after Manager.Open, call Load first.
func (s *Session) ExpiryDate() time.Time {
	now := s.now()
	if s.meta.Expiry == codec.ExpiryAt && s.m.cfg.AbsoluteLifetime <= 0 {
		return s.meta.ExpiresAt
	}
	return now.Add(s.expiryAge(now))
}

// ExpireAtBrowserClose reports whether the session cookie ends with the
// browser session: the configured default unless a custom expiry is set,
// and then only for an idle expiry of 0.
func (s *Session) ExpireAtBrowserClose() bool {
	switch s.meta.Expiry {
	case codec.ExpiryDefault:
		return s.m.cfg.ExpireAtBrowserClose
	case codec.ExpiryIdle:
		return s.meta.IdleSeconds == 0
	}
	return false
}

// metaEdits records which metadata a handler set on a keyed session before
// its stored metadata was loaded, so that loading does not undo them.
type metaEdits uint8

const (
	editExpiry metaEdits = 1 << iota
	editTestCookie
)

func (s *Session) noteEdit(e metaEdits) {
	if !s.loaded {
		s.edits |= e
	}
}

// applyEdits puts the metadata set before loading (in edited) over the
// stored metadata just decoded.
func (s *Session) applyEdits(edited codec.Meta) {
	if s.edits&editExpiry != 0 {
		s.meta.Expiry, s.meta.IdleSeconds, s.meta.ExpiresAt = edited.Expiry, edited.IdleSeconds, edited.ExpiresAt
	}
	if s.edits&editTestCookie != 0 {
		s.meta.TestCookie = edited.TestCookie
	}
	s.edits = 0
}
