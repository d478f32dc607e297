package cookiestore

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// benchData is about the size of a signed session payload.
var benchData = bytes.Repeat([]byte("session!"), 300/8)

func BenchmarkSeal(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(ctx, benchData, start.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour})
	ctx := context.Background()
	v := seal(b, s, benchData, start.Add(time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		if _, found, err := s.Load(ctx, v); !found || err != nil {
			b.Fatal(found, err)
		}
	}
}
