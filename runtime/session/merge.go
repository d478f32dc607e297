package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/store"
)

// mergeAttempts bounds how often a save reloads the record and merges
// after a concurrent save changed it. Each failed swap means another
// request saved in between, so with up to mergeAttempts+1 requests saving
// one session at once every one of them gets through; beyond that a request
// may give up with ErrConflict instead of retrying without end.
const mergeAttempts = 10

// swap saves data over the record this request loaded, with store.Swapper,
// so a concurrent save is never silently overwritten.
//
// Uncontended, it is the one store call a plain update is. When another
// request saved meanwhile (store.ErrChanged), the record is reloaded and
// this request's changes are re-applied to it field by field, by the rules
// of mergeRule: a field set without being read is written over the current
// value, a ModifyX change is replayed on it, a field read and then set
// conflicts (ErrConflict) if the other request changed it too; every field
// this request did not change, including keys this binary does not know,
// keeps what the other request stored.
//
// A record deleted meanwhile (a logout, a Cycle) makes Swap fail with
// store.ErrUpdate, as Save does: nothing is resurrected.
func (s *Session) swap(ctx context.Context, sw store.Swapper, data []byte, expiry time.Time) error {
	key := s.storeKey()
	err := s.swapRecord(ctx, sw, key, s.loaded0, data, expiry)
	if !errors.Is(err, store.ErrChanged) {
		if err == nil {
			s.keepSaved(data)
		}
		return err
	}
	ch, err := s.changes(data)
	if err != nil {
		return fmt.Errorf("merge with a concurrent save: %w", err)
	}
	for range mergeAttempts {
		cur, found, err := s.m.store.Load(ctx, key)
		if err != nil {
			return fmt.Errorf("reload after a concurrent save: %w", err)
		}
		if !found {
			return fmt.Errorf("reload after a concurrent save: %w", store.ErrUpdate)
		}
		err = s.swapMerged(ctx, sw, key, cur, ch, data)
		if !errors.Is(err, store.ErrChanged) {
			return err
		}
	}
	return fmt.Errorf("%w (gave up after %d merges)", ErrConflict, mergeAttempts)
}

// swapMerged swaps cur, the record as it is now, for cur with ch applied.
// A cur this Manager cannot read (corrupt, or signed with a secret it does
// not know) is replaced by data, this request's whole session, as a save
// without a Swapper would.
func (s *Session) swapMerged(ctx context.Context, sw store.Swapper, key string, cur []byte, ch changes, data []byte) error {
	// The fields of cur are used (kept, replayed onto, compared): the
	// digest of each detached value is checked here, and one that fails is
	// dropped and reported as forged, as a load would.
	env, _, err := s.m.format.Decode(cur, nil, s.warnField)
	if err != nil {
		// Forged or corrupt data, as a load would report it.
		s.m.security.LogAttrs(ctx, slog.LevelWarn, "typedsession: concurrent save left a record this manager cannot read; replacing it",
			append(s.requestAttrs(), slog.String("err", err.Error()))...)
		s.m.observeSecurity(ctx, err)
		err = s.swapRecord(ctx, sw, key, cur, data, s.expiryDate())
		if err == nil {
			s.keepSaved(data)
		}
		return err
	}
	meta := ch.mergeMeta(env.Meta)
	// Replays decode from cur, a record of its own, with a budget of its
	// own; the loaded record's goes on where it was.
	loaded := s.fieldReader
	s.startRecord()
	raw, err := ch.apply(env.Raw)
	s.fieldReader = loaded
	if err != nil {
		return err
	}
	bp := payloads.Get().(*[]byte)
	defer release(bp)
	merged, err := s.m.format.Encode((*bp)[:0], &meta, nil, raw)
	if err != nil {
		return err
	}
	*bp = merged[:0]
	mine := s.meta
	s.meta = meta // expiryDate and the cookie follow the merged metadata
	if err = s.swapRecord(ctx, sw, key, cur, merged, s.expiryDate()); err != nil {
		s.meta = mine
		return err
	}
	// The typed fields do not hold what the other request stored, so a
	// later save of this Session (Manager.Open) must not compare with the
	// merged record: it would read their absence as deletions. It compares
	// with data, what this Session holds: its swap then fails, and it
	// re-applies only what changed since onto the record as it is then.
	s.keepSaved(data)
	return nil
}

// keepSaved makes data what a later save of the same Session compares
// with. Only a session from Manager.Open is saved more than once; the
// middleware saves once per request and needs no copy.
func (s *Session) keepSaved(data []byte) {
	s.swapped = true
	if s.r != nil {
		s.loaded0 = nil
		return
	}
	s.loaded0 = slices.Clone(data)
}

// changes is what one request changed in its session, at the level of
// encoded fields: comparing the record it loaded with the record it would
// save.
type changes struct {
	fields  []fieldChange
	tracked codec.Tracked // the bound type, if it tracks use (replays come from it)
	was     codec.Meta    // the metadata as loaded
	now     codec.Meta    // the metadata as this request would save it
}

// fieldChange is one field whose encoded value this request changed, set
// or deleted.
type fieldChange struct {
	key    string
	value  []byte // as this request would save it; nil: deleted
	loaded []byte // as this request loaded it; nil: absent
	rule   mergeRule
}

// mergeRule is how a field this request changed is merged into a record a
// concurrent request saved meanwhile.
type mergeRule uint8

const (
	// overwrite writes this request's value (or deletion) over the current
	// one: a blind write, and whatever the bound type does not track.
	overwrite mergeRule = iota
	// replay applies this request's ModifyX calls to the current value.
	replay
	// check writes this request's value only if the current one is still
	// the loaded one: a value computed from what it read must not replace
	// a value it did not see (ErrConflict otherwise).
	check
	// keep leaves the current value: the request only read the field, and
	// its bytes differ merely because it was encoded again.
	keep
)

// ruleFor returns the merge rule of a field this request used as u.
// After an earlier save of the same Session (Manager.Open), u also covers
// what was done before that save, whose ModifyX calls are already in the
// record: their replay would apply them twice, so such a field is checked
// instead.
func (s *Session) ruleFor(u codec.Use) mergeRule {
	const set = codec.UseWritten | codec.UseDeleted
	switch {
	case u == 0:
		return overwrite // untracked: per-field last writer wins, as before tracking
	case u&set == 0 && u&codec.UseModified != 0 && !s.swapped:
		return replay
	case u&(set|codec.UseModified) == 0:
		return keep
	case u&(codec.UseRead|codec.UseModified) == 0 || s.m.cfg.LastWriterWins:
		return overwrite
	default:
		return check
	}
}

// changes splits the loaded record and data, this request's new record,
// into fields and compares them. The values alias data and s.loaded0.
func (s *Session) changes(data []byte) (changes, error) {
	// A detached value this request did not use is checked here, and one
	// that fails its digest reported as forged (once: data carries the
	// same bytes, with the same digest).
	was, _, err := s.m.format.Decode(s.loaded0, nil, s.warnField)
	if err != nil {
		return changes{}, fmt.Errorf("decode the loaded record: %w", err)
	}
	now, _, err := s.m.format.Decode(data, nil, nil)
	if err != nil {
		return changes{}, fmt.Errorf("decode the new record: %w", err)
	}
	ch := changes{was: was.Meta, now: now.Meta}
	ch.tracked, _ = s.fields.(codec.Tracked)
	add := func(key string, value, loaded []byte) {
		rule := overwrite
		if ch.tracked != nil {
			// 0, and so overwrite, for raw fields (SetRawField): they
			// are not keys of the type.
			rule = s.ruleFor(ch.tracked.FieldUse(key))
		}
		ch.fields = append(ch.fields, fieldChange{key: key, value: value, loaded: loaded, rule: rule})
	}
	for _, r := range now.Raw {
		if old, ok := find(was.Raw, r.Key); !ok || string(old) != string(r.Value) {
			add(r.Key, r.Value, old)
		}
	}
	for _, r := range was.Raw {
		if _, ok := find(now.Raw, r.Key); !ok {
			add(r.Key, nil, r.Value)
		}
	}
	return ch, nil
}

func find(raw []codec.RawField, key string) ([]byte, bool) {
	for _, r := range raw {
		if r.Key == key {
			return r.Value, true
		}
	}
	return nil, false
}

// apply returns cur's fields with ch applied by each field's rule; every
// field ch does not name stays as cur has it. A checked field that the
// concurrent save changed fails with ErrConflict.
func (ch changes) apply(cur []codec.RawField) ([]codec.RawField, error) {
	out := slices.Clone(cur)
	for _, f := range ch.fields {
		now, _ := find(cur, f.key)
		v := f.value
		switch f.rule {
		case keep:
			continue
		case replay:
			var err error
			if v, err = ch.tracked.Replay(f.key, now); err != nil {
				return nil, fmt.Errorf("replay the changes to %q on a concurrent save: %w", f.key, err)
			}
		case check:
			if string(now) != string(f.loaded) { // an encoded value is never empty: "" is absent
				return nil, fmt.Errorf("%w: field %q was read and then changed by this request and meanwhile by another", ErrConflict, f.key)
			}
		}
		out = put(out, f.key, v)
	}
	return out, nil
}

// put sets key to v in raw, in place if it is there; a nil v removes it.
func put(raw []codec.RawField, key string, v []byte) []codec.RawField {
	i := slices.IndexFunc(raw, func(r codec.RawField) bool { return r.Key == key })
	switch {
	case v == nil && i >= 0:
		return slices.Delete(raw, i, i+1)
	case v == nil:
		return raw
	case i >= 0:
		raw[i].Value = v
		return raw
	default:
		return append(raw, codec.RawField{Key: key, Value: v})
	}
}

// mergeMeta merges this request's metadata into cur's, the record's now:
//   - the custom expiry and the test cookie are this request's if it
//     changed them, else cur's (a concurrent SetExpiry is kept);
//   - created is the earlier of the two known times (a session does not get
//     younger by being saved twice);
//   - saved is this save's time.
func (ch changes) mergeMeta(cur codec.Meta) codec.Meta {
	m := cur
	if !sameExpiry(ch.was, ch.now) {
		m.Expiry, m.IdleSeconds, m.ExpiresAt = ch.now.Expiry, ch.now.IdleSeconds, ch.now.ExpiresAt
	}
	if ch.was.TestCookie != ch.now.TestCookie {
		m.TestCookie = ch.now.TestCookie
	}
	if m.Created.IsZero() || (!ch.now.Created.IsZero() && ch.now.Created.Before(m.Created)) {
		m.Created = ch.now.Created
	}
	m.Saved = ch.now.Saved
	return m
}

func sameExpiry(a, b codec.Meta) bool {
	return a.Expiry == b.Expiry && a.IdleSeconds == b.IdleSeconds && a.ExpiresAt.Equal(b.ExpiresAt)
}
