package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/store"
)

// Session is one request's view of a stored session: Django's SessionBase,
// with the data held by a generated type instead of a dict.
//
// Nothing is read from the store until the data is needed: Bind (called by
// the generated XxxFrom functions), Load, Cycle or Keys load it; Clear and
// Flush never do. Generated getters mark the session accessed, setters mark
// it modified, and the middleware saves it before the response header is
// written.
//
// A Session, like an http.ResponseWriter, is not safe for concurrent use by
// several goroutines.
type Session struct {
	m   *Manager
	key string
	r   *http.Request // the request the middleware opened it for, for log lines; nil from Open

	loaded   bool
	accessed bool
	modified bool
	stale    bool // written in an old format or with a fallback secret: re-write it
	// line is the Set-Cookie value a client-side store sealed the session
	// into, for the key lineKey (sealline.go).
	line, lineKey string
	legacy        bool // loaded from its clear key (Config.IgnoreClearKeys): move it on save
	committed     bool
	swapped       bool // saved with a store.Swapper before: field use covers that save too (merge.go)
	err           error
	loadErr       error // a failed load, answered by the error handler at commit

	meta    codec.Meta
	edits   metaEdits    // metadata set before the stored metadata was loaded
	fields  codec.Fields // a *fieldSet once a type is bound (Bind), else nil
	bound   any          // the bound view, a pointer to a generated type
	raw     []codec.RawField
	loaded0 []byte // the record as loaded, which a store.Swapper save compares with (merge.go)

	// fieldReader decodes the bound view's fields, one after another, so
	// that all fields decoded from one record share one width budget
	// (budget.go).
	fieldReader codec.Reader

	hashed  hashedKey     // StoreKey of key, computed once per key
	sealing store.Sealing // how a store.Unsealer sealed the loaded value
	at      time.Time     // the request's time, read once (see now)
	owner   string        // Config.OwnerKey's value in the last payload (owner.go)
	written int           // the size of the payload the save in progress wrote, for the Observer
	headers headerValues  // the values commit adds to the response header (cache.go)
}

// Key returns the session key, or "" for a session not yet saved: the
// value of the session cookie. A server-side store keeps the session under
// StoreKey(Key()). For a client-side store it is the sealed cookie value of
// the loaded data.
func (s *Session) Key() string { return s.key }

// Accessed reports whether the session's data was read or written in this
// request; the middleware then adds "Vary: Cookie".
func (s *Session) Accessed() bool { return s.accessed }

// Modified reports whether the session's data was changed in this request;
// the middleware then saves it.
func (s *Session) Modified() bool { return s.modified }

// Err returns the first error the session recorded but could not return
// where it happened, such as ErrModifiedAfterCommit.
func (s *Session) Err() error { return s.err }

// markModified records that the data was changed. After the session was
// committed, the change cannot be saved any more: it then records and logs
// ErrModifiedAfterCommit.
func (s *Session) markModified() { s.modifiedField("") }

// modifiedField is markModified for a change to the field under key, which
// the log line of a lost change names ("" for none).
func (s *Session) modifiedField(key string) {
	s.accessed, s.modified = true, true
	if s.committed {
		s.failAt(ErrModifiedAfterCommit, key)
	}
}

// fail records err for Err and logs it, once per session: a handler that
// keeps setting fields after the commit makes one log line, not one a call.
func (s *Session) fail(err error) { s.failAt(err, "") }

// failAt is fail for a change to the field under key.
func (s *Session) failAt(err error, key string) {
	if s.err != nil {
		return
	}
	s.err = err
	method := s.changeSite()
	attrs := append(s.requestAttrs(), slog.String("change", method))
	if key != "" {
		attrs = append(attrs, slog.String("field", key)) // the key only: a value may be secret
	}
	attrs = append(attrs, slog.String("err", err.Error()))
	s.m.logger.LogAttrs(s.logContext(), slog.LevelError, "typedsession: change lost", attrs...)
}

// Load reads the session's data from the store if it was not read yet.
// Fields the bound type does not know (or all of them, before a type is
// bound) are kept in their encoded form and written back on save.
func (s *Session) Load(ctx context.Context) error {
	if s.loaded {
		return nil
	}
	return s.load(ctx)
}

func (s *Session) load(ctx context.Context) error {
	if s.key == "" {
		s.loaded = true
		s.m.observeNew(ctx)
		return nil
	}
	ctx, t := s.m.startOp(ctx, OpLoad)
	data, found, err := s.loadRecord(ctx)
	t.stop()
	if errors.Is(err, store.ErrCorrupt) {
		s.loaded = true
		s.reject(ctx, "session record is corrupt or forged", err)
		t.done(OutcomeDiscarded, 0, nil)
		return nil
	}
	if err != nil {
		s.loadErr = fmt.Errorf("session: load: %w", err)
		s.m.logger.LogAttrs(ctx, slog.LevelError, "typedsession: session not loaded",
			append(s.requestAttrs(), slog.String("err", s.redactKey(err.Error())))...)
		t.done(OutcomeError, 0, err)
		return s.loadErr
	}
	s.loaded = true
	if !found {
		// Unknown or expired key: never adopt it (C17). Save draws a new one.
		s.key = ""
		t.done(OutcomeDiscarded, 0, nil)
		return nil
	}
	if s.m.client == nil {
		// The store does not change what Load returned (and s.raw already
		// aliases it), so keeping it costs nothing.
		s.loaded0 = data
	}
	s.decode(ctx, data)
	t.done(loadOutcome(s.key), len(data), nil)
	return nil
}

// decode fills the session from a signed payload, or from the unsigned
// payload of a store that seals. Anything wrong with it leaves an empty
// session without a key and a line on the security log.
func (s *Session) decode(ctx context.Context, data []byte) {
	s.startRecord()
	format := s.m.format
	if s.sealing.Signed { // sealed by an earlier release, signature inside
		format = envelopeFormat{s.m.signer}
	}
	// The envelope hands a bound view each field's encoded value, decoded
	// on first use (codec.LazyFields); other formats decode through
	// codec.Fields at once.
	env, stale, err := format.Decode(data, s.fields, s.m.warn)
	if err != nil {
		s.reject(ctx, rejection(err), err)
		return
	}
	edited := s.meta
	s.meta, s.raw = env.Meta, env.Raw
	s.applyEdits(edited)
	// A fallback secret, an older envelope or a seal in the signed format
	// of earlier releases: write it again in the current form.
	s.stale = stale || s.sealing.Secret > 0 || s.sealing.Signed
	if s.pastLifetime(s.meta.Created) {
		s.m.logger.LogAttrs(ctx, slog.LevelInfo, "typedsession: session past its absolute lifetime", slog.Time("created", s.meta.Created))
		s.discard()
	}
}

func (s *Session) reject(ctx context.Context, msg string, err error) {
	s.m.security.LogAttrs(ctx, slog.LevelWarn, "typedsession: "+msg, slog.String("err", err.Error()))
	s.m.observeSecurity(ctx, err)
	s.discard()
}

// discard empties the session and forgets its key and metadata: what
// follows in this request is a new session, with a creation time of its own.
func (s *Session) discard() {
	s.resetData()
	s.meta = codec.Meta{}
	s.key = ""
	s.loaded0 = nil
}

func (s *Session) warnField(key string, err error) {
	if errors.Is(err, codec.ErrDigest) {
		s.forgedField(key, err) // format.go
		return
	}
	s.m.warnField(key, err)
}

// warnField logs a stored field that does not decode into its type. It is
// the warner of a load (bound once per Manager, so that a load allocates
// none): a detached value the load itself checks (a key the bound view does
// not know) and finds forged goes to the security log, without the
// request's attributes, which only the Session's own warnField has.
func (m *Manager) warnField(key string, err error) {
	if errors.Is(err, codec.ErrDigest) {
		m.forgedField(context.Background(), nil, key, err) // format.go
		return
	}
	m.logger.Warn("typedsession: stored field does not fit its type; dropped", "field", key, "err", err)
}

func (s *Session) resetData() {
	if s.fields != nil {
		s.fields.ResetFields()
	}
	s.raw = nil
	created := s.meta.Created
	s.meta = codec.Meta{Created: created}
}

// Keys returns the tag names of the fields present in the session, including
// fields stored by another version of the application that this binary's
// type does not know. It marks the session accessed.
func (s *Session) Keys(ctx context.Context) ([]string, error) {
	if err := s.Load(ctx); err != nil {
		return nil, err
	}
	s.accessed = true
	var keys []string
	if s.fields != nil {
		keys = s.fields.AppendFieldKeys(keys)
	}
	for _, r := range s.raw {
		keys = append(keys, r.Key)
	}
	return keys, nil
}

// Clear removes all data, including a custom expiry and the test cookie,
// without reading the store first. The key is kept: see Flush.
func (s *Session) Clear() {
	s.resetData()
	s.loaded = true
	s.markModified()
}

// IsEmpty reports whether the session has neither a key nor any data.
func (s *Session) IsEmpty() bool {
	if s.key != "" {
		return false
	}
	if !s.loaded {
		return true
	}
	return !s.hasData()
}

func (s *Session) hasData() bool {
	return len(s.raw) > 0 || (s.fields != nil && s.fields.FieldCount() > 0) ||
		s.meta.Expiry != codec.ExpiryDefault || s.meta.TestCookie
}

// Flush deletes the session from the store and empties it: the key becomes
// "" and the middleware deletes the cookie. Call it at logout.
//
// The record is deleted first: if that fails, the session is left as it
// was, so the middleware does not delete the cookie of a session the store
// still holds (the user would look signed out without being so).
func (s *Session) Flush(ctx context.Context) error {
	if s.key != "" && s.m.client == nil {
		ctx, t := s.m.startOp(ctx, OpDelete)
		err := s.m.deleteRecords(ctx, s.key)
		t.done(outcomeOf(err), 0, err)
		if err != nil {
			return fmt.Errorf("session: flush: %w", err)
		}
	}
	s.Clear()
	s.meta.Created = time.Time{} // what follows is a new session
	s.key = ""
	s.loaded0 = nil
	return nil
}

// Cycle gives the session a new key and keeps its data, deleting the record
// under the old key. Call it at login, so a key planted by an attacker
// before login (session fixation) is worthless after it. The new key starts
// a new absolute lifetime (Config.AbsoluteLifetime): it counts from the
// sign-in, not from the first anonymous visit.
//
// Cycle marks the session modified, as Django's cycle_key does: the
// middleware then saves it again, which also writes whatever the handler
// changes after the Cycle, and sends the new key.
func (s *Session) Cycle(ctx context.Context) error {
	if s.committed {
		// The new key could not reach the client: moving the record now
		// would leave the client with a key that no longer exists.
		s.fail(ErrModifiedAfterCommit)
		return fmt.Errorf("session: cycle: %w", ErrModifiedAfterCommit)
	}
	if err := s.Load(ctx); err != nil {
		return err
	}
	s.accessed = true
	if s.m.client != nil {
		// The sealed value changes on every save; there is no server record
		// to move.
		s.key = ""
		s.markModified()
		return nil
	}
	old := s.key
	s.meta.Created = time.Time{}
	if err := s.create(ctx, old); err != nil {
		return fmt.Errorf("session: cycle: %w", err)
	}
	s.markModified()
	return nil
}

// Save writes the session to the store now. The middleware calls it; call it
// yourself only for sessions used outside HTTP. A session without a key gets
// a fresh one. Save fails with an error wrapping store.ErrUpdate when the
// session was deleted meanwhile.
//
// With a store that implements store.Swapper (every server-side store of
// runtime/store; not those of runtime/django), and store.OwnedSwapper too
// when Config.OwnerKey is set, a session loaded from the store is saved
// only if the record still holds what this request loaded. If a
// concurrent request saved it meanwhile, Save reloads it and re-applies
// this request's changes field by field. With a generated type
// that records its fields' use (codec.Tracked):
//   - a field set or deleted without being read (a blind write) is written
//     over the current value;
//   - a field changed only through ModifyX has those calls replayed on the
//     current value, so concurrent increments add up;
//   - a field read (or modified) and then set or deleted is written only if
//     the concurrent request left it as this request loaded it; else the
//     save fails with an error wrapping ErrConflict (Config.LastWriterWins:
//     it is written over);
//   - every field this request did not change keeps what the concurrent
//     request stored, also keys this binary does not know.
//
// Fields set with SetRawField, and every field of a type that does not
// record use, are written as this request has them (last writer wins per
// field). A custom expiry or the test cookie is this request's only if it
// changed it, else the stored one; the creation time is the earlier one and
// the saved time this save's. After ten merges meet yet another concurrent
// save, Save gives up with an error wrapping ErrConflict. A session deleted
// or cycled meanwhile is never recreated (store.ErrUpdate, ErrInterrupted).
// The cookie store shares nothing between requests, so there the last
// response's cookie wins.
func (s *Session) Save(ctx context.Context) error {
	if !s.loaded {
		if err := s.load(ctx); err != nil {
			return err
		}
	}
	if err := s.save(ctx); err != nil {
		return fmt.Errorf("session: save: %w", err)
	}
	return nil
}

// now returns the current time from the Manager's clock. A session the
// middleware opened reads the clock once and keeps that time for the rest
// of the request: one request is one instant (its saved time, its expiry
// and its cookie's Expires agree), and the clock is not read five times.
// A session from Manager.Open may outlive any request, so it reads the
// clock every time.
func (s *Session) now() time.Time {
	if s.r == nil {
		return s.m.now()
	}
	if s.at.IsZero() {
		s.at = s.m.now()
	}
	return s.at
}
