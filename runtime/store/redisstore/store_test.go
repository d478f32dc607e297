package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

func TestStoreMiniredis(t *testing.T) { runStoreTests(t, miniEnv) }

func TestStoreRealRedis(t *testing.T) {
	requireRealRedis(t)
	runStoreTests(t, realEnv)
}

func requireRealRedis(t *testing.T) {
	t.Helper()
	if os.Getenv(redisAddrEnv) == "" {
		t.Skipf("set %s=127.0.0.1:6379 to run against a real Redis", redisAddrEnv)
	}
}

// storeTests are the store-level behaviours every backend (miniredis, real
// Redis, Redis Cluster) must show.
var storeTests = []struct {
	name string
	run  func(t *testing.T, e *env)
}{
	{"save_create_then_load", testSaveLoad},
	{"create_existing_is_ErrCreate", testCreateExisting},
	{"update_missing_is_ErrUpdate", testUpdateMissing},
	{"update_replaces_data_and_expiry", testUpdateExisting},
	{"S09_native_ttl_is_the_expiry", testNativeTTL},
	{"expiry_in_the_past", testPastExpiry},
	{"delete", testDelete},
	{"cycle_moves_the_session", testCycle},
	{"cycle_onto_taken_key_keeps_old", testCycleTaken},
	{"cycle_without_old_key_creates", testCycleMissingOld},
	{"cycle_with_past_expiry", testCyclePastExpiry},
	{"clear_expired_is_a_no_op", testClearExpired},
	{"load_with_expiry", testLoadWithExpiry},
	{"keys_live_under_prefix", testPrefix},
	{"C42_canceled_context", testCanceled},
	{"C41_concurrent_use", testConcurrent},
	{"S09_round_trips", testRoundTrips},
}

func runStoreTests(t *testing.T, newEnv newEnvFunc) {
	for _, tc := range storeTests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newEnv(t)) })
	}
}

// newKey returns a random valid session key.
func newKey() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = store.KeyAlphabet[rand.IntN(len(store.KeyAlphabet))]
	}
	return string(b)
}

// hour is an expiry an hour ahead, with a millisecond part so that a
// store rounding to seconds would be caught.
func hour() time.Time { return time.Now().Add(time.Hour + 123*time.Millisecond) }

func mustSave(t *testing.T, e *env, key string, data []byte, expiry time.Time, mustCreate bool) {
	t.Helper()
	if err := e.s.Save(context.Background(), key, data, expiry, mustCreate); err != nil {
		t.Fatalf("Save(mustCreate=%v): %v", mustCreate, err)
	}
}

// wantData checks that key holds data (nil: that there is nothing).
func wantData(t *testing.T, e *env, key string, want []byte) {
	t.Helper()
	got, found, err := e.s.Load(context.Background(), key)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if found != (want != nil) {
		t.Fatalf("Load found = %v, want %v", found, want != nil)
	}
	if diff := cmp.Diff(want, got); found && diff != "" {
		t.Errorf("Load data (-want +got):\n%s", diff)
	}
	exists, err := e.s.Exists(context.Background(), key)
	if err != nil {
		t.Fatalf("Exists: %v", err)
	}
	if exists != found {
		t.Errorf("Exists = %v, but Load found = %v", exists, found)
	}
}

// wantExpiry checks the native expiry of key in Redis, to the millisecond.
func wantExpiry(t *testing.T, e *env, key string, want time.Time) {
	t.Helper()
	d, err := e.client.PExpireTime(context.Background(), e.prefix+key).Result()
	if err != nil {
		t.Fatalf("PEXPIRETIME: %v", err)
	}
	if got := d.Milliseconds(); got != want.UnixMilli() {
		t.Errorf("PEXPIRETIME = %d, want %d (the session expiry): off by %d ms",
			got, want.UnixMilli(), got-want.UnixMilli())
	}
}

// wantErr checks that err wraps target and names the store and operation.
func wantErr(t *testing.T, err, target error, op string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want one wrapping %v", err, target)
	}
	if prefix := "redisstore: " + op + ": "; !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
}

func testSaveLoad(t *testing.T, e *env) {
	for _, data := range [][]byte{
		[]byte("signed payload"),
		{0, 0xff, '\r', '\n', 0x80, 0},
		{},
	} {
		k := newKey()
		mustSave(t, e, k, data, hour(), true)
		wantData(t, e, k, data)
	}
	wantData(t, e, newKey(), nil)
}

func testCreateExisting(t *testing.T, e *env) {
	k := newKey()
	mustSave(t, e, k, []byte("first"), hour(), true)
	err := e.s.Save(context.Background(), k, []byte("second"), hour(), true)
	wantErr(t, err, store.ErrCreate, "save")
	wantData(t, e, k, []byte("first"))
}

func testUpdateMissing(t *testing.T, e *env) {
	k := newKey()
	err := e.s.Save(context.Background(), k, []byte("data"), hour(), false)
	wantErr(t, err, store.ErrUpdate, "save")
	wantData(t, e, k, nil)
}

func testUpdateExisting(t *testing.T, e *env) {
	k := newKey()
	mustSave(t, e, k, []byte("first"), hour(), true)
	later := hour().Add(time.Hour)
	mustSave(t, e, k, []byte("second"), later, false)
	wantData(t, e, k, []byte("second"))
	wantExpiry(t, e, k, later)
}

func testNativeTTL(t *testing.T, e *env) {
	k := newKey()
	expiry := time.Now().Add(90*time.Minute + 457*time.Millisecond)
	mustSave(t, e, k, []byte("data"), expiry, true)
	wantExpiry(t, e, k, expiry)
	if e.mr == nil {
		return
	}
	// miniredis's clock is fixed, so its TTL is exact too.
	want := time.UnixMilli(expiry.UnixMilli()).Sub(e.mrNow)
	if got := e.mr.TTL(e.prefix + k); got != want {
		t.Errorf("miniredis TTL = %v, want %v", got, want)
	}
	// And Redis, not the store, expires it.
	e.mr.FastForward(want)
	wantData(t, e, k, nil)
}

func testPastExpiry(t *testing.T, e *env) {
	tests := []struct {
		name       string
		existing   bool
		mustCreate bool
		wantErr    error
		wantAfter  bool // key exists afterwards
	}{
		{"create_on_free_key_stores_nothing", false, true, nil, false},
		{"create_on_taken_key_is_ErrCreate", true, true, store.ErrCreate, true},
		{"update_deletes", true, false, nil, false},
		{"update_on_missing_key_is_ErrUpdate", false, false, store.ErrUpdate, false},
	}
	for _, expiry := range []time.Time{time.Now().Add(-time.Hour), {}} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/zero=%v", tc.name, expiry.IsZero()), func(t *testing.T) {
				k := newKey()
				if tc.existing {
					mustSave(t, e, k, []byte("live"), hour(), true)
				}
				err := e.s.Save(context.Background(), k, []byte("dead"), expiry, tc.mustCreate)
				if tc.wantErr != nil {
					wantErr(t, err, tc.wantErr, "save")
				} else if err != nil {
					t.Fatalf("Save: %v", err)
				}
				var want []byte
				if tc.wantAfter {
					want = []byte("live")
				}
				wantData(t, e, k, want)
			})
		}
	}
}

func testDelete(t *testing.T, e *env) {
	k := newKey()
	mustSave(t, e, k, []byte("data"), hour(), true)
	for range 2 { // the second time the key is missing: not an error
		if err := e.s.Delete(context.Background(), k); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		wantData(t, e, k, nil)
	}
}

func testCycle(t *testing.T, e *env) {
	// Several pairs, so that on a cluster some land on different nodes.
	for range 8 {
		old, next := newKey(), newKey()
		mustSave(t, e, old, []byte("before"), hour(), true)
		expiry := hour().Add(time.Minute)
		if err := e.s.Cycle(context.Background(), old, next, []byte("after"), expiry); err != nil {
			t.Fatalf("Cycle: %v", err)
		}
		wantData(t, e, old, nil)
		wantData(t, e, next, []byte("after"))
		wantExpiry(t, e, next, expiry)
	}
}

func testCycleTaken(t *testing.T, e *env) {
	old, next := newKey(), newKey()
	mustSave(t, e, old, []byte("old"), hour(), true)
	mustSave(t, e, next, []byte("someone else's"), hour(), true)
	err := e.s.Cycle(context.Background(), old, next, []byte("moved"), hour())
	wantErr(t, err, store.ErrCreate, "cycle")
	wantData(t, e, old, []byte("old"))
	wantData(t, e, next, []byte("someone else's"))
}

func testCycleMissingOld(t *testing.T, e *env) {
	old, next := newKey(), newKey()
	if err := e.s.Cycle(context.Background(), old, next, []byte("data"), hour()); err != nil {
		t.Fatalf("Cycle: %v", err)
	}
	wantData(t, e, next, []byte("data"))
}

func testCyclePastExpiry(t *testing.T, e *env) {
	past := time.Now().Add(-time.Minute)
	old, next := newKey(), newKey()
	mustSave(t, e, old, []byte("old"), hour(), true)
	if err := e.s.Cycle(context.Background(), old, next, []byte("data"), past); err != nil {
		t.Fatalf("Cycle: %v", err)
	}
	wantData(t, e, old, nil)
	wantData(t, e, next, nil)

	mustSave(t, e, old, []byte("old"), hour(), true)
	mustSave(t, e, next, []byte("taken"), hour(), true)
	err := e.s.Cycle(context.Background(), old, next, []byte("data"), past)
	wantErr(t, err, store.ErrCreate, "cycle")
	wantData(t, e, old, []byte("old"))
}

func testClearExpired(t *testing.T, e *env) {
	before := e.trip()
	n, err := e.s.ClearExpired(context.Background())
	if n != 0 || err != nil {
		t.Errorf("ClearExpired = %d, %v; want 0, nil", n, err)
	}
	if got := e.trip() - before; got != 0 {
		t.Errorf("ClearExpired made %d round trips, want 0", got)
	}
}

func testLoadWithExpiry(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	expiry := hour()
	mustSave(t, e, k, []byte("data"), expiry, true)
	data, got, found, err := e.s.LoadWithExpiry(ctx, k)
	if err != nil || !found {
		t.Fatalf("LoadWithExpiry = found %v, %v; want found", found, err)
	}
	if diff := cmp.Diff([]byte("data"), data); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
	// The expiry is measured relative to the client's clock; miniredis's
	// is frozen, so allow for the time the test has run.
	if d := got.Sub(expiry); d < -time.Minute || d > time.Minute {
		t.Errorf("LoadWithExpiry expiry = %v, want about %v", got, expiry)
	}
	if _, _, found, err := e.s.LoadWithExpiry(ctx, newKey()); found || err != nil {
		t.Errorf("LoadWithExpiry(unknown) = found %v, %v; want not found, nil", found, err)
	}
}

func testPrefix(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	mustSave(t, e, k, []byte("data"), hour(), true)
	raw, err := e.client.Get(ctx, e.prefix+k).Bytes()
	if err != nil {
		t.Fatalf("GET %s<key>: %v", e.prefix, err)
	}
	if diff := cmp.Diff([]byte("data"), raw); diff != "" {
		t.Errorf("raw value (-want +got):\n%s", diff)
	}
	other := redisstore.New(e.client, redisstore.Config{Prefix: e.prefix + "other:"})
	if _, found, err := other.Load(ctx, k); found || err != nil {
		t.Errorf("store with another prefix: Load = found %v, %v; want not found", found, err)
	}
}

func testCanceled(t *testing.T, e *env) {
	k := newKey()
	mustSave(t, e, k, []byte("data"), hour(), true)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, c := range []struct {
		ctx    context.Context
		target error
	}{{canceled, context.Canceled}, {expired, context.DeadlineExceeded}} {
		before := e.trip()
		for op, call := range storeCalls(e.s, k) {
			wantErr(t, call(c.ctx), c.target, op)
		}
		if got := e.trip() - before; got != 0 {
			t.Errorf("%d round trips with a %v context, want 0", got, c.target)
		}
	}
	wantData(t, e, k, []byte("data"))
}

// storeCalls returns one call of every operation on key, by operation name
// as it appears in errors.
func storeCalls(s *redisstore.Store, key string) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"load": func(ctx context.Context) error { _, _, err := s.Load(ctx, key); return err },
		"save": func(ctx context.Context) error {
			return s.Save(ctx, key, []byte("x"), hour(), false)
		},
		"delete": func(ctx context.Context) error { return s.Delete(ctx, key) },
		"exists": func(ctx context.Context) error { _, err := s.Exists(ctx, key); return err },
		"cycle": func(ctx context.Context) error {
			return s.Cycle(ctx, key, newKey(), []byte("x"), hour())
		},
		"clear expired": func(ctx context.Context) error { _, err := s.ClearExpired(ctx); return err },
	}
}

func testConcurrent(t *testing.T, e *env) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if err := concurrentRound(ctx, e.s); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// concurrentRound runs one session's life: create, read, update, cycle,
// delete.
func concurrentRound(ctx context.Context, s *redisstore.Store) error {
	k, k2 := newKey(), newKey()
	if err := s.Save(ctx, k, []byte("a"), hour(), true); err != nil {
		return err
	}
	if _, found, err := s.Load(ctx, k); err != nil || !found {
		return fmt.Errorf("Load after Save: found %v, %v", found, err)
	}
	if err := s.Save(ctx, k, []byte("b"), hour(), false); err != nil {
		return err
	}
	if err := s.Cycle(ctx, k, k2, []byte("c"), hour()); err != nil {
		return err
	}
	return s.Delete(ctx, k2)
}

func testRoundTrips(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	cycleTrips := int64(1)
	if e.split {
		cycleTrips = 2
	}
	tests := []struct {
		name     string
		call     func() error
		trips    int64
		commands int // on miniredis; EVAL counts with the commands its script runs
	}{
		{"save_create", func() error { return e.s.Save(ctx, k, []byte("a"), hour(), true) }, 1, 1},
		{"load", func() error { _, _, err := e.s.Load(ctx, k); return err }, 1, 1},
		{"load_missing", func() error { _, _, err := e.s.Load(ctx, newKey()); return err }, 1, 1},
		{"exists", func() error { _, err := e.s.Exists(ctx, k); return err }, 1, 1},
		{"save_update", func() error { return e.s.Save(ctx, k, []byte("b"), hour(), false) }, 1, 1},
		{"load_with_expiry", func() error { _, _, _, err := e.s.LoadWithExpiry(ctx, k); return err }, 1, 2},
		{"cycle", func() error {
			k2 := newKey()
			err := e.s.Cycle(ctx, k, k2, []byte("c"), hour())
			k = k2
			return err
		}, cycleTrips, 3},
		{"save_update_past_expiry", func() error {
			return e.s.Save(ctx, k, nil, time.Now().Add(-time.Second), false)
		}, 1, 1},
		{"delete", func() error { return e.s.Delete(ctx, k) }, 1, 3}, // GET of the owner key, DEL of both (owner.go)
		{"clear_expired", func() error { _, err := e.s.ClearExpired(ctx); return err }, 0, 0},
	}
	// Warm up: the first command of a connection also sends the handshake.
	if err := e.client.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		trips := e.trip()
		var commands int
		if e.mr != nil {
			commands = e.commands()
		}
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := e.trip() - trips; got != tc.trips {
			t.Errorf("%s: %d round trips, want %d", tc.name, got, tc.trips)
		}
		if e.mr == nil {
			continue
		}
		if got := e.commands() - commands; got != tc.commands {
			t.Errorf("%s: miniredis counted %d commands, want %d", tc.name, got, tc.commands)
		}
	}
}
