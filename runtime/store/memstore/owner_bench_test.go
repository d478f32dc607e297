package memstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/ownerbench"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// BenchmarkListOwned lists the 10 sessions of one owner in a store that
// holds stored sessions in all, of stored/10 owners: the time should not
// grow with stored (sizes from TYPEDSESSION_BENCH_STORED, see ownerbench).
func BenchmarkListOwned(b *testing.B) {
	ownerbench.Run(b, func(*testing.B) store.Owners { return memstore.NewWithCleanup(0) }, 1, nil)
}
