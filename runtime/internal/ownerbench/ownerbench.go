// Package ownerbench is the benchmark of listing an owner's sessions
// (store.Owners.ListOwned) that the owner-indexing stores share, so that
// their numbers, which README compares, come from one piece of code. It
// is imported only by _test.go files.
package ownerbench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// StoredEnv names the environment variable that sets the store sizes:
// comma-separated counts, e.g. "1000,1000000" for the README's numbers.
const StoredEnv = "TYPEDSESSION_BENCH_STORED"

// PerOwner is how many sessions each owner has.
const PerOwner = 10

// Sizes returns the store sizes to fill: from StoredEnv, else a small
// default that CI runs in seconds.
func Sizes(b *testing.B) []int {
	b.Helper()
	env := os.Getenv(StoredEnv)
	if env == "" {
		return []int{1000, 10000}
	}
	var sizes []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < PerOwner {
			b.Fatalf("%s=%q: want comma-separated counts of at least %d", StoredEnv, env, PerOwner)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// Key returns the key of the i-th session Fill saves.
func Key(i int) string { return fmt.Sprintf("benchkey%012d", i) }

// Owner returns the owner of the i-th session Fill saves.
func Owner(i int) string { return strconv.Itoa(i / PerOwner) }

// Fill saves stored sessions of 200 bytes, PerOwner per owner, through
// SaveOwned, from workers goroutines at once.
func Fill(b *testing.B, o store.Owners, stored, workers int) {
	b.Helper()
	ctx := context.Background()
	data := make([]byte, 200)
	expiry := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < stored; i += workers {
				if err := o.SaveOwned(ctx, Key(i), Owner(i), data, expiry, true); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// Run runs, for each of Sizes, a sub-benchmark "stored=N" that fills a
// store from newStore with N sessions (Fill, with workers goroutines) and
// times, in "list10", listing the PerOwner sessions of one owner: the
// time should not grow with N. more, if not nil, runs further
// sub-benchmarks on the filled store, for scale.
func Run(b *testing.B, newStore func(b *testing.B) store.Owners, workers int, more func(b *testing.B, o store.Owners, stored int)) {
	for _, stored := range Sizes(b) {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			o := newStore(b)
			Fill(b, o, stored, workers)
			ctx := context.Background()
			owner := Owner(stored - 1)
			b.Run("list10", func(b *testing.B) {
				for b.Loop() {
					list, err := o.ListOwned(ctx, owner)
					if err != nil || len(list) != PerOwner {
						b.Fatalf("ListOwned = %d records, %v; want %d", len(list), err, PerOwner)
					}
				}
			})
			if more != nil {
				more(b, o, stored)
			}
		})
	}
}
