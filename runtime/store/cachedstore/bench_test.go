package cachedstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func BenchmarkLoadCacheHit(b *testing.B) {
	s, _ := newStore(memstore.NewWithCleanup(0), newFake("durable"))
	k := newKey()
	if err := s.Save(ctx, k, make([]byte, 200), hour(), true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Load(ctx, k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveUpdate(b *testing.B) {
	s, _ := newStore(memstore.NewWithCleanup(0), newFake("durable"))
	k, data, expiry := newKey(), make([]byte, 200), hour()
	if err := s.Save(ctx, k, data, expiry, true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Save(ctx, k, data, expiry, false); err != nil {
			b.Fatal(err)
		}
	}
}
