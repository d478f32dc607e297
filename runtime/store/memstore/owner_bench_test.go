package memstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// benchSizes returns the store sizes the owner benchmarks fill: from
// TYPEDSESSION_BENCH_STORED (comma-separated, e.g. "1000,1000000" for the
// README's numbers), else a small default that CI runs in seconds.
func benchSizes(b *testing.B) []int {
	b.Helper()
	env := os.Getenv("TYPEDSESSION_BENCH_STORED")
	if env == "" {
		return []int{1000, 10000}
	}
	var sizes []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 {
			b.Fatalf("TYPEDSESSION_BENCH_STORED=%q: want comma-separated counts of at least 10", env)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// BenchmarkListOwned lists the 10 sessions of one owner in a store that
// holds stored sessions in all, of stored/10 owners: the time should not
// grow with stored.
func BenchmarkListOwned(b *testing.B) {
	ctx := context.Background()
	data := make([]byte, 200)
	for _, stored := range benchSizes(b) {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			s := memstore.NewWithCleanup(0)
			expiry := time.Now().Add(time.Hour)
			for i := range stored {
				key := fmt.Sprintf("benchkey%012d", i)
				if err := s.SaveOwned(ctx, key, strconv.Itoa(i/10), data, expiry, true); err != nil {
					b.Fatal(err)
				}
			}
			owner := strconv.Itoa(stored/10 - 1)
			b.Run("list10", func(b *testing.B) {
				for b.Loop() {
					list, err := s.ListOwned(ctx, owner)
					if err != nil || len(list) != 10 {
						b.Fatalf("ListOwned = %d records, %v; want 10", len(list), err)
					}
				}
			})
		})
	}
}
