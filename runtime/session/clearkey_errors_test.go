package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

var errDenied = errors.New("permission denied")

// namingStore fails the calls of ops made with a key of the cookie's form
// (a clear key, used for sessions stored before keys were hashed) with an
// error that names the key, as filestore's file paths do.
type namingStore struct {
	store.Store
	ops []string
}

func (n namingStore) fail(op, key string) error {
	if !session.IsCookieKey(key) || !slices.Contains(n.ops, op) {
		return nil
	}
	return fmt.Errorf("namingstore: %s: open /sessions/%s.session: %w", op, key, errDenied)
}

func (n namingStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if err := n.fail("load", key); err != nil {
		return nil, false, err
	}
	return n.Store.Load(ctx, key)
}

func (n namingStore) Delete(ctx context.Context, key string) error {
	if err := n.fail("delete", key); err != nil {
		return err
	}
	return n.Store.Delete(ctx, key)
}

// errObserver keeps the error of every operation it is told about.
type errObserver struct {
	mu   sync.Mutex
	errs []error
}

func (o *errObserver) Start(ctx context.Context, _ session.Op, _ string) context.Context { return ctx }
func (o *errObserver) Security(context.Context, session.SecurityEvent)                   {}
func (o *errObserver) Done(_ context.Context, e session.Event) {
	if e.Err != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.errs = append(o.errs, e.Err)
	}
}

// TestClearKeyErrorsHideTheKey: a store call made with a session's clear
// key (Config.IgnoreClearKeys unset) can fail with an error naming that
// key; the error the handler gets, the Observer's and the log line name
// "[session key]" instead, and still wrap the store's error.
func TestClearKeyErrorsHideTheKey(t *testing.T) {
	tests := []struct {
		name    string
		fail    string // the store operation that fails on the clear key
		planted bool   // a session is stored under the clear key
		call    func(context.Context, *http.Request) error
	}{
		{"load", "load", false, func(_ context.Context, r *http.Request) error { _, err := probe.From(r); return err }},
		{"flush", "delete", false, func(ctx context.Context, r *http.Request) error {
			s, err := session.FromContext(ctx)
			if err != nil {
				return err
			}
			return s.Flush(ctx)
		}},
		{"cycle", "delete", true, func(ctx context.Context, r *http.Request) error {
			p, err := probe.From(r)
			if err != nil {
				return err
			}
			return p.Cycle(ctx)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := &errObserver{}
			st := memstore.NewWithCleanup(0)
			e := newEnv(t, func(c *session.Config) {
				c.Store = namingStore{st, []string{tt.fail}}
				c.Observer = obs
			})
			e.st = st
			key := strings.Repeat("a", 32) // of the cookie's form, stored nowhere
			if tt.planted {
				key = plantClear(t, e, "Ada")
			}
			var err error
			e.do(t, func(w http.ResponseWriter, r *http.Request) { err = tt.call(r.Context(), r) }, key)
			if !errors.Is(err, errDenied) {
				t.Fatalf("error = %v, want one wrapping the store's", err)
			}
			if len(obs.errs) == 0 {
				t.Fatal("the Observer was told of no error")
			}
			for where, msg := range map[string]string{"returned": err.Error(), "observed": obs.errs[0].Error(), "logged": e.log.String()} {
				if strings.Contains(msg, key) {
					t.Errorf("%s error names the key: %s", where, msg)
				}
			}
			if !strings.Contains(err.Error(), "[session key]") {
				t.Errorf("error = %q, want the key's place marked", err)
			}
			if !errors.Is(obs.errs[0], errDenied) {
				t.Errorf("observed error = %v, want one wrapping the store's", obs.errs[0])
			}
		})
	}
}
