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
// this request's changes are re-applied to it field by field (see
// changes): a field whose encoded value this request changed, set or
// deleted is written as this request has it; every other field, including
// keys this binary does not know, keeps what the other request stored.
// The limit: a field both requests changed ends as the later save has it
// (last writer wins per field), even when this request computed its value
// from what it read (SetCount(Count()+1)); telling such a read-then-set
// apart needs the generated accessors to record reads, which they do not
// yet.
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
	env, _, err := s.m.format.Decode(cur, nil, nil)
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
	raw := ch.apply(env.Raw)
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
	set     []codec.RawField // added, or with other bytes than loaded
	deleted []string         // loaded, absent now
	was     codec.Meta       // the metadata as loaded
	now     codec.Meta       // the metadata as this request would save it
}

// changes splits the loaded record and data, this request's new record,
// into fields and compares them. The values in set alias data.
func (s *Session) changes(data []byte) (changes, error) {
	was, _, err := s.m.format.Decode(s.loaded0, nil, nil)
	if err != nil {
		return changes{}, fmt.Errorf("decode the loaded record: %w", err)
	}
	now, _, err := s.m.format.Decode(data, nil, nil)
	if err != nil {
		return changes{}, fmt.Errorf("decode the new record: %w", err)
	}
	ch := changes{was: was.Meta, now: now.Meta}
	for _, r := range now.Raw {
		if old, ok := find(was.Raw, r.Key); !ok || string(old) != string(r.Value) {
			ch.set = append(ch.set, r)
		}
	}
	for _, r := range was.Raw {
		if _, ok := find(now.Raw, r.Key); !ok {
			ch.deleted = append(ch.deleted, r.Key)
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

// apply returns cur's fields with ch applied: deleted keys removed, set
// keys replaced or added, every other field as cur has it.
func (ch changes) apply(cur []codec.RawField) []codec.RawField {
	out := make([]codec.RawField, 0, len(cur)+len(ch.set))
	for _, r := range cur {
		if slices.Contains(ch.deleted, r.Key) {
			continue
		}
		if v, ok := find(ch.set, r.Key); ok {
			r.Value = v
		}
		out = append(out, r)
	}
	for _, r := range ch.set {
		if _, ok := find(cur, r.Key); !ok {
			out = append(out, r)
		}
	}
	return out
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
