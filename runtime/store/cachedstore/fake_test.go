package cachedstore_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// fake is an in-memory store for the tests, with every optional capability
// cachedstore looks for (Cycle, LoadWithExpiry), call counts, injectable
// failures and hooks that let a test interleave a concurrent request.
type fake struct {
	name string

	mu    sync.Mutex
	m     map[string]entry
	calls map[string]int
	fail  map[string]error // by operation

	afterRead func() // runs after Load or LoadWithExpiry has read
	afterSave func() // runs after a successful Save
}

type entry struct {
	data   []byte
	expiry time.Time
}

var (
	_ store.Store  = (*fake)(nil)
	_ store.Cycler = (*fake)(nil)
)

func newFake(name string) *fake {
	return &fake{name: name, m: map[string]entry{}, calls: map[string]int{}, fail: map[string]error{}}
}

// plain hides a store's optional capabilities.
type plain struct{ store.Store }

// failing makes the given operations fail.
func (f *fake) failing(ops ...string) *fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range ops {
		f.fail[op] = fmt.Errorf("%s: %s: injected failure", f.name, op)
	}
	return f
}

// begin counts a call and returns its injected failure or the context's.
func (f *fake) begin(ctx context.Context, op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %s: %w", f.name, op, err)
	}
	return f.fail[op]
}

// count returns how many calls of the given operations were made (all
// operations if none are named).
func (f *fake) count(ops ...string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(ops) == 0 {
		n := 0
		for _, c := range f.calls {
			n += c
		}
		return n
	}
	n := 0
	for _, op := range ops {
		n += f.calls[op]
	}
	return n
}

func (f *fake) resetCounts() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.calls)
}

// get returns the live entry under key, bypassing counts and failures.
func (f *fake) get(key string) (entry, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.getLocked(key)
}

// getLocked is get for a caller holding f.mu.
func (f *fake) getLocked(key string) (entry, bool) {
	e, ok := f.m[key]
	if !ok || !time.Now().Before(e.expiry) {
		return entry{}, false
	}
	return e, true
}

// set stores an entry directly, bypassing counts and failures.
func (f *fake) set(key string, data []byte, expiry time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[key] = entry{data: data, expiry: expiry}
}

func (f *fake) Load(ctx context.Context, key string) ([]byte, bool, error) {
	data, _, found, err := f.load(ctx, "load", key)
	return data, found, err
}

func (f *fake) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	return f.load(ctx, "load", key)
}

func (f *fake) load(ctx context.Context, op, key string) ([]byte, time.Time, bool, error) {
	if err := f.begin(ctx, op); err != nil {
		return nil, time.Time{}, false, err
	}
	e, ok := f.get(key)
	if f.afterRead != nil {
		f.afterRead()
	}
	return e.data, e.expiry, ok, nil
}

func (f *fake) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := f.begin(ctx, "save"); err != nil {
		return err
	}
	if err := f.put(key, data, expiry, mustCreate); err != nil {
		return err
	}
	if f.afterSave != nil {
		f.afterSave()
	}
	return nil
}

// put checks and writes in one step, under f.mu, so that of two
// concurrent creates of one key only one succeeds.
func (f *fake) put(key string, data []byte, expiry time.Time, mustCreate bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.putLocked(key, data, expiry, mustCreate)
}

func (f *fake) putLocked(key string, data []byte, expiry time.Time, mustCreate bool) error {
	_, live := f.getLocked(key)
	switch {
	case mustCreate && live:
		return fmt.Errorf("%s: save: %w", f.name, store.ErrCreate)
	case !mustCreate && !live:
		return fmt.Errorf("%s: save: %w", f.name, store.ErrUpdate)
	}
	f.m[key] = entry{data: append([]byte(nil), data...), expiry: expiry}
	return nil
}

func (f *fake) Delete(ctx context.Context, key string) error {
	if err := f.begin(ctx, "delete"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, key)
	return nil
}

func (f *fake) Exists(ctx context.Context, key string) (bool, error) {
	if err := f.begin(ctx, "exists"); err != nil {
		return false, err
	}
	_, ok := f.get(key)
	return ok, nil
}

func (f *fake) ClearExpired(ctx context.Context) (int64, error) {
	if err := f.begin(ctx, "clear"); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for k, e := range f.m {
		if !time.Now().Before(e.expiry) {
			delete(f.m, k)
			n++
		}
	}
	return n, nil
}

func (f *fake) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := f.begin(ctx, "cycle"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.putLocked(newKey, data, expiry, true); err != nil {
		return err
	}
	delete(f.m, oldKey)
	return nil
}
