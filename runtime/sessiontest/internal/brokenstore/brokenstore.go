// Package brokenstore is an in-memory store.Store with switchable defects:
// the mistakes store authors make. The conformance suite's mutation test
// runs the suite against it once per defect and requires a failure that
// names the store call. With no defect it is a correct store that, like
// sqlstore and filestore, keeps records saved with an expiry already past
// (unseen) until ClearExpired removes them, which lets the suite see
// defects a store that drops them at once would hide.
package brokenstore

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// Defect names one seeded mistake.
type Defect string

// Defects maps each seeded mistake to what the suite must say about it:
// text its output must contain, naming the store call.
var Defects = map[Defect]string{
	// Missed by the suite before issue 18.
	"exists-ignores-expiry":    "Exists of a record saved with an expiry 1h in the past = true",
	"update-revives-expired":   "Save(update) of a record expired at",
	"update-keeps-expiry":      "Save(update) kept the old expiry",
	"create-check-then-act":    "concurrent Save(create) of one key",
	"delete-missing-errors":    "Delete of a key never saved",
	"clear-removes-nothing":    "ClearExpired() = 0; want 3 to",
	"clear-removes-live":       "ClearExpired removed or changed live records",
	"clear-miscounts":          "ClearExpired() = 9; want 3 to 6",
	"save-keeps-buffer":        "Save(create) kept the caller's buffer",
	"cycle-keeps-buffer":       "Cycle kept the caller's buffer",
	"expiry-loader-wrong":      "LoadWithExpiry of a record saved until",
	"expiry-loader-expired":    "LoadWithExpiry of a record saved with an expiry 1h in the past",
	"bare-errors":              "want it prefixed with the store's name and the operation",
	"cycle-ignores-context":    "Cycle with a cancelled context",
	"expiry-loader-no-context": "LoadWithExpiry with a cancelled context",
	// Caught before, now also by a message that names the call.
	"load-ignores-expiry":    "Load of a record saved with an expiry 1h in the past",
	"create-overwrites-live": "Save(create) with an expiry in the past over a live record",
	"update-creates":         "Save(update) of a key never saved succeeded; want ErrUpdate",
	"delete-does-nothing":    "Exists after Delete of a live record = true",
	"cycle-keeps-old":        "Load of both keys after Cycle(moves)",
	"cycle-overwrites-new":   "Cycle(new_taken) succeeded; want ErrCreate",
	"cycle-needs-old":        "Cycle(old_missing) = brokenstore: cycle: store: session to update no longer exists; want success",
	"expired-blocks-create":  "Save(create) over a record expired at",
	"past-expiry-errors":     "Save(create) with an expiry 1h in the past = ",
	"load-ignores-context":   "Load with a cancelled context",
	"save-ignores-context":   "Save(create) with a cancelled context",
	"exists-ignores-context": "Exists with a cancelled context",
	"load-truncates":         "Load after Save(update) of a live record",
	"invalid-key-errors":     "Load(\"short\") of an invalid key",
	"load-missing-errors":    "Load(cycleold",
	// store.Swapper (C70–C78).
	"swap-ignores-old":     "Swap with a stale payload = <nil>",
	"swap-revives-gone":    "Swap of a record that is gone = <nil>",
	"swap-keeps-buffer":    "record after the caller reused its buffers",
	"swap-ignores-context": "Swap = <nil>, want context canceled",
	// store.Owners (C80–C89) and store.OwnedSwapper (C79).
	"owned-accepts-invalid":        "SaveOwned with owner",
	"owned-change-keeps-old-owner": `ListOwned("alice-`,
	"owned-lists-expired":          `ListOwned("u-`,
	"owned-failed-create-files":    `ListOwned("bob-`,
	"cycle-owned-unfiled":          `ListOwned("u-`,
	"swap-owned-ignores-old":       "SwapOwned with a stale payload",
	"swap-owned-keeps-owner":       `ListOwned("bob-`,
	"swap-owned-revives-gone":      "SwapOwned of a record that is gone",
	"swap-owned-ignores-context":   "SwapOwned with a cancelled context",
	"swap-owned-accepts-invalid":   "SwapOwned with owner",
}

// Store is the broken store. It implements store.Cycler,
// store.ExpiryLoader, store.Swapper, store.Owners and store.OwnedSwapper.
type Store struct {
	defect Defect

	mu sync.Mutex
	m  map[string]entry
	// owned is the owner index: the keys filed under each owner. As in
	// sqlstore and redisstore it is kept beside the records, not derived
	// from them, so that the defects that let it drift can be seeded.
	owned map[string]map[string]bool
}

type entry struct {
	data   []byte
	expiry time.Time
	owner  string
}

var (
	_ store.Store        = (*Store)(nil)
	_ store.Cycler       = (*Store)(nil)
	_ store.ExpiryLoader = (*Store)(nil)
	_ store.Swapper      = (*Store)(nil)
	_ store.Owners       = (*Store)(nil)
	_ store.OwnedSwapper = (*Store)(nil)
)

// New returns an empty store with defect d ("" for none). It panics on a
// defect it does not know, so a typo cannot pass for a caught defect.
func New(d Defect) *Store {
	if _, ok := Defects[d]; !ok && d != "" {
		panic(fmt.Sprintf("brokenstore: unknown defect %q; known: %v", d, slices.Sorted(maps.Keys(Defects))))
	}
	return &Store{defect: d, m: map[string]entry{}, owned: map[string]map[string]bool{}}
}

func (s *Store) is(d Defect) bool { return d != "" && s.defect == d }

// fail wraps err as the contract asks, unless the defect is bare errors.
func (s *Store) fail(op string, err error) error {
	if s.is("bare-errors") {
		return err
	}
	return fmt.Errorf("brokenstore: %s: %w", op, err)
}

// checkCtx returns the context's error unless the defect ignores it for
// this operation.
func (s *Store) checkCtx(ctx context.Context, op string, ignore Defect) error {
	if s.is(ignore) {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// live reports whether e is a record that has not expired at now.
func live(e entry, ok bool, now time.Time) bool { return ok && now.Before(e.expiry) }

// Load returns the live record under key.
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	data, _, found, err := s.load(ctx, "load", key, "load-ignores-context", "load-ignores-expiry")
	return data, found, err
}

// LoadWithExpiry is Load with the record's expiry.
func (s *Store) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	data, expiry, found, err := s.load(ctx, "load", key, "expiry-loader-no-context", "expiry-loader-expired")
	if found && s.is("expiry-loader-wrong") {
		expiry = expiry.Add(time.Hour)
	}
	return data, expiry, found, err
}

func (s *Store) load(ctx context.Context, op, key string, ignoreCtx, ignoreExpiry Defect) ([]byte, time.Time, bool, error) {
	if s.is("invalid-key-errors") && !store.ValidKey(key) {
		return nil, time.Time{}, false, s.fail(op, fmt.Errorf("invalid key"))
	}
	if err := s.checkCtx(ctx, op, ignoreCtx); err != nil {
		return nil, time.Time{}, false, err
	}
	s.mu.Lock()
	e, ok := s.m[key]
	s.mu.Unlock()
	if !ok && s.is("load-missing-errors") {
		return nil, time.Time{}, false, s.fail(op, fmt.Errorf("no record under the key"))
	}
	if !live(e, ok, time.Now()) && !(ok && s.is(ignoreExpiry)) {
		return nil, time.Time{}, false, nil
	}
	if s.is("load-truncates") && len(e.data) > 0 {
		return e.data[:len(e.data)-1], e.expiry, true, nil
	}
	return e.data, e.expiry, true, nil
}

// Save creates or updates the record under key.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := s.checkCtx(ctx, "save", "save-ignores-context"); err != nil {
		return err
	}
	if s.is("past-expiry-errors") && !time.Now().Before(expiry) {
		return s.fail("save", fmt.Errorf("expiry %v already passed", expiry))
	}
	if err := s.put(key, data, expiry, mustCreate, nil); err != nil {
		return s.fail("save", err)
	}
	return nil
}

// put is Save's check and write, under one lock unless the defect splits
// them. A non-nil owner files the record under *owner, for SaveOwned; Save
// leaves an updated record's filing as it was and a created one unfiled.
func (s *Store) put(key string, data []byte, expiry time.Time, mustCreate bool, owner *string) error {
	s.mu.Lock()
	e, ok := s.m[key]
	if owner != nil && mustCreate && s.is("owned-failed-create-files") {
		s.file(key, e, *owner)
	}
	isLive := live(e, ok, time.Now())
	if s.is("expired-blocks-create") {
		isLive = ok
	}
	if s.is("update-revives-expired") && !mustCreate {
		isLive = ok
	}
	switch {
	case mustCreate && isLive && !s.is("create-overwrites-live"):
		s.mu.Unlock()
		return store.ErrCreate
	case !mustCreate && !isLive && !s.is("update-creates"):
		s.mu.Unlock()
		return store.ErrUpdate
	}
	if s.is("create-check-then-act") {
		s.mu.Unlock()
		runtime.Gosched() // the window between the check and the write
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	if !s.is("save-keeps-buffer") {
		data = append([]byte(nil), data...)
	}
	if !mustCreate && ok && s.is("update-keeps-expiry") {
		expiry = e.expiry
	}
	next := entry{data: data, expiry: expiry}
	switch {
	case owner != nil:
		next.owner = s.file(key, e, *owner)
	case mustCreate:
		s.unfile(key, e)
	default:
		next.owner = e.owner
	}
	s.m[key] = next
	return nil
}

// file files key under owner in the index, taking it out of the list of
// e's owner (its record as it was) unless the defect forgets to, and
// returns owner.
func (s *Store) file(key string, e entry, owner string) string {
	if !s.is("owned-change-keeps-old-owner") {
		s.unfile(key, e)
	}
	if owner == "" {
		return ""
	}
	if s.owned[owner] == nil {
		s.owned[owner] = map[string]bool{}
	}
	s.owned[owner][key] = true
	return owner
}

// unfile takes key out of the list of e's owner.
func (s *Store) unfile(key string, e entry) {
	delete(s.owned[e.owner], key)
	if len(s.owned[e.owner]) == 0 {
		delete(s.owned, e.owner)
	}
}

// Delete removes the record under key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.checkCtx(ctx, "delete", ""); err != nil {
		return err
	}
	if s.is("delete-does-nothing") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok && s.is("delete-missing-errors") {
		return s.fail("delete", fmt.Errorf("no record under the key"))
	}
	s.unfile(key, e)
	delete(s.m, key)
	return nil
}

// Exists reports whether a live record is under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	if err := s.checkCtx(ctx, "exists", "exists-ignores-context"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if s.is("exists-ignores-expiry") {
		return ok, nil
	}
	return live(e, ok, time.Now()), nil
}

// ClearExpired removes the expired records and counts them.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := s.checkCtx(ctx, "clear expired", ""); err != nil {
		return 0, err
	}
	if s.is("clear-removes-nothing") {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var n int64
	for k, e := range s.m {
		expired := !now.Before(e.expiry)
		if expired || s.is("clear-removes-live") {
			s.unfile(k, e)
			delete(s.m, k)
		}
		if expired || s.is("clear-miscounts") {
			n++
		}
	}
	return n, nil
}

// Cycle moves the record under oldKey to newKey.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	return s.cycle(ctx, oldKey, newKey, nil, data, expiry)
}

// CycleOwned is Cycle that files the new record under owner.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := s.checkOwner("cycle", owner, "owned-accepts-invalid"); err != nil {
		return err
	}
	if s.is("cycle-owned-unfiled") {
		return s.cycle(ctx, oldKey, newKey, nil, data, expiry)
	}
	return s.cycle(ctx, oldKey, newKey, &owner, data, expiry)
}

func (s *Store) cycle(ctx context.Context, oldKey, newKey string, owner *string, data []byte, expiry time.Time) error {
	if err := s.checkCtx(ctx, "cycle", "cycle-ignores-context"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if e, ok := s.m[newKey]; live(e, ok, now) && !s.is("cycle-overwrites-new") {
		return s.fail("cycle", store.ErrCreate)
	}
	if e, ok := s.m[oldKey]; !live(e, ok, now) && s.is("cycle-needs-old") {
		return s.fail("cycle", store.ErrUpdate)
	}
	if !s.is("cycle-keeps-buffer") {
		data = append([]byte(nil), data...)
	}
	if !s.is("cycle-keeps-old") {
		s.unfile(oldKey, s.m[oldKey])
		delete(s.m, oldKey)
	}
	next, prev := entry{data: data, expiry: expiry}, s.m[newKey]
	if owner != nil {
		next.owner = s.file(newKey, prev, *owner)
	} else {
		s.unfile(newKey, prev)
	}
	s.m[newKey] = next
	return nil
}

// Swap replaces the record under key if it is live and holds old.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	return s.swap(ctx, key, nil, old, data, expiry, "swap-ignores-context", "swap-revives-gone", "swap-ignores-old")
}

// SwapOwned is Swap that files the record under owner.
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if err := s.checkOwner("swap", owner, "swap-owned-accepts-invalid"); err != nil {
		return err
	}
	o := &owner
	if s.is("swap-owned-keeps-owner") {
		o = nil
	}
	return s.swap(ctx, key, o, old, data, expiry, "swap-owned-ignores-context", "swap-owned-revives-gone", "swap-owned-ignores-old")
}

func (s *Store) swap(ctx context.Context, key string, owner *string, old, data []byte, expiry time.Time, ignoreCtx, revive, ignoreOld Defect) error {
	if err := s.checkCtx(ctx, "swap", ignoreCtx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	switch {
	case !live(e, ok, time.Now()) && !s.is(revive):
		return s.fail("swap", store.ErrUpdate)
	case ok && !bytes.Equal(e.data, old) && !s.is(ignoreOld):
		return s.fail("swap", store.ErrChanged)
	}
	if !s.is("swap-keeps-buffer") {
		data = append([]byte(nil), data...)
	}
	next := entry{data: data, expiry: expiry, owner: e.owner}
	if owner != nil {
		next.owner = s.file(key, e, *owner)
	}
	s.m[key] = next
	return nil
}

// SaveOwned is Save that files the record under owner.
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := s.checkOwner("save", owner, "owned-accepts-invalid"); err != nil {
		return err
	}
	if err := s.checkCtx(ctx, "save", "save-ignores-context"); err != nil {
		return err
	}
	if err := s.put(key, data, expiry, mustCreate, &owner); err != nil {
		return s.fail("save", err)
	}
	return nil
}

// ListOwned returns the live records filed under owner.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if err := s.checkCtx(ctx, "list owned", ""); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var list []store.Owned
	for key := range s.owned[owner] {
		e, ok := s.m[key]
		if !live(e, ok, now) && !(ok && s.is("owned-lists-expired")) {
			continue
		}
		list = append(list, store.Owned{Key: key, Data: bytes.Clone(e.data), Expiry: e.expiry})
	}
	return list, nil
}

// checkOwner refuses an owner id store.ValidOwner rejects, unless the
// defect accepts it.
func (s *Store) checkOwner(op, owner string, accept Defect) error {
	if owner == "" || store.ValidOwner(owner) || s.is(accept) {
		return nil
	}
	return s.fail(op, fmt.Errorf("invalid owner id %q", owner))
}
