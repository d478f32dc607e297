package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

var benchData = make([]byte, 200) // a typical signed payload

// BenchmarkSaveUpdate and BenchmarkSwap compare an uncontended save with
// the same save done as a swap (compare, then write, under the same lock).
func BenchmarkSaveUpdate(b *testing.B) {
	s, ctx, key := memstore.NewWithCleanup(0), context.Background(), "benchkey0123456789"
	expiry := time.Now().Add(time.Hour)
	if err := s.Save(ctx, key, benchData, expiry, true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Save(ctx, key, benchData, expiry, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSwap(b *testing.B) {
	s, ctx, key := memstore.NewWithCleanup(0), context.Background(), "benchkey0123456789"
	expiry := time.Now().Add(time.Hour)
	if err := s.Save(ctx, key, benchData, expiry, true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Swap(ctx, key, benchData, benchData, expiry); err != nil {
			b.Fatal(err)
		}
	}
}
