package filestore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// TestConcurrentCreate races creates of one key, both through one Store and
// through separate Stores over the same directory (as separate processes
// would be, with no lock in common): exactly one create may win.
func TestConcurrentCreate(t *testing.T) {
	shared := newStore(t)
	tests := map[string]func(i int) *Store{
		"one store": func(int) *Store { return shared },
		"separate stores": func(int) *Store {
			s, err := New(shared.dir)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, storeFor := range tests {
		t.Run(name, func(t *testing.T) {
			const racers = 8
			stores := make([]*Store, racers)
			for i := range stores {
				stores[i] = storeFor(i)
			}
			for round := range 20 {
				key := testKey(t)
				errs := make([]error, racers)
				var wg sync.WaitGroup
				for i := range racers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = stores[i].Save(context.Background(), key, fmt.Appendf(nil, "%d", i), time.Now().Add(time.Hour), true)
					}()
				}
				wg.Wait()
				won := 0
				for _, err := range errs {
					switch {
					case err == nil:
						won++
					case !errors.Is(err, store.ErrCreate):
						t.Errorf("round %d: unexpected error %v", round, err)
					}
				}
				if won != 1 {
					t.Errorf("round %d: %d creates succeeded, want exactly 1", round, won)
				}
			}
		})
	}
}

// TestConcurrentReadWrite has readers and writers on the same keys: a
// reader must always see a complete payload, never a torn or empty one.
func TestConcurrentReadWrite(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	keys := []string{testKey(t), testKey(t)}
	payload := func(i int) []byte { return []byte(fmt.Sprintf("payload-%04d-%s", i, string(make([]byte, 4096)))) }
	for _, k := range keys {
		if err := s.Save(ctx, k, payload(0), time.Now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := s.Save(ctx, keys[w%2], payload(i), time.Now().Add(time.Hour), false); err != nil {
					t.Errorf("update: %v", err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				data, found, err := s.Load(ctx, keys[w%2])
				if err != nil || !found || len(data) != len(payload(0)) {
					t.Errorf("Load = %d bytes, %v, %v; want a complete payload", len(data), found, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestUpdateAfterDelete is C33 at the store level: once Delete returned,
// no update may bring the session back.
func TestUpdateAfterDelete(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	key := testKey(t)
	exp := time.Now().Add(time.Hour)
	if err := s.Save(ctx, key, []byte("0"), exp, true); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Save(ctx, key, fmt.Appendf(nil, "%d", i), exp, false); err != nil && !errors.Is(err, store.ErrUpdate) {
				t.Errorf("update: %v", err)
			}
		}()
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := s.Save(ctx, key, []byte("late"), exp, false); !errors.Is(err, store.ErrUpdate) {
		t.Errorf("update after delete = %v, want ErrUpdate", err)
	}
	if ok, _ := s.Exists(ctx, key); ok {
		t.Error("the session was resurrected")
	}
}
