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

	// relative marks ExpireIn: the expiry is SetExpiry's now plus in.
	relative bool
	in       time.Duration
}

// DefaultExpiry resets a session to the Manager's configured expiry.
var DefaultExpiry = Expiry{}

// AtBrowserClose makes the session's cookie a browser-session cookie.
var AtBrowserClose = Expiry{kind: codec.ExpiryIdle}

// ExpireAfterIdle makes the session expire d after its last save, as
// Django's set_expiry(seconds), with d rounded down to whole seconds:
//
//   - d of one second or more: the session lives d after each save, and its
//     cookie gets Max-Age d;
//   - d from 0 up to one second: AtBrowserClose, as set_expiry(0);
//   - d negative: the session has already expired, as set_expiry(-10). It
//     is saved with an expiry in the past, so the store never returns it
//     again and clear-expired removes it, and its cookie is sent with
//     Max-Age=0, which makes the browser drop it. ExpiryAge is then d.
func ExpireAfterIdle(d time.Duration) Expiry {
	sec := int64(d / time.Second)
	if d < 0 && d%time.Second != 0 {
		sec-- // round down, so that no negative d becomes 0 (browser close)
	}
	return Expiry{kind: codec.ExpiryIdle, idle: sec}
}

// ExpireAt makes the session expire at t.
func ExpireAt(t time.Time) Expiry { return Expiry{kind: codec.ExpiryAt, at: t} }

// ExpireIn makes the session expire d after SetExpiry is called, as
// Django's set_expiry(timedelta): an absolute time, fixed by SetExpiry
// with the Manager's clock, which later saves do not move.
func ExpireIn(d time.Duration) Expiry { return Expiry{kind: codec.ExpiryAt, relative: true, in: d} }

// SetExpiry sets the session's custom expiry and marks the session
// modified. DefaultExpiry removes a custom expiry; on a session that has
// none it changes nothing and marks the session accessed only, as Django's
// set_expiry(None) does, so that a handler may call it on every request
// without re-saving the session each time. Call it on a loaded session
// (the generated XxxFrom functions load): on a session opened by key and
// not loaded yet, the expiry set overrides the stored one, and
// DefaultExpiry marks it modified, since whether the stored session has a
// custom expiry is not known.
func (s *Session) SetExpiry(e Expiry) {
	s.ensureLoadedForWrite()
	if e.kind == codec.ExpiryDefault && s.loaded && s.meta.Expiry == codec.ExpiryDefault {
		s.accessed = true
		return
	}
	s.noteEdit(editExpiry)
	s.meta.Expiry, s.meta.IdleSeconds, s.meta.ExpiresAt = e.kind, e.idle, e.expiresAt(s.now())
	s.markModified()
}

// expiresAt returns the absolute expiry e stands for, set now, or the zero
// time for an expiry that is not absolute.
func (e Expiry) expiresAt(now time.Time) time.Time {
	switch {
	case e.kind != codec.ExpiryAt:
		return time.Time{}
	case e.relative:
		return now.Add(e.in).UTC()
	}
	return e.at.UTC()
}

// ensureLoadedForWrite lets metadata be set on a session that was never
// loaded (no type bound yet), as Django lets set_expiry be called first.
func (s *Session) ensureLoadedForWrite() {
	if !s.loaded && s.key == "" {
		s.loaded = true
	}
}

// ExpiryAge returns how long from now the session lives, following
// Django's get_expiry_age: the default age without a custom expiry and for
// AtBrowserClose; the idle expiry itself (negative for a session that has
// already expired); or the time left until an absolute expiry, negative
// once it has passed. Config.AbsoluteLifetime caps it. It marks the session
// accessed, as reading the session does.
func (s *Session) ExpiryAge() time.Duration {
	s.accessed = true
	return s.expiryAge(s.now())
}

func (s *Session) expiryAge(now time.Time) time.Duration {
	var age time.Duration
	switch s.meta.Expiry {
	case codec.ExpiryIdle:
		age = time.Duration(s.meta.IdleSeconds) * time.Second
		if age == 0 {
			age = s.m.age // browser close: the store keeps it the default age
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

// ExpiryDate returns when the session expires if saved now: the expiry the
// store is given. Like ExpiryAge and ExpireAtBrowserClose, it reads the
// loaded session (the generated XxxFrom functions load it; after
// Manager.Open, call Load first) and marks the session accessed.
func (s *Session) ExpiryDate() time.Time {
	s.accessed = true
	return s.expiryDate()
}

func (s *Session) expiryDate() time.Time {
	now := s.now()
	if s.meta.Expiry == codec.ExpiryAt && s.m.cfg.AbsoluteLifetime <= 0 {
		return s.meta.ExpiresAt
	}
	return now.Add(s.expiryAge(now))
}

// ExpireAtBrowserClose reports whether the session cookie ends with the
// browser session: the configured default unless a custom expiry is set,
// and then only for AtBrowserClose (an idle expiry of 0). It marks the
// session accessed.
func (s *Session) ExpireAtBrowserClose() bool {
	s.accessed = true
	return s.expireAtBrowserClose()
}

func (s *Session) expireAtBrowserClose() bool {
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
	editLabels
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
	if s.edits&editLabels != 0 {
		s.meta.Labels = edited.Labels
	}
	s.edits = 0
}
