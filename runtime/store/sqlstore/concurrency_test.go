package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// TestConcurrentCreate races several creates of one key: the database's
// primary key must let exactly one win and turn the rest into ErrCreate.
func TestConcurrentCreate(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		const racers = 8
		for round := range 5 {
			key := testKey(t)
			errs := make([]error, racers)
			var wg sync.WaitGroup
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = s.Save(ctx, key, fmt.Appendf(nil, "%d", i), time.Now().Add(time.Hour), true)
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

// TestConcurrentUpdateDelete races updates against a delete of the same
// key: once the delete is done, no later update may bring the row back.
func TestConcurrentUpdateDelete(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		key := testKey(t)
		exp := time.Now().Add(time.Hour)
		if err := s.Save(ctx, key, []byte("0"), exp, true); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Save(ctx, key, fmt.Appendf(nil, "%d", i), exp, false)
				if err != nil && !errors.Is(err, store.ErrUpdate) {
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
		if ok, err := s.Exists(ctx, key); err != nil || ok {
			t.Errorf("Exists after delete = %v, %v; the session was resurrected", ok, err)
		}
	})
}
