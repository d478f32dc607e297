package cachedstore_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
	"github.com/typedsession/typedsession/runtime/store/memstore"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// logBuffer collects the store's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newStore returns a cached store over cache and durable, and its log.
func newStore(cache, durable store.Store) (*cachedstore.Store, *logBuffer) {
	logs := &logBuffer{}
	s := cachedstore.New(cache, durable, cachedstore.Config{
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	return s, logs
}

func newKey() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = store.KeyAlphabet[rand.IntN(len(store.KeyAlphabet))]
	}
	return string(b)
}

func hour() time.Time { return time.Now().Add(time.Hour) }

var ctx = context.Background()

func mustSave(t *testing.T, s store.Store, key, data string, mustCreate bool) {
	t.Helper()
	if err := s.Save(ctx, key, []byte(data), hour(), mustCreate); err != nil {
		t.Fatalf("Save(mustCreate=%v): %v", mustCreate, err)
	}
}

// wantLoad checks what s.Load returns for key ("" for nothing).
func wantLoad(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	data, found, err := s.Load(ctx, key)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if found != (want != "") || string(data) != want {
		t.Errorf("Load = %q (found %v), want %q", data, found, want)
	}
}

// wantHeld checks what a fake holds under key, bypassing it ("" for
// nothing).
func wantHeld(t *testing.T, f *fake, key, want string) {
	t.Helper()
	e, ok := f.get(key)
	if got := string(e.data); ok != (want != "") || got != want {
		t.Errorf("%s holds %q (present %v), want %q", f.name, got, ok, want)
	}
}

func wantErr(t *testing.T, err, target error, prefix string) {
	t.Helper()
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("error = %v, want one wrapping %v", err, target)
	}
	if err == nil || !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error = %v, want one starting with %q", err, prefix)
	}
}

func TestS07ExistsAfterSaveIsAnsweredByTheCache(t *testing.T) {
	caches := map[string]func(t *testing.T) store.Store{
		"memstore":   func(t *testing.T) store.Store { return memstore.NewWithCleanup(0) },
		"redisstore": miniredisStore,
	}
	for name, newCache := range caches {
		t.Run(name, func(t *testing.T) {
			durable := newFake("durable")
			s, _ := newStore(newCache(t), durable)
			k := newKey()
			mustSave(t, s, k, "data", true)
			durable.resetCounts()

			ok, err := s.Exists(ctx, k)
			if err != nil || !ok {
				t.Fatalf("Exists after Save = %v, %v; want true", ok, err)
			}
			wantLoad(t, s, k, "data")
			if n := durable.count(); n != 0 {
				t.Errorf("the durable store was called %d times, want 0 (cache hits)", n)
			}
		})
	}
}

// miniredisStore returns a redisstore over a fresh miniredis server.
func miniredisStore(t *testing.T) store.Store {
	t.Helper()
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { c.Close() })
	return redisstore.New(c, redisstore.Config{})
}

func TestS08CacheFailureOnSaveIsLoggedNotFatal(t *testing.T) {
	tests := []struct {
		name string
		ops  []string
	}{
		{"save_fails", []string{"save"}},
		{"everything_fails", []string{"load", "save", "delete", "exists", "cycle", "clear"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			durable := newFake("durable")
			s, logs := newStore(newFake("cache").failing(tc.ops...), durable)
			k := newKey()
			mustSave(t, s, k, "data", true)
			mustSave(t, s, k, "data2", false)
			wantHeld(t, durable, k, "data2")
			if !strings.Contains(logs.String(), "cachedstore: cache failed") {
				t.Errorf("no cache failure logged; log:\n%s", logs)
			}
			if strings.Contains(logs.String(), k) {
				t.Error("the session key was logged")
			}
			wantLoad(t, s, k, "data2")
			if ok, err := s.Exists(ctx, k); !ok || err != nil {
				t.Errorf("Exists = %v, %v; want true", ok, err)
			}
		})
	}
}

func TestFailedCacheWriteDropsTheOlderCopy(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	mustSave(t, s, k, "old", true)
	cache.failing("save")
	mustSave(t, s, k, "new", false)
	wantHeld(t, cache, k, "")
	wantLoad(t, s, k, "new")
}

func TestMissFillsTheCacheWithTheSessionExpiry(t *testing.T) {
	tests := []struct {
		name     string
		durable  func(*fake) store.Store
		wantFill bool
	}{
		{"durable_reports_expiry", func(f *fake) store.Store { return f }, true},
		{"durable_without_expiry", func(f *fake) store.Store { return plain{f} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cache, durable := newFake("cache"), newFake("durable")
			s, _ := newStore(cache, tc.durable(durable))
			k, expiry := newKey(), time.Now().Add(17*time.Minute)
			durable.set(k, []byte("data"), expiry)

			wantLoad(t, s, k, "data")
			e, filled := cache.get(k)
			if filled != tc.wantFill {
				t.Fatalf("cache filled = %v, want %v", filled, tc.wantFill)
			}
			if filled && !e.expiry.Equal(expiry) {
				t.Errorf("cache entry expires %v, want the session's %v", e.expiry, expiry)
			}
			durable.resetCounts()
			wantLoad(t, s, k, "data")
			if got, want := durable.count("load"), map[bool]int{true: 0, false: 1}[tc.wantFill]; got != want {
				t.Errorf("second Load read the durable store %d times, want %d", got, want)
			}
		})
	}
}

func TestFillDoesNotResurrectADeletedSession(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	durable.set(k, []byte("data"), hour())
	// A logout runs between the durable read and the cache fill.
	durable.afterRead = func() {
		durable.afterRead = nil
		if err := s.Delete(ctx, k); err != nil {
			t.Errorf("concurrent Delete: %v", err)
		}
	}
	wantLoad(t, s, k, "data") // read before the logout
	wantHeld(t, cache, k, "")
	wantLoad(t, s, k, "")
}

func TestFillDoesNotOverwriteANewerWrite(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	durable.set(k, []byte("old"), hour())
	durable.afterRead = func() {
		durable.afterRead = nil
		mustSave(t, s, k, "new", false)
	}
	wantLoad(t, s, k, "old")
	wantHeld(t, cache, k, "new")
	wantLoad(t, s, k, "new")
}

func TestSaveSemanticsComeFromTheDurableStore(t *testing.T) {
	tests := []struct {
		name       string
		durable    string // what the durable store holds first ("" nothing)
		cache      string // what the cache holds first
		mustCreate bool
		wantErr    error
		wantCache  string
	}{
		{"create_taken_in_durable_only", "taken", "", true, store.ErrCreate, ""},
		{"update_gone_from_durable_evicts_stale_copy", "", "stale", false, store.ErrUpdate, ""},
		{"create_over_stale_cache_entry", "", "stale", true, nil, "new"},
		{"update_not_in_cache", "old", "", false, nil, "new"},
		{"update_in_cache", "old", "old", false, nil, "new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cache, durable := newFake("cache"), newFake("durable")
			s, _ := newStore(cache, durable)
			k := newKey()
			if tc.durable != "" {
				durable.set(k, []byte(tc.durable), hour())
			}
			if tc.cache != "" {
				cache.set(k, []byte(tc.cache), hour())
			}
			err := s.Save(ctx, k, []byte("new"), hour(), tc.mustCreate)
			if tc.wantErr != nil {
				wantErr(t, err, tc.wantErr, "cachedstore: save: ")
			} else if err != nil {
				t.Fatalf("Save: %v", err)
			}
			wantHeld(t, cache, k, tc.wantCache)
		})
	}
}

func TestDeleteReachesBoth(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	mustSave(t, s, k, "data", true)
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantHeld(t, cache, k, "")
	wantHeld(t, durable, k, "")
	if err := s.Delete(ctx, k); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
}

func TestDeleteFailsWhenTheCacheKeepsItsCopy(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	mustSave(t, s, k, "data", true)
	cache.failing("delete")
	wantErr(t, s.Delete(ctx, k), nil, "cachedstore: delete: cache: ")
	wantHeld(t, durable, k, "")
}

func TestCycle(t *testing.T) {
	stores := map[string]func(*fake) store.Store{
		"cycler":     func(f *fake) store.Store { return f },
		"not_cycler": func(f *fake) store.Store { return plain{f} },
	}
	for durableName, durableAs := range stores {
		for cacheName, cacheAs := range stores {
			t.Run("durable_"+durableName+"/cache_"+cacheName, func(t *testing.T) {
				cache, durable := newFake("cache"), newFake("durable")
				s, _ := newStore(cacheAs(cache), durableAs(durable))
				old, next := newKey(), newKey()
				mustSave(t, s, old, "data", true)
				if err := s.Cycle(ctx, old, next, []byte("data"), hour()); err != nil {
					t.Fatalf("Cycle: %v", err)
				}
				for _, f := range []*fake{cache, durable} {
					wantHeld(t, f, old, "")
					wantHeld(t, f, next, "data")
				}
				wantCycles := map[string]int{"cycler": 1, "not_cycler": 0}
				if got := durable.count("cycle"); got != wantCycles[durableName] {
					t.Errorf("durable Cycle called %d times, want %d", got, wantCycles[durableName])
				}

				taken := newKey()
				mustSave(t, s, taken, "someone else's", true)
				err := s.Cycle(ctx, next, taken, []byte("data"), hour())
				wantErr(t, err, store.ErrCreate, "cachedstore: cycle: ")
				wantLoad(t, s, next, "data")
				wantLoad(t, s, taken, "someone else's")
			})
		}
	}
}

func TestCycleOverStaleCacheEntry(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	old, next := newKey(), newKey()
	mustSave(t, s, old, "data", true)
	cache.set(next, []byte("stale"), hour())
	if err := s.Cycle(ctx, old, next, []byte("data"), hour()); err != nil {
		t.Fatalf("Cycle: %v", err)
	}
	wantHeld(t, cache, next, "data")
	wantHeld(t, cache, old, "")
}

func TestCycleFailsWhenTheCacheKeepsTheOldKey(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	old, next := newKey(), newKey()
	mustSave(t, s, old, "data", true)
	cache.failing("cycle", "delete")
	wantErr(t, s.Cycle(ctx, old, next, []byte("data"), hour()), nil, "cachedstore: cycle: cache: ")
	wantHeld(t, durable, next, "data")
}

func TestClearExpired(t *testing.T) {
	for _, failing := range []bool{false, true} {
		cache, durable := newFake("cache"), newFake("durable")
		if failing {
			cache.failing("clear")
		}
		s, logs := newStore(cache, durable)
		durable.set(newKey(), []byte("a"), time.Now().Add(-time.Minute))
		durable.set(newKey(), []byte("b"), time.Now().Add(-time.Minute))
		durable.set(newKey(), []byte("c"), hour())
		n, err := s.ClearExpired(ctx)
		if n != 2 || err != nil {
			t.Errorf("failing cache %v: ClearExpired = %d, %v; want 2, nil", failing, n, err)
		}
		if cache.count("clear") != 1 {
			t.Errorf("failing cache %v: the cache's ClearExpired was not called", failing)
		}
		if logged := strings.Contains(logs.String(), "clear expired"); logged != failing {
			t.Errorf("failing cache %v: failure logged = %v", failing, logged)
		}
	}
	durable := newFake("durable").failing("clear")
	s, _ := newStore(newFake("cache"), durable)
	_, err := s.ClearExpired(ctx)
	wantErr(t, err, nil, "cachedstore: clear expired: ")
}

// calls returns one call of every operation, by operation name as it
// appears in errors.
func calls(s store.Store, key string) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"load":   func(ctx context.Context) error { _, _, err := s.Load(ctx, key); return err },
		"save":   func(ctx context.Context) error { return s.Save(ctx, key, []byte("x"), hour(), true) },
		"delete": func(ctx context.Context) error { return s.Delete(ctx, key) },
		"exists": func(ctx context.Context) error { _, err := s.Exists(ctx, key); return err },
		"cycle": func(ctx context.Context) error {
			return s.(store.Cycler).Cycle(ctx, key, newKey(), []byte("x"), hour())
		},
		"clear expired": func(ctx context.Context) error { _, err := s.ClearExpired(ctx); return err },
	}
}

func TestCanceledContext(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	for op, call := range calls(s, newKey()) {
		wantErr(t, call(canceled), context.Canceled, "cachedstore: "+op+": ")
	}
	if n := durable.count("load", "save", "delete", "exists", "cycle"); n != 0 {
		t.Errorf("the durable store was called %d times with a canceled context", n)
	}
}

func TestDurableErrorsAreNamed(t *testing.T) {
	durable := newFake("durable").failing("load", "save", "delete", "exists", "cycle", "clear")
	s, _ := newStore(newFake("cache"), durable)
	for op, call := range calls(s, newKey()) {
		wantErr(t, call(ctx), nil, "cachedstore: "+op+": durable: ")
	}
}

// TestCacheFollowsWhenTheCallerGoesAway cancels the request's context right
// after the durable write: the cache must still get the new data rather
// than keep serving the old.
func TestCacheFollowsWhenTheCallerGoesAway(t *testing.T) {
	cache, durable := newFake("cache"), newFake("durable")
	s, _ := newStore(cache, durable)
	k := newKey()
	mustSave(t, s, k, "old", true)
	reqCtx, cancel := context.WithCancel(ctx)
	durable.afterSave = cancel
	if err := s.Save(reqCtx, k, []byte("new"), hour(), false); err != nil {
		t.Fatalf("Save: %v", err)
	}
	wantHeld(t, cache, k, "new")
}

func TestConcurrentUse(t *testing.T) {
	s, _ := newStore(memstore.NewWithCleanup(0), newFake("durable"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				k, k2 := newKey(), newKey()
				if err := s.Save(ctx, k, []byte("a"), hour(), true); err != nil {
					t.Error(err)
					return
				}
				if _, found, err := s.Load(ctx, k); !found || err != nil {
					t.Errorf("Load after Save: %v, %v", found, err)
					return
				}
				if err := s.Cycle(ctx, k, k2, []byte("b"), hour()); err != nil {
					t.Error(err)
					return
				}
				if err := s.Delete(ctx, k2); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
