package session

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// concurrentClients send their requests on one session at once, each
// client its requests in a row, through the middleware (run with -race).
const concurrentClients, requestsPerClient = 8, 20

// runClients runs concurrentClients goroutines each serving
// requestsPerClient requests on key, fn(tl, client, request) in each, and
// returns the status codes by client and request. The clients' requests go
// in rounds: in each, every request loads the session and waits until all
// have loaded it before fn, so every save but one of a round meets another
// and merges.
func runClients(t *testing.T, e *mergeEnv, key string, fn func(tl *tally, c, r int)) [][]int {
	t.Helper()
	codes := make([][]int, concurrentClients)
	loaded := make([]sync.WaitGroup, requestsPerClient)
	for r := range loaded {
		loaded[r].Add(concurrentClients)
	}
	var wg sync.WaitGroup
	for c := range concurrentClients {
		codes[c] = make([]int, requestsPerClient)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range requestsPerClient {
				pause := func() { loaded[r].Done(); loaded[r].Wait() }
				codes[c][r] = e.serve(t, key, false, pause, func(tl *tally) { fn(tl, c, r) })
			}
		}()
	}
	wg.Wait()
	return codes
}

// count returns how many codes are 200, failing the test for any that is
// neither 200 nor 409 (ErrConflict).
func count(t *testing.T, codes [][]int) int {
	t.Helper()
	ok := 0
	for c, cs := range codes {
		for r, code := range cs {
			switch code {
			case http.StatusOK:
				ok++
			case http.StatusConflict:
			default:
				t.Errorf("client %d request %d: status %d, want 200 or 409", c, r, code)
			}
		}
	}
	return ok
}

// TestConcurrentRequestsMerge: real concurrent requests through the
// middleware on one session, over memstore. Every request answered 200 has
// its change in the store; any other answers 409.
func TestConcurrentRequestsMerge(t *testing.T) {
	t.Run("modify_increments_add_up", func(t *testing.T) {
		e := newMergeEnv(t, nil)
		key := e.seed(t, map[string]int64{"n": 0})
		ok := count(t, runClients(t, e, key, func(tl *tally, _, _ int) { tl.Modify("n", plus(1)) }))
		if got := e.stored(t, key)["n"]; got != int64(ok) {
			t.Errorf("n = %d, want %d: one per request answered 200", got, ok)
		}
	})
	t.Run("read_then_set_increments_add_up_or_conflict", func(t *testing.T) {
		e := newMergeEnv(t, nil)
		key := e.seed(t, map[string]int64{"n": 0})
		ok := count(t, runClients(t, e, key, func(tl *tally, _, _ int) { incr(tl, "n") }))
		if got := e.stored(t, key)["n"]; got != int64(ok) {
			t.Errorf("n = %d, want %d: one per request answered 200", got, ok)
		}
	})
	t.Run("blind_writes_of_distinct_fields_survive", func(t *testing.T) {
		e := newMergeEnv(t, nil)
		key := e.seed(t, map[string]int64{"n": 0})
		codes := runClients(t, e, key, func(tl *tally, c, r int) { tl.Set(fmt.Sprintf("f%d", c), int64(r)) })
		count(t, codes)
		want := map[string]int64{"n": 0}
		for c, cs := range codes {
			for r, code := range cs {
				if code == http.StatusOK {
					want[fmt.Sprintf("f%d", c)] = int64(r) // the client's last request answered 200
				}
			}
		}
		if diff := cmp.Diff(want, e.stored(t, key)); diff != "" {
			t.Errorf("stored fields (-want +got):\n%s", diff)
		}
	})
}
