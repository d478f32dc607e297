package session

import (
	"context"
	"time"
)

// View is the part of a generated session type that is not one of its
// fields: the whole-session operations a handler needs. Every type that
// sessiongen generates embeds it, beside the typed accessors of its
// fields, and has no other methods of its own besides Values, Update and
// the accessors.
//
// Its method set is closed: a method added to View would be a field name
// sessiongen must refuse (a field Key would make an accessor Key), so
// that set is part of the API, and a test fails when it changes. The
// names are Key, Cycle, Flush, Clear, SetExpiry, ExpiryAge, ExpiryDate,
// ExpireAtBrowserClose, Err, IsEmpty and Session; Session returns the
// *Session for everything else (labels, the test cookie, raw fields,
// Handle).
type View struct {
	s           *Session
	first, last boundField // the view's fields, in order (see Add)
	hint        boundField // where fieldSet.find looks first (bind.go)
}

// view lets Bind reach the View inside a generated type.
func (v *View) view() *View { return v }

// Session returns the session the view belongs to.
func (v *View) Session() *Session { return v.s }

// Key returns the session key, or "" for a session not yet saved; see
// Session.Key.
func (v *View) Key() string { return v.s.Key() }

// Cycle gives the session a new key and keeps its data; call it at login.
// See Session.Cycle.
func (v *View) Cycle(ctx context.Context) error { return v.s.Cycle(ctx) }

// Flush deletes the session from the store and empties it; call it at
// logout. See Session.Flush.
func (v *View) Flush(ctx context.Context) error { return v.s.Flush(ctx) }

// Clear removes all data, keeping the key; see Session.Clear.
func (v *View) Clear() { v.s.Clear() }

// SetExpiry sets the session's custom expiry; see Session.SetExpiry.
func (v *View) SetExpiry(e Expiry) { v.s.SetExpiry(e) }

// ExpiryAge returns how long from now the session lives; see
// Session.ExpiryAge.
func (v *View) ExpiryAge() time.Duration { return v.s.ExpiryAge() }

// ExpiryDate returns when the session expires if saved now; see
// Session.ExpiryDate.
func (v *View) ExpiryDate() time.Time { return v.s.ExpiryDate() }

// ExpireAtBrowserClose reports whether the session cookie ends with the
// browser session; see Session.ExpireAtBrowserClose.
func (v *View) ExpireAtBrowserClose() bool { return v.s.ExpireAtBrowserClose() }

// Err returns the first error the session recorded but could not return
// where it happened, such as ErrModifiedAfterCommit.
func (v *View) Err() error { return v.s.Err() }

// IsEmpty reports whether the session has neither a key nor any data.
func (v *View) IsEmpty() bool { return v.s.IsEmpty() }
