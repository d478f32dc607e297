package session

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// tallyKeys are the fields of tally, every one an int64.
var tallyKeys = []string{"n", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"}

// tally is a hand-written bound type with the methods the merge needs from
// a generated one, codec.Fields and codec.Tracked, so the merge rules are
// tested here without depending on sessiongen's output. Its accessors
// record use as generated ones do: Get reads, Set writes, Delete deletes,
// Modify modifies (and is replayed).
type tally struct {
	s    *Session
	vals map[string]int64 // present fields
	use  map[string]codec.Use
	mods map[string][]func(*int64)
	// noUse makes FieldUse report 0 for every key, as a type that does not
	// know what a request did.
	noUse bool
}

// untracked hides tally's codec.Tracked: a bound type that records no use.
type untracked struct{ codec.Fields }

// bindTally binds s to a tally (or, with hide, to one that hides its
// use), loading the session first, as Bind does for a generated view.
func bindTally(ctx context.Context, s *Session, hide bool) (*tally, error) {
	if s.fields != nil {
		return nil, fmt.Errorf("session already bound")
	}
	if err := s.Load(ctx); err != nil {
		return nil, err
	}
	t := &tally{s: s, vals: map[string]int64{}, use: map[string]codec.Use{}, mods: map[string][]func(*int64){}}
	s.raw = codec.DecodeRaw(t, s.raw, s.warnField)
	s.fields = t
	if hide {
		s.fields = untracked{t}
	}
	return t, nil
}

func (t *tally) mark(key string, u codec.Use) {
	t.use[key] |= u
	if u == codec.UseRead {
		t.s.accessed = true
		return
	}
	t.s.markModified()
}

// Get returns the field's value and whether it is present.
func (t *tally) Get(key string) (int64, bool) {
	t.mark(key, codec.UseRead)
	v, ok := t.vals[key]
	return v, ok
}

func (t *tally) Set(key string, v int64) {
	t.mark(key, codec.UseWritten)
	t.vals[key] = v
}

func (t *tally) Delete(key string) {
	t.mark(key, codec.UseDeleted)
	delete(t.vals, key)
}

// Modify changes the field through fn (on 0 when absent) and keeps fn for
// Replay.
func (t *tally) Modify(key string, fn func(*int64)) {
	t.mark(key, codec.UseModified)
	v := t.vals[key]
	fn(&v)
	t.vals[key] = v
	t.mods[key] = append(t.mods[key], fn)
}

func (t *tally) FieldCount() int { return len(t.vals) }

func (t *tally) EncodeFields(w *codec.Writer) error {
	for _, k := range tallyKeys {
		if v, ok := t.vals[k]; ok {
			w.Key(k)
			w.Int(v)
		}
	}
	return w.Err()
}

func (t *tally) DecodeField(key, value []byte) (bool, error) {
	if !slices.Contains(tallyKeys, string(key)) {
		return false, nil
	}
	r := codec.NewReader(value)
	v := r.Int()
	if err := r.Done(); err != nil {
		return true, err
	}
	t.vals[string(key)] = v
	return true, nil
}

func (t *tally) ResetFields() {
	for k := range t.vals {
		t.use[k] |= codec.UseDeleted
	}
	clear(t.vals)
}

func (t *tally) AppendFieldKeys(dst []string) []string {
	for _, k := range tallyKeys {
		if _, ok := t.vals[k]; ok {
			dst = append(dst, k)
		}
	}
	return dst
}

func (t *tally) FieldUse(key string) codec.Use {
	if t.noUse {
		return 0
	}
	return t.use[key]
}

// Replay applies the key's Modify calls to cur, decoded as Modify's fn
// sees it (0 when absent).
func (t *tally) Replay(key string, cur []byte) ([]byte, error) {
	var v int64
	if cur != nil {
		if err := msgpack.Unmarshal(cur, &v); err != nil {
			return nil, fmt.Errorf("tally: decode %q: %w", key, err)
		}
	}
	for _, fn := range t.mods[key] {
		fn(&v)
	}
	var buf bytes.Buffer
	err := msgpack.NewEncoder(&buf).EncodeInt(v) // as EncodeFields writes it
	return buf.Bytes(), err
}
