// Package sessiontest is the conformance suite every typedsession store
// runs: the behaviours of Django's session test suite (SessionTestsMixin),
// restated for Go and numbered C01, C02, … as in the catalogue
// runtime/sessiontest/CONFORMANCE.md, which says what each id holds a
// store to, and the contract of package store, checked by calling the
// Store directly (C50…), so that a failure names the store call and what
// was wrong.
//
// A store package runs it from an ordinary test, with -race:
//
//	func TestConformance(t *testing.T) {
//		sessiontest.Run(t, func(t *testing.T) store.Store {
//			return mystore.New(...) // fresh and empty for each subtest
//		})
//	}
//
// A backend that removes expired records by itself, as Redis does, runs
// RunWith(t, f, Options{SelfExpiring: true}) instead. One case (C56) lets
// records expire while stored, which takes a fraction of a second of real
// time.
//
// Subtests are named by behaviour id ("C07_update_marks_modified") and run
// in id order, so `go test -run 'Conformance/C3'` selects a group and
// coverage can be counted. A behaviour that cannot apply to a store (a
// cookie cannot be revoked server side) is skipped with the reason.
//
// RunOutage checks, through a running Manager, what an outage of the
// backend does to requests.
package sessiontest

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
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

// groups lists every case group Run runs.
func groups() [][]testCase {
	return [][]testCase{dataCases, storeCases, keyCases, expiryCases, codecCases, safetyCases, djangoCases, hashedKeyCases, contractCases, capabilityCases, swapCases, ownerCases, ownerSwapCases, mergeCases, trackedCases}
}

// Options tells RunWith what a store does differently from most. The zero
// value fits a store that keeps expired records until ClearExpired removes
// them (memstore, sqlstore, filestore).
type Options struct {
	// SelfExpiring says the backend removes records by itself once their
	// expiry passes (Redis's native expiry), so ClearExpired never finds an
	// expired record to remove and reports 0. Without it, the suite lets
	// records expire and requires ClearExpired to remove and count them.
	SelfExpiring bool
}

// Run runs the conformance suite against the stores f makes. It is RunWith
// with the zero Options.
func Run(t *testing.T, f Factory) {
	t.Helper()
	RunWith(t, f, Options{})
}

// RunWith runs the conformance suite against the stores f makes, in the
// order of the behaviour ids.
func RunWith(t *testing.T, f Factory, o Options) {
	t.Helper()
	for _, c := range allCases() {
		t.Run(c.id+"_"+c.name, func(t *testing.T) {
			h := newHarness(t, f(t))
			h.opts = o
			c.fn(t, h)
		})
	}
}

// allCases returns every case, sorted by id so that -v output and
// `-run 'Conformance/C5'` follow the catalogue.
func allCases() []testCase {
	var all []testCase
	for _, group := range groups() {
		all = append(all, group...)
	}
	slices.SortStableFunc(all, func(a, b testCase) int { return strings.Compare(a.id, b.id) })
	return all
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
	opts     Options
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
	if err := p.Session().Save(context.Background()); err != nil {
		h.t.Fatalf("save: %v", err)
	}
}

// exists asks the raw store whether the session with cookie key key has a
// live record.
func (h *harness) exists(key string) bool {
	h.t.Helper()
	return h.existsRaw(h.storeKey(key))
}

// existsRaw asks the raw store whether it has a live record under
// storeKey, as given.
func (h *harness) existsRaw(storeKey string) bool {
	h.t.Helper()
	ok, err := h.raw.Exists(context.Background(), storeKey)
	if err != nil {
		h.t.Fatalf("exists %q: %v", storeKey, err)
	}
	return ok
}

// storeKey returns the key the store keeps the session with cookie key key
// under: its hash (session.StoreKey), or key itself for a client-side store
// and for one that wants keys in clear (session.ClearKeyStore).
func (h *harness) storeKey(key string) string {
	if h.client != nil || inClear(h.raw) {
		return key
	}
	return session.StoreKey(key)
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
	if p.Session().Accessed() != accessed || p.Session().Modified() != modified {
		t.Errorf("accessed, modified = %v, %v; want %v, %v", p.Session().Accessed(), p.Session().Modified(), accessed, modified)
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
