package sessiontest

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// counter counts the calls the session package makes to a store.
type counter struct {
	load, save, delete, exists atomic.Int64
}

// countingStore forwards to a store and counts calls. wrap keeps the
// optional capabilities visible, since the session package discovers them
// by type assertion.
type countingStore struct {
	s store.Store
	c *counter
	// inClear forwards session.ClearKeyStore: a store that shares its
	// records with another system (Django) gets cookie keys as they are.
	inClear bool
}

// ClearKeys implements session.ClearKeyStore for the store wrapped.
func (w *countingStore) ClearKeys() bool { return w.inClear }

type countingCycler struct {
	countingStore
	cy store.Cycler
}

type countingClient struct {
	countingStore
	cl store.ClientSide
}

// countingSwapper and countingSwapCycler forward store.Swapper, alone or
// beside store.Cycler: the session package swaps instead of saving when it
// can, and merges concurrent saves (C90…).
type countingSwapper struct {
	countingStore
	sw store.Swapper
}

type countingSwapCycler struct {
	countingCycler
	sw store.Swapper
}

func wrap(s store.Store, c *counter) store.Store {
	base := countingStore{s: s, c: c, inClear: inClear(s)}
	if cl, ok := s.(store.ClientSide); ok {
		return &countingClient{base, cl}
	}
	cy, isCycler := s.(store.Cycler)
	sw, isSwapper := s.(store.Swapper)
	switch {
	case isCycler && isSwapper:
		return &countingSwapCycler{countingCycler{base, cy}, sw}
	case isCycler:
		return &countingCycler{base, cy}
	case isSwapper:
		return &countingSwapper{base, sw}
	}
	return &base
}

func (w *countingStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	w.c.load.Add(1)
	return w.s.Load(ctx, key)
}

func (w *countingStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	w.c.save.Add(1)
	return w.s.Save(ctx, key, data, expiry, mustCreate)
}

func (w *countingStore) Delete(ctx context.Context, key string) error {
	w.c.delete.Add(1)
	return w.s.Delete(ctx, key)
}

func (w *countingStore) Exists(ctx context.Context, key string) (bool, error) {
	w.c.exists.Add(1)
	return w.s.Exists(ctx, key)
}

func (w *countingStore) ClearExpired(ctx context.Context) (int64, error) {
	return w.s.ClearExpired(ctx)
}

func (w *countingCycler) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	w.c.save.Add(1)
	return w.cy.Cycle(ctx, oldKey, newKey, data, expiry)
}

func (w *countingSwapper) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	w.c.save.Add(1)
	return w.sw.Swap(ctx, key, old, data, expiry)
}

func (w *countingSwapCycler) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	w.c.save.Add(1)
	return w.sw.Swap(ctx, key, old, data, expiry)
}

func (w *countingClient) Seal(ctx context.Context, data []byte, expiry time.Time) (string, error) {
	w.c.save.Add(1)
	return w.cl.Seal(ctx, data, expiry)
}

// inClear reports whether st wants cookie keys unhashed
// (session.ClearKeyStore).
func inClear(st store.Store) bool {
	cs, ok := st.(session.ClearKeyStore)
	return ok && cs.ClearKeys()
}
