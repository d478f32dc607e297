package sessiontest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// Sizes of the create race: many keys, each created by several goroutines
// released together, so that a store which checks for the key and then
// writes it in a separate step lets two creates through on some key. The
// keys race in rounds, so that no more than raceRound*raceRacers calls
// (database connections) are in flight at once.
const (
	raceKeys    = 32
	raceRound   = 4
	raceRacers  = 6
	maxReported = 3
)

// raceCreates checks that of several concurrent Save(create) calls of one
// key exactly one succeeds, the others get ErrCreate, and the record is
// the winner's.
func raceCreates(t *testing.T, st store.Store) {
	t.Helper()
	type result struct {
		key   string
		racer int
		err   error
	}
	ctx := context.Background()
	expiry := time.Now().Add(time.Hour)
	keys := make([]string, raceKeys)
	for i := range keys {
		keys[i] = newKey("race")
	}
	results := make(chan result, raceKeys*raceRacers)
	for round := range slices.Chunk(keys, raceRound) {
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, key := range round {
			for r := range raceRacers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					err := st.Save(ctx, key, []byte(racerData(r)), expiry, true)
					results <- result{key, r, err}
				}()
			}
		}
		close(start)
		wg.Wait()
	}
	close(results)

	wins := map[string][]int{}
	reported := 0
	for res := range results {
		switch {
		case res.err == nil:
			wins[res.key] = append(wins[res.key], res.racer)
		case !errors.Is(res.err, store.ErrCreate) && reported < maxReported:
			reported++
			t.Errorf("concurrent Save(create) of one key = %v; want nil or ErrCreate", res.err)
		}
	}
	reported = 0
	for _, key := range keys {
		w := wins[key]
		if len(w) != 1 {
			if reported < maxReported {
				t.Errorf("%d concurrent Save(create) of one key: %d succeeded; want exactly 1 (the others ErrCreate)%s", raceRacers, len(w), checkThenAct(len(w)))
			}
			reported++
			continue
		}
		if data, _ := load(t, st, key); string(data) != racerData(w[0]) {
			t.Errorf("Load after %d concurrent Save(create) = %q; want the winner's %q", raceRacers, data, racerData(w[0]))
		}
	}
	if reported > maxReported {
		t.Errorf("… and %d more keys created more than once (of %d)", reported-maxReported, raceKeys)
	}
}

// checkThenAct explains n > 1 successful creates.
func checkThenAct(n int) string {
	if n > 1 {
		return ": the store checks for the key and writes it in two steps"
	}
	return ""
}

func racerData(r int) string { return fmt.Sprintf("racer%d", r) }
