package sqlstore

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// The benchmarks run against every available database (SQLite always;
// PostgreSQL and MySQL with their environment variables set). For SQLite
// they measure the store over an embedded database; for the servers they
// include a loopback round trip per statement.

var benchData = bytes.Repeat([]byte("x"), 512)

func forEachBench(b *testing.B, f func(b *testing.B, s *Store)) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			f(b, newStore(b, be.open(b), be.dialect, Config{}))
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	forEachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		key := testKey(b)
		if err := s.Save(ctx, key, benchData, time.Now().Add(time.Hour), true); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, found, err := s.Load(ctx, key); err != nil || !found {
				b.Fatal(found, err)
			}
		}
	})
}

func BenchmarkSaveUpdate(b *testing.B) {
	forEachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		key := testKey(b)
		exp := time.Now().Add(time.Hour)
		if err := s.Save(ctx, key, benchData, exp, true); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Save(ctx, key, benchData, exp, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSaveCreate(b *testing.B) {
	forEachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Save(ctx, testKey(b), benchData, exp, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCycle(b *testing.B) {
	forEachBench(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		key := testKey(b)
		if err := s.Save(ctx, key, benchData, exp, true); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			next := testKey(b)
			if err := s.Cycle(ctx, key, next, benchData, exp); err != nil {
				b.Fatal(err)
			}
			key = next
		}
	})
}
