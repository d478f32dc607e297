package sessiontest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// safetyCases are C31–C34 and C36–C42: expiry enforced by the store, keys an
// attacker makes up, lost updates, concurrency and cancellation.
var safetyCases = []testCase{
	{"C31", "past_expiry_is_gone", func(t *testing.T, h *harness) {
		p := h.open("")
		p.SetName("Ada")
		p.SetExpiry(session.ExpireAt(time.Now().Add(-10 * time.Second)))
		h.save(p)
		if q := h.open(p.Key()); q.HasName() {
			t.Error("a session whose expiry passed loads with its data")
		}
	}},
	{"C32", "load_creates_no_record", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		key := "unknown" + randomSuffix()
		p := h.open(key)
		if h.exists(key) {
			t.Error("loading an unknown key created a record")
		}
		p.SetName("Ada")
		h.save(p)
		if p.Key() == key || h.exists(key) {
			t.Error("the unknown key was reused")
		}
	}},
	{"C33", "no_resurrection", func(t *testing.T, h *harness) {
		h.skipClientSide("a sealed cookie cannot be deleted server side")
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		p := h.open(key)
		if err := h.raw.Delete(context.Background(), h.storeKey(key)); err != nil {
			t.Fatal(err)
		}
		p.SetName("Bob")
		err := p.Session().Save(context.Background())
		if !errors.Is(err, store.ErrUpdate) || !errors.Is(err, session.ErrInterrupted) {
			t.Fatalf("Save of a deleted session = %v, want ErrUpdate and ErrInterrupted", err)
		}
		if h.open(key).HasName() {
			t.Error("deleted session was resurrected")
		}
	}},
	{"C34", "overlong_key", func(t *testing.T, h *harness) {
		loads := h.counts.load.Load()
		p := h.open(strings.Repeat("a", 1240))
		if p.HasName() || p.Key() != "" {
			t.Errorf("overlong key: HasName %v, Key %q; want empty", p.HasName(), p.Key())
		}
		if h.client == nil && h.counts.load.Load() != loads {
			t.Error("an overlong key reached the store")
		}
	}},
	{"C36", "must_create_on_existing_key", func(t *testing.T, h *harness) {
		h.skipClientSide("a client-side store has no keys to collide")
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		err := h.raw.Save(context.Background(), h.storeKey(key), []byte("x"), time.Now().Add(time.Hour), true)
		if !errors.Is(err, store.ErrCreate) {
			t.Errorf("Save(mustCreate) on an existing key = %v, want ErrCreate", err)
		}
		if h.open(key).Name() != "Ada" {
			t.Error("the failed create changed the existing session")
		}
	}},
	{"C37", "test_cookie", func(t *testing.T, h *harness) {
		p := h.open("")
		p.Session().SetTestCookie()
		if !p.Session().TestCookieWorked() {
			t.Error("TestCookieWorked() = false after SetTestCookie")
		}
		h.save(p)
		q := h.open(p.Key())
		if !q.Session().TestCookieWorked() {
			t.Error("TestCookieWorked() = false after a round trip")
		}
		q.Session().DeleteTestCookie()
		if q.Session().TestCookieWorked() {
			t.Error("TestCookieWorked() = true after DeleteTestCookie")
		}
	}},
	{"C38", "is_empty", func(t *testing.T, h *harness) {
		p := h.open("")
		if !p.IsEmpty() {
			t.Error("IsEmpty() = false for a new session")
		}
		p.SetName("Ada")
		if p.IsEmpty() {
			t.Error("IsEmpty() = true with data")
		}
		h.save(p)
		q := h.open(p.Key())
		q.DeleteName()
		if q.IsEmpty() {
			t.Error("IsEmpty() = true for a keyed session")
		}
	}},
	{"C41", "concurrent_use", func(t *testing.T, h *harness) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- churn(h.m, g)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	}},
	{"C42", "context_honoured", func(t *testing.T, h *harness) {
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel2()
		for name, ctx := range map[string]context.Context{"cancelled": cancelled, "deadline": expired} {
			t.Run(name, func(t *testing.T) {
				want := ctx.Err()
				if _, err := probe.Of(ctx, h.m.Open(key)); !errors.Is(err, want) {
					t.Errorf("bind: err = %v, want %v", err, want)
				}
				checkCtx(t, h, ctx, key, want)
			})
		}
	}},
}

// checkCtx calls each store method, the optional ones included, with a
// done context.
func checkCtx(t *testing.T, h *harness, ctx context.Context, key string, want error) {
	t.Helper()
	for _, c := range storeCalls(h.raw, key) {
		err := c.call(ctx)
		if c.op == "ClearExpired" && errors.Is(err, store.ErrNotSupported) {
			continue
		}
		if !errors.Is(err, want) {
			t.Errorf("%s with a %s context = %v; want %v", c.name, ctxState(want), err, want)
		}
	}
}

// ctxState describes a done context by its error, for messages.
func ctxState(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "past-deadline"
	}
	return "cancelled"
}

// churn runs sessions through their whole life on m.
func churn(m *session.Manager, g int) error {
	ctx := context.Background()
	for i := range 20 {
		p, err := probe.Of(ctx, m.Open(""))
		if err != nil {
			return err
		}
		p.SetName(fmt.Sprintf("g%d-%d", g, i))
		if err := p.Session().Save(ctx); err != nil {
			return fmt.Errorf("save: %w", err)
		}
		q, err := probe.Of(ctx, m.Open(p.Key()))
		if err != nil {
			return err
		}
		if got, want := q.Name(), fmt.Sprintf("g%d-%d", g, i); got != want {
			return fmt.Errorf("reload: Name() = %q, want %q", got, want)
		}
		if err := q.Cycle(ctx); err != nil {
			return fmt.Errorf("cycle: %w", err)
		}
		if err := q.Flush(ctx); err != nil {
			return fmt.Errorf("flush: %w", err)
		}
	}
	return nil
}

// randomSuffix returns 12 characters of the key alphabet.
func randomSuffix() string {
	return strings.ToLower(rand.Text())[:12]
}
