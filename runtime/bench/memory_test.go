package bench

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// memoryContenders are the server-side libraries with their sessions in
// process memory: typedsession's memstore and scs's default memstore.
func memoryContenders(tb testing.TB) []contender {
	tb.Helper()
	st := memstore.New()
	tb.Cleanup(func() { st.Close() })
	return []contender{scsContender(scsManager(nil)), typed(tb, st)}
}

// BenchmarkMemory is workload 2: a full request (load, read two fields,
// change one, save, Set-Cookie) with the sessions in memory.
func BenchmarkMemory(b *testing.B) {
	for _, c := range memoryContenders(b) {
		b.Run("lib="+c.lib, func(b *testing.B) { benchFull(b, c) })
	}
}

// BenchmarkMemoryParallel is workload 6 for workload 2: concurrent users,
// each with a session of their own, to show lock contention or its absence.
func BenchmarkMemoryParallel(b *testing.B) {
	for _, c := range memoryContenders(b) {
		b.Run("lib="+c.lib, func(b *testing.B) { benchFullParallel(b, c) })
	}
}
