package filestore

import (
	"bytes"
	"context"
	"testing"
	"time"
)

var benchData = bytes.Repeat([]byte("x"), 512)

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkLoad(b *testing.B) {
	s := benchStore(b)
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
}

// BenchmarkSaveUpdate includes an fsync per save: on most disks it is
// the fsync that sets the pace.
func BenchmarkSaveUpdate(b *testing.B) {
	s := benchStore(b)
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
}

// BenchmarkDelete deletes a key that has no file: no fsync, so what it
// measures is the locking and the two system calls of a delete.
func BenchmarkDelete(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	key := testKey(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Delete(ctx, key); err != nil {
			b.Fatal(err)
		}
	}
}
