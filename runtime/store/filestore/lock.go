package filestore

import (
	"fmt"
	"path/filepath"
	"sync"
)

// stripes is the number of locks keys are spread over: enough that
// unrelated sessions rarely wait on each other, few enough to be cheap.
//
// stripes, stripe and lockPrefix are shared by every process using a
// directory: a release that changed how keys map to lock files must also
// rename the lock files, or during a rolling deploy two releases would
// lock different files for the same key.
const stripes = 64

// lockPrefix starts the name of each stripe's lock file, <dir>/.lock-NN.
// The dot keeps lock files apart from session files, so ClearExpired never
// takes one for a session.
const lockPrefix = ".lock-"

// keyLocks serialise the check-then-write steps of Save, Delete and Cycle,
// and ClearExpired's removals, for the same key, so an update cannot
// resurrect a session that a concurrent Delete removed. A stripe is held
// with a mutex, between this process's goroutines, and then with a lock on
// the stripe's lock file (lockFile), between processes sharing the
// directory where the platform allows.
type keyLocks struct {
	mu    [stripes]sync.Mutex
	paths [stripes]string // the lock files
}

func newKeyLocks(dir string) *keyLocks {
	l := &keyLocks{}
	for i := range l.paths {
		l.paths[i] = filepath.Join(dir, lockName(i))
	}
	return l
}

func lockName(i int) string { return fmt.Sprintf("%s%02d", lockPrefix, i) }

// stripe maps key to its stripe with FNV-1a, not maphash: every process
// must pick the same lock file for a key, and maphash's seed differs from
// process to process. Keys are random, so a fixed hash spreads them as
// well as a seeded one would.
func stripe(key string) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return int(h % stripes)
}

// lock locks key's stripe and returns the function that unlocks it.
func (l *keyLocks) lock(key string) (unlock func(), err error) {
	return l.lockStripe(stripe(key))
}

// lockPair locks the stripes of two keys in index order, as every caller
// in every process does, so two concurrent cycles cannot deadlock.
func (l *keyLocks) lockPair(a, b string) (unlock func(), err error) {
	i, j := stripe(a), stripe(b)
	if i == j {
		return l.lockStripe(i)
	}
	unlockFirst, err := l.lockStripe(min(i, j))
	if err != nil {
		return nil, err
	}
	unlockSecond, err := l.lockStripe(max(i, j))
	if err != nil {
		unlockFirst()
		return nil, err
	}
	return func() { unlockSecond(); unlockFirst() }, nil
}

// lockStripe takes the mutex before the file lock, so at most one
// goroutine per stripe waits in the kernel (each such wait holds a
// thread) and goroutines of one Store never contend for the file lock.
func (l *keyLocks) lockStripe(i int) (unlock func(), err error) {
	m := &l.mu[i]
	m.Lock()
	f, err := lockFile(l.paths[i])
	if err != nil {
		m.Unlock()
		return nil, fmt.Errorf("lock: %w", err)
	}
	return func() { f.unlock(); m.Unlock() }, nil
}
