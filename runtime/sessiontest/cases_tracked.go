package sessiontest

import (
	"net/http"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

// mergeRounds is how many times C96–C98 repeat their concurrent requests
// on one session.
const mergeRounds = 4

// trackedCases are C96–C98: concurrent requests through the middleware
// using the generated accessors, which record what each request did with
// each field, so that its save merges by the rules of session.Session.Save.
var trackedCases = []testCase{
	{"C96", "concurrent_blind_writes_all_survive", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(0); p.SetTags(nil) })
		for round := range mergeRounds {
			name, tags := string(rune('a'+round)), []string{string(rune('a' + round))}
			h.wantStatuses(h.concurrently(key,
				func(p *probe.Session) { p.SetName(name) },
				func(p *probe.Session) { p.SetCount(int64(round)) },
				func(p *probe.Session) { p.SetTags(tags) },
			), http.StatusOK)
			h.wantFields(key, map[string]string{"name": h.encoded(name), "count": h.encoded(int64(round)), "tags": h.encoded(tags)})
		}
	}},
	{"C97", "concurrent_modify_increments_exact", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		inc := func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) }
		fns := make([]func(*probe.Session), concurrentRequests)
		for i := range fns {
			fns[i] = inc
		}
		for range mergeRounds {
			h.wantStatuses(h.concurrently(key, fns...), http.StatusOK)
		}
		h.wantFields(key, map[string]string{"name": h.encoded("Ada"), "count": h.encoded(int64(mergeRounds * concurrentRequests))})
	}},
	{"C98", "read_then_set_conflict_or_stored", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(0) })
		incr := func(p *probe.Session) { p.SetCount(p.Count() + 1) }
		fns := make([]func(*probe.Session), concurrentRequests)
		for i := range fns {
			fns[i] = incr
		}
		ok := 0
		for round := range mergeRounds {
			won := 0
			for i, code := range h.concurrently(key, fns...) {
				switch code {
				case http.StatusOK:
					won++
				case http.StatusConflict:
				default:
					t.Errorf("round %d request %d: status %d, want 200 or 409 (session.ErrConflict)", round, i, code)
				}
			}
			// Every request read the count before any saved: the first
			// save wins, every other finds the count changed.
			if won != 1 {
				t.Errorf("round %d: %d requests answered 200, want 1", round, won)
			}
			ok += won
		}
		h.wantFields(key, map[string]string{"name": h.encoded("Ada"), "count": h.encoded(int64(ok))})
	}},
}
