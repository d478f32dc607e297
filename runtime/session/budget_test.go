package session_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
)

// TestMergeReplayHasItsOwnBudget: the fields decoded from one record share
// one width budget (codec.MaxElements), and a merged save's replays decode
// from another record, the one stored meanwhile, with a budget of their
// own. Here the request reads a field three quarters as wide as the budget
// and changes it with ModifyTags; a concurrent save makes its save replay
// the change on the stored value, as wide again: counted with what the
// request loaded, it would be refused with codec.ErrTooWide.
func TestMergeReplayHasItsOwnBudget(t *testing.T) {
	const share = codec.MaxElements * 3 / 4
	e, _, _, key := swapEnv(t)
	seed := e.load(t, key)
	seed.SetTags(make([]string, share))
	save(t, seed)

	a, b := e.load(t, key), e.load(t, key)
	if n := len(a.Tags()); n != share {
		t.Fatalf("loaded %d tags, want %d", n, share)
	}
	a.ModifyTags(func(tags *[]string) { *tags = append(*tags, "a") })
	b.SetCount(1)
	save(t, b)
	save(t, a) // merges with b's save: replays ModifyTags on the stored tags

	p := e.load(t, key)
	if tags := p.Tags(); len(tags) != share+1 || tags[share] != "a" || p.Count() != 1 {
		t.Errorf("stored %d tags (last %q), count %d; want %d (last \"a\"), 1", len(tags), tags[len(tags)-1], p.Count(), share+1)
	}
}
