package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

func TestSwapMiniredis(t *testing.T) { runSwapTests(t, miniEnv) }

func TestSwapRealRedis(t *testing.T) {
	requireRealRedis(t)
	runSwapTests(t, realEnv)
}

// runSwapTests runs the Redis-specific checks of Swap; the behaviour
// itself is checked by the conformance suite (C70–C78).
func runSwapTests(t *testing.T, newEnv newEnvFunc) {
	t.Run("S09_swap_round_trips", func(t *testing.T) { testSwapRoundTrips(t, newEnv(t)) })
	t.Run("swap_keeps_native_ttl", func(t *testing.T) { testSwapTTL(t, newEnv(t)) })
	t.Run("S09_swap_owned_round_trips", func(t *testing.T) { testSwapOwnedRoundTrips(t, newEnv(t)) })
	t.Run("S09_save_owned_round_trips", func(t *testing.T) { testSaveOwnedRoundTrips(t, newEnv(t)) })
}

// testSaveOwnedRoundTrips counts the round trips of SaveOwned, and of
// CycleOwned, which creates with it: one EVAL on a single node, where one
// script checks the create or update condition, files the key in the
// owner's index and writes the record and its owner key; on a Cluster the
// index is filed first, in a command of its own. Leaving another owner's
// index costs a ZREM more, deleting the old key of a cycle an EVAL and a
// ZREM. The indexes must list exactly the live records afterwards.
func testSaveOwnedRoundTrips(t *testing.T, e *env) {
	ctx := context.Background()
	k, taken, cycled := newKey(), newKey(), newKey()
	if err := e.s.SaveOwned(ctx, taken, "carol", []byte("t"), hour(), true); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Ping(ctx).Err(); err != nil { // the handshake is not the store's
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		call          func() error
		want          error
		single, split int64 // round trips
	}{
		{"create", func() error { return e.s.SaveOwned(ctx, k, "alice", []byte("a"), hour(), true) }, nil, 1, 2},
		{"create_taken", func() error { return e.s.SaveOwned(ctx, taken, "alice", []byte("x"), hour(), true) }, store.ErrCreate, 1, 2},
		{"update_same_owner", func() error { return e.s.SaveOwned(ctx, k, "alice", []byte("b"), hour(), false) }, nil, 1, 2},
		// On a Cluster the member filed first is removed again: no record.
		{"update_missing", func() error { return e.s.SaveOwned(ctx, newKey(), "alice", []byte("c"), hour(), false) }, store.ErrUpdate, 1, 3},
		{"update_other_owner", func() error { return e.s.SaveOwned(ctx, k, "bob", []byte("c"), hour(), false) }, nil, 2, 3},
		{"update_no_owner", func() error { return e.s.SaveOwned(ctx, k, "", []byte("d"), hour(), false) }, nil, 2, 2},
		{"update_owner_again", func() error { return e.s.SaveOwned(ctx, k, "alice", []byte("e"), hour(), false) }, nil, 1, 2},
		{"update_past_expiry", func() error {
			return e.s.SaveOwned(ctx, taken, "carol", nil, time.Now().Add(-time.Second), false)
		}, nil, 2, 2},
		{"cycle", func() error { return e.s.CycleOwned(ctx, k, cycled, "alice", []byte("f"), hour()) }, nil, 3, 4},
	}
	for _, tc := range tests {
		trips := e.trip()
		if err := tc.call(); !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
		}
		want := tc.single
		if e.split {
			want = tc.split
		}
		if got := e.trip() - trips; got != want {
			t.Errorf("%s: %d round trips, want %d", tc.name, got, want)
		}
	}
	list, err := e.s.ListOwned(ctx, "alice")
	if err != nil || len(list) != 1 || list[0].Key != cycled || string(list[0].Data) != "f" {
		t.Errorf("ListOwned(alice) = %v, %v; want the cycled record alone", list, err)
	}
	for _, owner := range []string{"bob", "carol"} {
		if list, err := e.s.ListOwned(ctx, owner); err != nil || len(list) != 0 {
			t.Errorf("ListOwned(%s) = %v, %v; want nothing", owner, list, err)
		}
	}
}

// testSwapOwnedRoundTrips counts the round trips of SwapOwned: one EVAL on
// a single node, where one script reaches the record, its owner key and
// the owner's index; on a Cluster the index is filed first, in a command
// of its own. Leaving another owner's index costs a ZREM more, as for
// SaveOwned.
func testSwapOwnedRoundTrips(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	if err := e.s.SaveOwned(ctx, k, "alice", []byte("a"), hour(), true); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Ping(ctx).Err(); err != nil { // the handshake is not the store's
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		call          func() error
		want          error
		single, split int64 // round trips
	}{
		{"same_owner", func() error { return e.s.SwapOwned(ctx, k, "alice", []byte("a"), []byte("b"), hour()) }, nil, 1, 2},
		{"changed", func() error { return e.s.SwapOwned(ctx, k, "alice", []byte("a"), []byte("c"), hour()) }, store.ErrChanged, 1, 2},
		// On a Cluster the member filed first is removed again: no record.
		{"missing", func() error { return e.s.SwapOwned(ctx, newKey(), "alice", []byte("a"), []byte("c"), hour()) }, store.ErrUpdate, 1, 3},
		{"other_owner", func() error { return e.s.SwapOwned(ctx, k, "bob", []byte("b"), []byte("c"), hour()) }, nil, 2, 3},
		{"no_owner", func() error { return e.s.SwapOwned(ctx, k, "", []byte("c"), []byte("d"), hour()) }, nil, 2, 2},
		{"owner_again", func() error { return e.s.SwapOwned(ctx, k, "alice", []byte("d"), []byte("e"), hour()) }, nil, 1, 2},
	}
	for _, tc := range tests {
		trips := e.trip()
		if err := tc.call(); !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
		}
		want := tc.single
		if e.split {
			want = tc.split
		}
		if got := e.trip() - trips; got != want {
			t.Errorf("%s: %d round trips, want %d", tc.name, got, want)
		}
	}
	list, err := e.s.ListOwned(ctx, "alice")
	if err != nil || len(list) != 1 || string(list[0].Data) != "e" {
		t.Errorf("ListOwned(alice) = %v, %v; want the swapped record", list, err)
	}
	if list, err := e.s.ListOwned(ctx, "bob"); err != nil || len(list) != 0 {
		t.Errorf("ListOwned(bob) = %v, %v; want nothing", list, err)
	}
}

// testSwapRoundTrips counts what Swap sends: one EVAL, one round trip,
// whatever the outcome, on a single node and a Cluster alike.
func testSwapRoundTrips(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	mustSave(t, e, k, []byte("a"), hour(), true)
	if err := e.client.Ping(ctx).Err(); err != nil { // the handshake is not the store's
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		call     func() error
		want     error
		commands int // on miniredis: EVAL and the commands its script runs
	}{
		{"swap", func() error { return e.s.Swap(ctx, k, []byte("a"), []byte("b"), hour()) }, nil, 3},
		{"swap_changed", func() error { return e.s.Swap(ctx, k, []byte("a"), []byte("c"), hour()) }, store.ErrChanged, 2},
		{"swap_missing", func() error { return e.s.Swap(ctx, newKey(), []byte("a"), []byte("c"), hour()) }, store.ErrUpdate, 2},
		{"swap_past_expiry", func() error {
			return e.s.Swap(ctx, k, []byte("b"), []byte("c"), time.Now().Add(-time.Second))
		}, nil, 3},
	}
	for _, tc := range tests {
		trips := e.trip()
		var commands int
		if e.mr != nil {
			commands = e.commands()
		}
		if err := tc.call(); !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if got := e.trip() - trips; got != 1 {
			t.Errorf("%s: %d round trips, want 1", tc.name, got)
		}
		if e.mr == nil {
			continue
		}
		if got := e.commands() - commands; got != tc.commands {
			t.Errorf("%s: miniredis counted %d commands, want %d", tc.name, got, tc.commands)
		}
	}
	wantData(t, e, k, nil)
}

// testSwapTTL checks that a swap sets the key's native TTL to the new
// expiry, as Save does (S09).
func testSwapTTL(t *testing.T, e *env) {
	ctx := context.Background()
	k := newKey()
	mustSave(t, e, k, []byte("a"), hour(), true)
	expiry := time.Now().Add(5*time.Hour + 321*time.Millisecond)
	if err := e.s.Swap(ctx, k, []byte("a"), []byte("b"), expiry); err != nil {
		t.Fatal(err)
	}
	wantData(t, e, k, []byte("b"))
	wantExpiry(t, e, k, expiry)
}

// BenchmarkSwap is BenchmarkSaveUpdate's save done as a swap: the same one
// round trip, with the old payload sent along and compared by the script.
func BenchmarkSwap(b *testing.B) {
	s, ctx, k := benchStore(b), context.Background(), newKey()
	if err := s.Save(ctx, k, benchData, hour(), true); err != nil {
		b.Fatal(err)
	}
	expiry := hour()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Swap(ctx, k, benchData, benchData, expiry); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveOwnedUpdate and BenchmarkSwapOwned compare the two ways a
// Manager with Config.OwnerKey can save a session it loaded: SaveOwned
// and SwapOwned, each one script on a single node (SwapOwned also
// compares the record with what was loaded).
func BenchmarkSaveOwnedUpdate(b *testing.B) {
	benchOwnedUpdate(b, func(s *redisstore.Store, ctx context.Context, k string, expiry time.Time) error {
		return s.SaveOwned(ctx, k, "owner", benchData, expiry, false)
	})
}

func BenchmarkSwapOwned(b *testing.B) {
	benchOwnedUpdate(b, func(s *redisstore.Store, ctx context.Context, k string, expiry time.Time) error {
		return s.SwapOwned(ctx, k, "owner", benchData, benchData, expiry)
	})
}

// benchOwnedUpdate times update of a record of owner "owner" holding
// benchData.
func benchOwnedUpdate(b *testing.B, update func(s *redisstore.Store, ctx context.Context, k string, expiry time.Time) error) {
	s, ctx, k := benchStore(b), context.Background(), newKey()
	if err := s.SaveOwned(ctx, k, "owner", benchData, hour(), true); err != nil {
		b.Fatal(err)
	}
	expiry := hour()
	b.ReportAllocs()
	for b.Loop() {
		if err := update(s, ctx, k, expiry); err != nil {
			b.Fatal(err)
		}
	}
}
