package session

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

const mergeSecret = "merge-rules-test-secret-0123456789abcdef"

// mergeEnv is a Manager over a memstore (a store.Swapper) whose requests
// bind a tally.
type mergeEnv struct {
	m  *Manager
	st *memstore.Store
}

func newMergeEnv(t testing.TB, mod func(*Config)) *mergeEnv {
	t.Helper()
	e := &mergeEnv{st: memstore.NewWithCleanup(0)}
	cfg := Config{Store: e.st, Secret: mergeSecret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if mod != nil {
		mod(&cfg)
	}
	m, err := NewManager(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	return e
}

// seed stores a session holding vals and returns its key.
func (e *mergeEnv) seed(t testing.TB, vals map[string]int64) string {
	t.Helper()
	s := e.m.Open("")
	tl, err := bindTally(context.Background(), s, false)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vals {
		tl.Set(k, v)
	}
	if err := s.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s.Key()
}

// serve runs one request carrying key through the middleware. Its handler
// binds a tally (hiding its codec.Tracked if hide), which loads the
// session, then runs pause (if not nil) and fn. It returns the status
// code. Safe to call from several goroutines.
func (e *mergeEnv) serve(t testing.TB, key string, hide bool, pause func(), fn func(*tally)) int {
	h := e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := FromContext(r.Context())
		var tl *tally
		if err == nil {
			tl, err = bindTally(r.Context(), s, hide)
		}
		if pause != nil {
			pause()
		}
		if err != nil {
			t.Errorf("bind: %v", err)
			return
		}
		fn(tl)
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: DefaultCookieName, Value: key})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// interleave runs two requests on key: second loads the session, then
// waits while first runs to its end, then changes and saves it. So
// second's save always meets first's and must merge. It returns their
// status codes.
func (e *mergeEnv) interleave(t *testing.T, key string, hide bool, first, second func(*tally)) (int, int) {
	t.Helper()
	loaded, resume := make(chan struct{}), make(chan struct{})
	code := make(chan int, 1)
	go func() {
		code <- e.serve(t, key, hide, func() { close(loaded); <-resume }, second)
	}()
	<-loaded
	c1 := e.serve(t, key, false, nil, first)
	close(resume)
	return c1, <-code
}

// envelope returns the record stored under key, and whether there is one.
func (e *mergeEnv) envelope(t testing.TB, key string) (codec.Envelope, bool) {
	t.Helper()
	data, found, err := e.st.Load(context.Background(), StoreKey(key))
	if err != nil || !found {
		if err != nil {
			t.Fatal(err)
		}
		return codec.Envelope{}, false
	}
	env, _, err := e.m.format.Decode(data, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return env, true
}

// stored returns the fields stored under key, every one decoded as an
// integer; nil when there is no record.
func (e *mergeEnv) stored(t testing.TB, key string) map[string]int64 {
	t.Helper()
	env, found := e.envelope(t, key)
	if !found {
		return nil
	}
	m := map[string]int64{}
	for _, r := range env.Raw {
		var v int64
		if err := msgpack.Unmarshal(r.Value, &v); err != nil {
			t.Fatalf("stored %q: %v", r.Key, err)
		}
		m[r.Key] = v
	}
	return m
}

func encodedInt(t testing.TB, v int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := msgpack.NewEncoder(&buf).EncodeInt(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func plus(d int64) func(*int64)  { return func(v *int64) { *v += d } }
func times(f int64) func(*int64) { return func(v *int64) { *v *= f } }

// incr is the read-then-set the conflict rule is about: Set(Get()+1).
func incr(tl *tally, key string) {
	v, _ := tl.Get(key)
	tl.Set(key, v+1)
}

// TestMergeRules runs each rule of the merge (Session.Save) through the
// middleware: second loads the session, first changes and saves it, then
// second changes it and its save must merge with first's.
func TestMergeRules(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		lww      bool // Config.LastWriterWins
		hide     bool // second's bound type does not implement codec.Tracked
		seed     map[string]int64
		first    func(*tally)
		second   func(*tally)
		wantCode int              // second's; first always answers 200
		want     map[string]int64 // the stored fields; nil: no record
	}{
		{
			name: "blind_writes_of_distinct_fields", seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("f0", 1) }, second: func(tl *tally) { tl.Set("f1", 2) },
			wantCode: 200, want: map[string]int64{"n": 1, "f0": 1, "f1": 2},
		},
		{
			name: "blind_write_of_same_field_last_wins", seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("n", 5) }, second: func(tl *tally) { tl.Set("n", 7) },
			wantCode: 200, want: map[string]int64{"n": 7},
		},
		{
			name: "blind_delete", seed: map[string]int64{"n": 1, "f0": 1},
			first: func(tl *tally) { tl.Set("f1", 3) }, second: func(tl *tally) { tl.Delete("f0") },
			wantCode: 200, want: map[string]int64{"n": 1, "f1": 3},
		},
		{
			name: "blind_delete_over_concurrent_set", seed: map[string]int64{"n": 1, "f0": 1},
			first: func(tl *tally) { tl.Set("f0", 5) }, second: func(tl *tally) { tl.Delete("f0") },
			wantCode: 200, want: map[string]int64{"n": 1},
		},
		{
			name: "modify_replayed", seed: map[string]int64{"n": 10},
			first: func(tl *tally) { tl.Modify("n", plus(1)) }, second: func(tl *tally) { tl.Modify("n", plus(2)) },
			wantCode: 200, want: map[string]int64{"n": 13},
		},
		{
			name: "modify_replayed_on_absent_field", seed: map[string]int64{"f0": 1},
			first: func(tl *tally) { tl.Modify("n", plus(1)) }, second: func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"f0": 1, "n": 2},
		},
		{
			name: "modify_replayed_over_concurrent_set", seed: map[string]int64{"n": 10},
			first: func(tl *tally) { tl.Set("n", 100) }, second: func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"n": 101},
		},
		{
			name: "modify_replayed_over_concurrent_delete", seed: map[string]int64{"n": 10},
			first: func(tl *tally) { tl.Delete("n") }, second: func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"n": 1},
		},
		{
			name: "modifies_replayed_in_order", seed: map[string]int64{"n": 2},
			first:  func(tl *tally) { tl.Set("n", 3) },
			second: func(tl *tally) { tl.Modify("n", plus(1)); tl.Modify("n", times(10)) },
			// (3+1)*10, not 3*10+1; on what second loaded it was 30
			wantCode: 200, want: map[string]int64{"n": 40},
		},
		{
			name: "modify_after_read_replayed", seed: map[string]int64{"n": 10},
			first:    func(tl *tally) { tl.Modify("n", plus(1)) },
			second:   func(tl *tally) { tl.Get("n"); tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"n": 12},
		},
		{
			name: "read_then_set_conflicts", seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("n", 5) }, second: func(tl *tally) { incr(tl, "n") },
			wantCode: 409, want: map[string]int64{"n": 5},
		},
		{
			name: "conflict_saves_none_of_the_changes", seed: map[string]int64{"n": 1},
			first:    func(tl *tally) { tl.Set("n", 5) },
			second:   func(tl *tally) { tl.Set("f0", 9); tl.Modify("f1", plus(1)); incr(tl, "n") },
			wantCode: 409, want: map[string]int64{"n": 5},
		},
		{
			name: "read_then_delete_conflicts", seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("n", 5) },
			second: func(tl *tally) {
				if v, _ := tl.Get("n"); v == 1 {
					tl.Delete("n")
				}
			},
			wantCode: 409, want: map[string]int64{"n": 5},
		},
		{
			name: "read_then_set_of_absent_field_conflicts", seed: map[string]int64{"f0": 1},
			first: func(tl *tally) { tl.Set("n", 5) },
			second: func(tl *tally) { // a SetDefault
				if _, ok := tl.Get("n"); !ok {
					tl.Set("n", 1)
				}
			},
			wantCode: 409, want: map[string]int64{"f0": 1, "n": 5},
		},
		{
			name: "read_then_set_over_concurrent_delete_conflicts", seed: map[string]int64{"n": 1, "f0": 1},
			first: func(tl *tally) { tl.Delete("n") }, second: func(tl *tally) { incr(tl, "n") },
			wantCode: 409, want: map[string]int64{"f0": 1},
		},
		{
			name: "modify_then_set_conflicts", seed: map[string]int64{"n": 1},
			first:    func(tl *tally) { tl.Modify("n", plus(1)) },
			second:   func(tl *tally) { tl.Modify("n", plus(1)); tl.Set("n", 0) },
			wantCode: 409, want: map[string]int64{"n": 2},
		},
		{
			name: "read_then_set_of_field_left_alone_merges", seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("f0", 1) }, second: func(tl *tally) { incr(tl, "n") },
			wantCode: 200, want: map[string]int64{"n": 2, "f0": 1},
		},
		{
			name: "field_only_read_keeps_concurrent_value", seed: map[string]int64{"n": 1},
			first:    func(tl *tally) { tl.Set("n", 5) },
			second:   func(tl *tally) { tl.Get("n"); tl.Set("f0", 1) },
			wantCode: 200, want: map[string]int64{"n": 5, "f0": 1},
		},
		{
			name: "last_writer_wins_overwrites_read_then_set", lww: true, seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("n", 5) }, second: func(tl *tally) { incr(tl, "n") },
			wantCode: 200, want: map[string]int64{"n": 2},
		},
		{
			name: "last_writer_wins_still_replays_modify", lww: true, seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Modify("n", plus(1)) }, second: func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"n": 3},
		},
		{
			name: "untracked_type_last_writer_wins", hide: true, seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("n", 5) }, second: func(tl *tally) { incr(tl, "n") },
			wantCode: 200, want: map[string]int64{"n": 2},
		},
		{
			name: "untracked_type_modify_last_writer_wins", hide: true, seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Modify("n", plus(1)) }, second: func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 200, want: map[string]int64{"n": 2},
		},
		{
			name: "untracked_type_keeps_fields_left_alone", hide: true, seed: map[string]int64{"n": 1},
			first: func(tl *tally) { tl.Set("f0", 1) }, second: func(tl *tally) { tl.Set("f1", 2) },
			wantCode: 200, want: map[string]int64{"n": 1, "f0": 1, "f1": 2},
		},
		{
			name: "use_0_last_writer_wins", seed: map[string]int64{"n": 1},
			first:    func(tl *tally) { tl.Set("n", 5) },
			second:   func(tl *tally) { tl.noUse = true; incr(tl, "n") },
			wantCode: 200, want: map[string]int64{"n": 2},
		},
		{
			name: "raw_field_last_writer_wins", seed: map[string]int64{"n": 1},
			first: func(tl *tally) {
				if err := tl.s.SetRawField(ctx, "x", encodedInt(t, 1)); err != nil {
					t.Error(err)
				}
			},
			second: func(tl *tally) {
				if _, _, err := tl.s.RawField(ctx, "x"); err != nil {
					t.Error(err)
				}
				if err := tl.s.SetRawField(ctx, "x", encodedInt(t, 2)); err != nil {
					t.Error(err)
				}
			},
			wantCode: 200, want: map[string]int64{"n": 1, "x": 2},
		},
		{
			name: "clear_deletes_what_it_loaded", seed: map[string]int64{"n": 1, "f0": 1},
			first: func(tl *tally) { tl.Set("f1", 2) }, second: func(tl *tally) { tl.s.Clear() },
			wantCode: 200, want: map[string]int64{"f1": 2},
		},
		{
			name: "flush_meanwhile_interrupts", seed: map[string]int64{"n": 1},
			first: func(tl *tally) {
				if err := tl.s.Flush(ctx); err != nil {
					t.Error(err)
				}
			},
			second:   func(tl *tally) { tl.Modify("n", plus(1)) },
			wantCode: 400, want: nil,
		},
		{
			name: "cycle_meanwhile_interrupts", seed: map[string]int64{"n": 1},
			first: func(tl *tally) {
				if err := tl.s.Cycle(ctx); err != nil {
					t.Error(err)
				}
			},
			second:   func(tl *tally) { tl.Set("f0", 1) },
			wantCode: 400, want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMergeEnv(t, func(c *Config) { c.LastWriterWins = tt.lww })
			key := e.seed(t, tt.seed)
			c1, c2 := e.interleave(t, key, tt.hide, tt.first, tt.second)
			if c1 != http.StatusOK || c2 != tt.wantCode {
				t.Errorf("status codes %d, %d; want 200, %d", c1, c2, tt.wantCode)
			}
			if diff := cmp.Diff(tt.want, e.stored(t, key)); diff != "" {
				t.Errorf("stored fields (-want +got):\n%s", diff)
			}
		})
	}
}

// A ModifyX whose replay fails (the concurrent save left a value of
// another type, as a newer release might) fails the save: nothing of it is
// stored, and the other request's value stays.
func TestMergeReplayFailureSavesNothing(t *testing.T) {
	e := newMergeEnv(t, nil)
	key := e.seed(t, map[string]int64{"n": 1})
	loaded, resume := make(chan struct{}), make(chan struct{})
	code := make(chan int, 1)
	go func() {
		code <- e.serve(t, key, false, func() { close(loaded); <-resume }, func(tl *tally) {
			tl.Modify("n", plus(1))
			tl.Set("f0", 1)
		})
	}()
	<-loaded
	// A release that stores "n" as a string.
	s := e.m.Open(key)
	str, err := msgpack.Marshal("ten")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRawField(context.Background(), "n", str); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(resume)
	if got := <-code; got != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", got)
	}
	env, _ := e.envelope(t, key)
	want := []codec.RawField{{Key: "n", Value: str}}
	if diff := cmp.Diff(want, env.Raw); diff != "" {
		t.Errorf("stored fields (-want +got):\n%s", diff)
	}
}

// TestMergeMetadata: an explicit expiry change is the request's that made
// it, a concurrent one survives a save that did not change it, and the
// creation time is kept.
func TestMergeMetadata(t *testing.T) {
	idle := func(d time.Duration) func(*tally) {
		return func(tl *tally) { tl.s.SetExpiry(ExpireAfterIdle(d)) }
	}
	tests := []struct {
		name          string
		first, second func(*tally)
		wantIdle      int64
	}{
		{"concurrent_expiry_kept", idle(2 * time.Hour), func(tl *tally) { tl.Modify("n", plus(1)) }, 7200},
		{"own_expiry_change_wins", idle(2 * time.Hour), idle(3 * time.Hour), 3 * 3600},
		{"own_expiry_over_field_change", func(tl *tally) { tl.Set("f0", 1) }, idle(3 * time.Hour), 3 * 3600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMergeEnv(t, nil)
			key := e.seed(t, map[string]int64{"n": 1})
			before, _ := e.envelope(t, key)
			if c1, c2 := e.interleave(t, key, false, tt.first, tt.second); c1 != 200 || c2 != 200 {
				t.Fatalf("status codes %d, %d; want 200, 200", c1, c2)
			}
			env, _ := e.envelope(t, key)
			if env.Expiry != codec.ExpiryIdle || env.IdleSeconds != tt.wantIdle {
				t.Errorf("expiry kind %d, %d s; want idle, %d s", env.Expiry, env.IdleSeconds, tt.wantIdle)
			}
			if !env.Created.Equal(before.Created) {
				t.Errorf("created %v, want %v kept", env.Created, before.Created)
			}
		})
	}
}

// A Session from Manager.Open that merged on one save keeps its own typed
// values, without the concurrent changes, and its field use covers both
// saves. Its later save replays no ModifyX call (the merged record already
// holds the earlier ones): a field it modified is checked, and conflicts
// when its view of it is stale; blind writes still merge.
func TestOpenSessionSavedAgainAfterMerge(t *testing.T) {
	ctx := context.Background()
	e := newMergeEnv(t, nil)
	key := e.seed(t, map[string]int64{"n": 1})
	a, b := e.m.Open(key), e.m.Open(key)
	ta, err := bindTally(ctx, a, false)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := bindTally(ctx, b, false)
	if err != nil {
		t.Fatal(err)
	}
	ta.Modify("n", plus(1))
	if err := a.Save(ctx); err != nil {
		t.Fatal(err)
	}
	tb.Modify("n", plus(1))
	if err := b.Save(ctx); err != nil { // merges: replays +1 on a's 2
		t.Fatal(err)
	}
	tb.Set("f0", 1)
	if err := b.Save(ctx); err != nil {
		t.Fatalf("blind write after a merge: %v", err)
	}
	if diff := cmp.Diff(map[string]int64{"n": 3, "f0": 1}, e.stored(t, key)); diff != "" {
		t.Errorf("stored fields (-want +got):\n%s", diff)
	}
	tb.Modify("n", plus(1)) // on b's view, 2: without a's increment
	if err := b.Save(ctx); !errors.Is(err, ErrConflict) {
		t.Errorf("save of a stale modified field: %v, want ErrConflict", err)
	}
	if diff := cmp.Diff(map[string]int64{"n": 3, "f0": 1}, e.stored(t, key)); diff != "" {
		t.Errorf("stored fields (-want +got):\n%s", diff)
	}
}

// A field the request only read can still differ in bytes from the
// loaded record, when its type encodes it again differently (here an
// integer stored in 9 bytes, written back in 1): that is no change, so a
// concurrent save's value for it stays, with no conflict.
func TestMergeKeepsFieldOnlyRead(t *testing.T) {
	ctx := context.Background()
	e := newMergeEnv(t, nil)
	s := e.m.Open("")
	if err := s.SetRawField(ctx, "n", []byte{0xd3, 0, 0, 0, 0, 0, 0, 0, 1}); err != nil { // int64 1, full width
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	key := s.Key()
	c1, c2 := e.interleave(t, key, false,
		func(tl *tally) { tl.Set("n", 5) },
		func(tl *tally) {
			if v, _ := tl.Get("n"); v == 1 {
				tl.Set("f0", 1)
			}
		})
	if c1 != http.StatusOK || c2 != http.StatusOK {
		t.Errorf("status codes %d, %d; want 200, 200", c1, c2)
	}
	if diff := cmp.Diff(map[string]int64{"n": 5, "f0": 1}, e.stored(t, key)); diff != "" {
		t.Errorf("stored fields (-want +got):\n%s", diff)
	}
}
