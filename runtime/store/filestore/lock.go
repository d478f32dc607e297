package filestore

import (
	"hash/maphash"
	"sync"
)

// stripes is the number of locks keys are spread over: enough that
// unrelated sessions rarely wait on each other, few enough to be cheap.
const stripes = 64

// keyLocks serialise the check-then-write steps of Save, Delete and Cycle
// for the same key within this process, so an update cannot resurrect a
// session that a concurrent Delete removed.
type keyLocks struct {
	seed maphash.Seed
	mu   [stripes]sync.Mutex
}

func (l *keyLocks) index(key string) int {
	return int(maphash.String(l.seed, key) % stripes)
}

// lock locks key's stripe and returns the function that unlocks it.
func (l *keyLocks) lock(key string) (unlock func()) {
	m := &l.mu[l.index(key)]
	m.Lock()
	return m.Unlock
}

// lockPair locks the stripes of two keys in index order, so two concurrent
// cycles cannot deadlock.
func (l *keyLocks) lockPair(a, b string) (unlock func()) {
	i, j := l.index(a), l.index(b)
	if i == j {
		return l.lock(a)
	}
	first, second := &l.mu[min(i, j)], &l.mu[max(i, j)]
	first.Lock()
	second.Lock()
	return func() { second.Unlock(); first.Unlock() }
}
