package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// Observer watches a Manager's store operations and security events, for
// metrics and tracing; runtime/otelsession implements it with
// OpenTelemetry. Set it as Config.Observer. When it is nil nothing is
// timed and nothing is called.
//
// One Observer serves every request, so it must be safe for concurrent
// use; its methods run in the middle of a request and should be quick.
// It is never shown a session key or session data.
type Observer interface {
	// Start is called before an operation that uses the store and returns
	// the context the store call runs with: a tracer starts a span here,
	// so that spans the store's own client makes become its children.
	Start(ctx context.Context, op Op, store string) context.Context

	// Done is called after each operation Start began, with the context
	// Start returned. It is also called, without a Start and with the
	// request's context, for a load that had nothing to read (OutcomeNew).
	Done(ctx context.Context, e Event)

	// Security is called for session data that failed signature
	// verification or could not be decoded: what the Manager also reports
	// on its SecurityLogger. During a load, ctx is the one Start returned.
	Security(ctx context.Context, e SecurityEvent)
}

// Op names a session operation reported to an Observer.
type Op string

// The operations an Observer sees.
const (
	OpLoad   Op = "load"   // read the session (the first XxxFrom, Load, Keys, Cycle)
	OpSave   Op = "save"   // write it (the middleware's commit, Save)
	OpDelete Op = "delete" // delete it (Flush, Manager.Revoke, Manager.RevokeAll)
	OpCycle  Op = "cycle"  // move it to a new key (Cycle)
)

// Outcome is how an operation ended.
type Outcome string

// The outcomes an Observer sees. A load ends new, ok, discarded or error;
// the other operations ok, conflict or error.
const (
	OutcomeOK        Outcome = "ok"
	OutcomeNew       Outcome = "new"       // load: no session key, nothing to read
	OutcomeDiscarded Outcome = "discarded" // load: unknown, expired, forged or corrupt: an empty session
	OutcomeConflict  Outcome = "conflict"  // save: the session was deleted meanwhile (ErrInterrupted) or kept changing (ErrConflict)
	OutcomeError     Outcome = "error"     // the store failed
)

// Event describes one finished operation.
type Event struct {
	Op      Op
	Store   string // the store's package name, such as "redisstore"
	Outcome Outcome
	// Duration is the time spent in the store: for a load, not counting
	// signature verification and decoding; zero for OutcomeNew.
	Duration time.Duration
	// Size is the signed payload read (load) or written (save, cycle), in
	// bytes: for a save that merged with a concurrent one, the merged
	// record it wrote; 0 when there was none.
	Size int
	// Err is the error behind OutcomeError and OutcomeConflict.
	Err error
}

// Threat says what was wrong with session data that was refused.
type Threat string

// The threats an Observer sees.
const (
	ThreatBadSignature Threat = "bad_signature" // forged, or signed with a secret no longer configured
	ThreatCorrupt      Threat = "corrupt"       // signed but undecodable, or refused by the store (store.ErrCorrupt)
)

// SecurityEvent describes session data the Manager refused. The session
// goes on as a new, empty one.
type SecurityEvent struct {
	Store  string
	Threat Threat
	Err    error
}

// opTimer times one store operation for the Observer. Its zero value, what
// startOp returns without an Observer, does nothing.
type opTimer struct {
	obs   Observer
	ctx   context.Context
	op    Op
	store string
	start time.Time
	dur   time.Duration
}

// startOp tells the Observer that op begins and returns the context to run
// it with.
func (m *Manager) startOp(ctx context.Context, op Op) (context.Context, opTimer) {
	if m.cfg.Observer == nil {
		return ctx, opTimer{}
	}
	ctx = m.cfg.Observer.Start(ctx, op, m.storeName)
	return ctx, opTimer{obs: m.cfg.Observer, ctx: ctx, op: op, store: m.storeName, start: time.Now()}
}

// stop ends the store's part of the operation; done stops it too if
// nothing did.
func (t *opTimer) stop() {
	if t.obs != nil && t.dur == 0 {
		t.dur = time.Since(t.start)
	}
}

func (t *opTimer) done(o Outcome, size int, err error) {
	if t.obs == nil {
		return
	}
	t.stop()
	t.obs.Done(t.ctx, Event{Op: t.op, Store: t.store, Outcome: o, Duration: t.dur, Size: size, Err: err})
}

// observeNew reports a load that had no key to read.
func (m *Manager) observeNew(ctx context.Context) {
	if m.cfg.Observer != nil {
		m.cfg.Observer.Done(ctx, Event{Op: OpLoad, Store: m.storeName, Outcome: OutcomeNew})
	}
}

// observeSecurity reports refused session data.
func (m *Manager) observeSecurity(ctx context.Context, err error) {
	if m.cfg.Observer == nil {
		return
	}
	t := ThreatCorrupt
	if errors.Is(err, signing.ErrInvalid) {
		t = ThreatBadSignature
	}
	m.cfg.Observer.Security(ctx, SecurityEvent{Store: m.storeName, Threat: t, Err: err})
}

// outcomeOf classifies the error of a save, cycle or delete.
func outcomeOf(err error) Outcome {
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, ErrInterrupted), errors.Is(err, store.ErrUpdate), errors.Is(err, ErrConflict):
		return OutcomeConflict
	}
	return OutcomeError
}

// storeName names st for observers: the package of its type, such as
// "memstore" for *memstore.Store.
func storeName(st store.Store) string {
	name := strings.TrimLeft(fmt.Sprintf("%T", st), "*[]")
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	return name
}

// loadOutcome classifies a load that reached the store: a session left
// without a key was discarded.
func loadOutcome(key string) Outcome {
	if key == "" {
		return OutcomeDiscarded
	}
	return OutcomeOK
}
