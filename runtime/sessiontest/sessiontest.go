// Package sessiontest is the conformance suite every typedsession store
// runs: the behaviours of Django's session test suite (SessionTestsMixin),
// restated for Go and numbered C01, C02, … as in the catalogue
// runtime/sessiontest/CONFORMANCE.md, which says what each id holds a
// store to.
//
// A store package runs it from an ordinary test:
//
//	func TestConformance(t *testing.T) {
//		sessiontest.Run(t, func(t *testing.T) store.Store {
//			return mystore.New(...) // fresh and empty for each subtest
//		})
//	}
//
// Subtests are named by behaviour id ("C07_update_marks_modified"), so
// `go test -run 'Conformance/C3'` selects a group and coverage can be
// counted. A behaviour that cannot apply to a store (a cookie cannot be
// revoked server side) is skipped with the reason.
package sessiontest

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// Factory returns a fresh, empty store for one subtest. Register any
// clean-up with t.Cleanup.
type Factory func(t *testing.T) store.Store

// Secret and FallbackSecret are the secrets the suite's managers use.
const (
	Secret         = "sessiontest-secret-0123456789abcdef-current"
	FallbackSecret = "sessiontest-secret-0123456789abcdef-retired"
)

type testCase struct {
	id   string
	name string
	fn   func(t *testing.T, h *harness)
}

// groups lists every case Run runs, in order.
func groups() [][]testCase {
	return [][]testCase{dataCases, storeCases, keyCases, expiryCases, codecCases, safetyCases, djangoCases, capabilityCases, swapCases}
}

// Run runs the conformance suite against the stores f makes: one subtest
// per C id of runtime/sessiontest/CONFORMANCE.md, named "<id>_<name>".
func Run(t *testing.T, f Factory) {
	t.Helper()
	for _, group := range groups() {
		for _, c := range group {
			t.Run(c.id+"_"+c.name, func(t *testing.T) {
				c.fn(t, newHarness(t, f(t)))
			})
		}
	}
}

// harness holds one subtest's store (wrapped to count calls), manager and
// captured security log.
type harness struct {
	t        *testing.T
	raw      store.Store
	counts   *counter
	wrapped  store.Store
	client   store.ClientSide // non-nil for cookie-like stores
	security *syncBuffer
	log      *syncBuffer
	m        *session.Manager
}

func newHarness(t *testing.T, st store.Store) *harness {
	t.Helper()
	h := &harness{t: t, raw: st, counts: &counter{}, security: &syncBuffer{}, log: &syncBuffer{}}
	h.client, _ = st.(store.ClientSide)
	h.wrapped = wrap(st, h.counts)
	h.m = h.manager(nil)
	return h
}

// manager returns a manager over the harness's store, with cfg changed by
// mod.
func (h *harness) manager(mod func(*session.Config)) *session.Manager {
	h.t.Helper()
	cfg := session.Config{
		Store:          h.wrapped,
		Secret:         Secret,
		Logger:         slog.New(slog.NewTextHandler(h.log, nil)),
		SecurityLogger: slog.New(slog.NewTextHandler(h.security, nil)),
	}
	if mod != nil {
		mod(&cfg)
	}
	m, err := session.NewManager(cfg)
	if err != nil {
		h.t.Fatalf("NewManager: %v", err)
	}
	return m
}

// skipClientSide skips a behaviour that has no meaning when the session
// lives in the cookie.
func (h *harness) skipClientSide(why string) {
	h.t.Helper()
	if h.client != nil {
		h.t.Skip("not applicable to a client-side store: " + why)
	}
}

// open opens key on the harness manager and binds the probe type.
func (h *harness) open(key string) *probe.Session {
	h.t.Helper()
	return h.openWith(h.m, key)
}

func (h *harness) openWith(m *session.Manager, key string) *probe.Session {
	h.t.Helper()
	p, err := probe.Of(context.Background(), m.Open(key))
	if err != nil {
		h.t.Fatalf("open %q: %v", key, err)
	}
	return p
}

// saved creates a session, lets fill change it, saves it and returns its
// key.
func (h *harness) saved(fill func(p *probe.Session)) string {
	h.t.Helper()
	p := h.open("")
	fill(p)
	h.save(p)
	return p.Key()
}

func (h *harness) save(p *probe.Session) {
	h.t.Helper()
	if err := p.Save(context.Background()); err != nil {
		h.t.Fatalf("save: %v", err)
	}
}

// exists asks the raw store whether key has a live record.
func (h *harness) exists(key string) bool {
	h.t.Helper()
	ok, err := h.raw.Exists(context.Background(), key)
	if err != nil {
		h.t.Fatalf("exists %q: %v", key, err)
	}
	return ok
}

// signer signs as the harness manager does.
func signer(t *testing.T, secret string) *signing.Signer {
	t.Helper()
	k, err := signing.NewKeyring([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return k.Signer(session.SignerSalt)
}

// flags asserts a session's accessed and modified flags.
func flags(t *testing.T, p *probe.Session, accessed, modified bool) {
	t.Helper()
	if p.Accessed() != accessed || p.Modified() != modified {
		t.Errorf("accessed, modified = %v, %v; want %v, %v", p.Accessed(), p.Modified(), accessed, modified)
	}
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
