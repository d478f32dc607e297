package session_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// recordingStore is a memstore that records the key of every call and
// can run a hook before a call.
type recordingStore struct {
	*memstore.Store
	mu     sync.Mutex
	calls  []storeCall
	before func(op, key string) // may be nil
}

type storeCall struct{ op, key string }

func (r *recordingStore) note(op, key string) {
	r.mu.Lock()
	r.calls = append(r.calls, storeCall{op, key})
	hook := r.before
	r.mu.Unlock()
	if hook != nil {
		hook(op, key)
	}
}

func (r *recordingStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	r.note("Load", key)
	return r.Store.Load(ctx, key)
}

func (r *recordingStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	op := "Save"
	if mustCreate {
		op = "Create"
	}
	r.note(op, key)
	return r.Store.Save(ctx, key, data, expiry, mustCreate)
}

func (r *recordingStore) Delete(ctx context.Context, key string) error {
	r.note("Delete", key)
	return r.Store.Delete(ctx, key)
}

func (r *recordingStore) Exists(ctx context.Context, key string) (bool, error) {
	r.note("Exists", key)
	return r.Store.Exists(ctx, key)
}

func (r *recordingStore) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	r.note("Cycle from", oldKey)
	r.note("Cycle to", newKey)
	return r.Store.Cycle(ctx, oldKey, newKey, data, expiry)
}

func (r *recordingStore) recorded() []storeCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]storeCall(nil), r.calls...)
}

func newRecordingEnv(t *testing.T, mod func(*session.Config)) (*env, *recordingStore) {
	t.Helper()
	rs := &recordingStore{Store: memstore.NewWithCleanup(0)}
	e := newEnv(t, func(c *session.Config) {
		c.Store = rs
		if mod != nil {
			mod(c)
		}
	})
	e.st = rs.Store
	return e, rs
}

// TestStoreSeesHashedKeysOnly: through a session's whole life (create,
// read, cycle, unknown key, logout) the store is called with hashes of
// cookie keys only, never with a key a cookie carried.
func TestStoreSeesHashedKeysOnly(t *testing.T) {
	e, rs := newRecordingEnv(t, func(c *session.Config) { c.IgnoreClearKeys = true })
	cookies := map[string]bool{}
	step := func(h http.HandlerFunc, cookie string) string {
		t.Helper()
		cookies[cookie] = true
		if c := sessionCookie(e.do(t, h, cookie), "session"); c != nil {
			cookies[c.Value] = true
			return c.Value
		}
		return cookie
	}
	key := step(setName(t, "Ada"), "")
	step(func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, key)
	key = step(func(w http.ResponseWriter, r *http.Request) {
		if err := mustProbe(t, r).Cycle(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, key)
	step(func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, "unknownunknownunknownunknownabcd")
	step(func(w http.ResponseWriter, r *http.Request) {
		if err := mustProbe(t, r).Flush(r.Context()); err != nil {
			t.Fatal(err)
		}
	}, key)

	hashes := map[string]bool{}
	for c := range cookies {
		hashes[session.StoreKey(c)] = true
	}
	calls := rs.recorded()
	if len(calls) < 6 {
		t.Fatalf("only %d store calls recorded: %v", len(calls), calls)
	}
	for _, c := range calls {
		if cookies[c.key] || !hashes[c.key] {
			t.Errorf("%s(%q): want the hash of a cookie's key, never the key", c.op, c.key)
		}
	}
}

func TestStoreKey(t *testing.T) {
	// SHA-256 of "abc", in lower-case base32 without padding.
	const want = "xj4bnp4pahh6uqkbidpf3lrceoyagyndsylxvhfucd7wd4qacwwq"
	if got := session.StoreKey("abc"); got != want {
		t.Errorf("StoreKey(abc) = %q, want %q", got, want)
	}
	e := newEnv(t, nil)
	key := e.seed(t, "Ada")
	sk := session.StoreKey(key)
	if len(sk) != 52 || session.IsCookieKey(sk) || !session.IsCookieKey(key) {
		t.Errorf("StoreKey(%q) = %q: want 52 characters, and only the cookie key cookie-shaped", key, sk)
	}
	if ok, err := e.st.Exists(context.Background(), sk); err != nil || !ok {
		t.Errorf("no record under StoreKey(key): %v, %v", ok, err)
	}
}

// plantClear moves the record of a seeded session to its clear key, as a
// version that did not hash keys stored it, and returns the key.
func plantClear(t *testing.T, e *env, name string) string {
	t.Helper()
	ctx := context.Background()
	key := e.seed(t, name)
	data, found, err := e.st.Load(ctx, session.StoreKey(key))
	if err != nil || !found {
		t.Fatalf("seeded session not stored: %v, %v", found, err)
	}
	if err := e.st.Save(ctx, key, data, time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Delete(ctx, session.StoreKey(key)); err != nil {
		t.Fatal(err)
	}
	return key
}

func (e *env) stored(t *testing.T, key string) bool {
	t.Helper()
	ok, err := e.st.Exists(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestClearKeyMigration: a session stored under its clear key by an older
// version is found, re-saved under its hashed key on the request that
// loads it (even when unmodified), and its clear record removed.
func TestClearKeyMigration(t *testing.T) {
	e := newEnv(t, nil)
	key := plantClear(t, e, "Ada")
	var name string
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { name = mustProbe(t, r).Name() }, key)
	if name != "Ada" || resp.StatusCode != http.StatusOK {
		t.Fatalf("Name() = %q, status %d; want the clear-key session found", name, resp.StatusCode)
	}
	if c := sessionCookie(resp, "session"); c == nil || c.Value != key {
		t.Errorf("cookie = %v, want the same key re-sent", c)
	}
	if e.stored(t, key) || !e.stored(t, session.StoreKey(key)) {
		t.Errorf("clear record kept %v, hashed record made %v; want moved", e.stored(t, key), e.stored(t, session.StoreKey(key)))
	}
	if got := e.load(t, key).Name(); got != "Ada" {
		t.Errorf("after the move Name() = %q, want Ada", got)
	}
}

// TestClearKeyMigrationEdges covers the other ways a clear-key session
// ends: logout, cycle at login, and a concurrent request that moved it
// first.
func TestClearKeyMigrationEdges(t *testing.T) {
	t.Run("flush without loading", func(t *testing.T) {
		e := newEnv(t, nil)
		key := plantClear(t, e, "Ada")
		e.do(t, func(w http.ResponseWriter, r *http.Request) {
			if err := mustProbe(t, r).Flush(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, key)
		if e.stored(t, key) || e.stored(t, session.StoreKey(key)) {
			t.Error("the clear-key session survived its logout")
		}
	})
	t.Run("cycle", func(t *testing.T) {
		e := newEnv(t, nil)
		key := plantClear(t, e, "Ada")
		c := sessionCookie(e.do(t, func(w http.ResponseWriter, r *http.Request) {
			if err := mustProbe(t, r).Cycle(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, key), "session")
		if c == nil || c.Value == key {
			t.Fatalf("cookie = %v, want a new key", c)
		}
		if e.stored(t, key) || e.stored(t, session.StoreKey(key)) || !e.stored(t, session.StoreKey(c.Value)) || e.st.Len() != 1 {
			t.Errorf("after Cycle the store holds %d records; want only the new key's hash", e.st.Len())
		}
	})
	t.Run("moved by a concurrent request", func(t *testing.T) {
		e := newEnv(t, nil)
		key := plantClear(t, e, "Ada")
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
			p := mustProbe(t, r)
			e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).Name() }, key) // moves it
			p.SetName("Bob")
		}, key)
		if resp.StatusCode != http.StatusOK || e.stored(t, key) || e.load(t, key).Name() != "Bob" {
			t.Errorf("status %d, clear record kept %v, Name %q; want 200, moved, Bob", resp.StatusCode, e.stored(t, key), e.load(t, key).Name())
		}
	})
}

// TestClearKeyMigrationLogoutNotResurrected: a logout that deletes the
// clear record while another request moves it (by this version, or by an
// older one that deletes only the clear key) leaves no record behind, and
// the moving request answers as for any session deleted meanwhile.
func TestClearKeyMigrationLogoutNotResurrected(t *testing.T) {
	for _, tc := range []struct {
		name   string
		logout func(t *testing.T, e *env, key string)
		at     string // the store call before which the logout runs; "" in the handler
	}{
		{"this version, during the handler", logoutNow, ""},
		{"older version, during the handler", deleteClear, ""},
		{"this version, after the hashed record was made", logoutNow, "Exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, rs := newRecordingEnv(t, nil)
			key := plantClear(t, e, "Ada")
			var once sync.Once
			resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
				p := mustProbe(t, r)
				if tc.at == "" {
					tc.logout(t, e, key)
				} else {
					rs.before = func(op, _ string) {
						if op == tc.at {
							once.Do(func() { tc.logout(t, e, key) })
						}
					}
				}
				p.SetName("Bob")
			}, key)
			rs.before = nil
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400 (deleted during the request)", resp.StatusCode)
			}
			if e.st.Len() != 0 {
				t.Errorf("%d records left after the logout, want none", e.st.Len())
			}
		})
	}
}

// logoutNow is a logout served by this version.
func logoutNow(t *testing.T, e *env, key string) {
	t.Helper()
	if err := e.m.Open(key).Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// deleteClear is a logout served by a version that did not hash keys.
func deleteClear(t *testing.T, e *env, key string) {
	t.Helper()
	if err := e.st.Delete(context.Background(), key); err != nil {
		t.Fatal(err)
	}
}

// TestClearKeyLookupBounds: the lookup in clear never reaches a record
// whose key is not a cookie key (a hashed key read from the store, or a
// chosen one), and Config.IgnoreClearKeys turns it off.
func TestClearKeyLookupBounds(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	victim := e.seed(t, "Ada")
	hashed := session.StoreKey(victim)
	chosen := "attackerchosenkey0123456789"
	if err := e.st.Save(ctx, chosen, mustData(t, e, hashed), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{hashed, chosen} {
		var name string
		resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { name = mustProbe(t, r).Name() }, key)
		if c := sessionCookie(resp, "session"); name != "" || (c != nil && c.Value != "") {
			t.Errorf("cookie %q reached a stored record (Name %q)", key, name)
		}
	}

	off := newEnv(t, func(c *session.Config) { c.IgnoreClearKeys = true })
	key := plantClear(t, off, "Ada")
	if got := off.load(t, key); got.Name() != "" || got.Key() != "" {
		t.Errorf("with IgnoreClearKeys the clear-key session loads: Name %q", got.Name())
	}
	if !off.stored(t, key) {
		t.Error("with IgnoreClearKeys the clear record was touched")
	}
}

func mustData(t *testing.T, e *env, storeKey string) []byte {
	t.Helper()
	data, found, err := e.st.Load(context.Background(), storeKey)
	if err != nil || !found {
		t.Fatalf("no record under %q: %v, %v", storeKey, found, err)
	}
	return data
}

func TestIsCookieKey(t *testing.T) {
	for key, want := range map[string]bool{
		"abcdefghijklmnopqrstuvwxyz234567":                  true,
		"abcdefghijklmnopqrstuvwxyz23456":                   false, // 31
		"abcdefghijklmnopqrstuvwxyz2345678":                 false, // 33
		"abcdefghijklmnopqrstuvwxyz234501":                  false, // 0 and 1 are not base32
		strings.ToUpper("abcdefghijklmnopqrstuvwxyz234567"): false,
		session.StoreKey("x"):                               false,
	} {
		if got := session.IsCookieKey(key); got != want {
			t.Errorf("IsCookieKey(%q) = %v, want %v", key, got, want)
		}
	}
}
