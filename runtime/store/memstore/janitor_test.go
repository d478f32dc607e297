package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func TestClearExpiredCounts(t *testing.T) {
	s := memstore.NewWithCleanup(0)
	ctx := context.Background()
	now := time.Now()
	for key, expiry := range map[string]time.Time{
		"livesession1": now.Add(time.Hour),
		"deadsession1": now.Add(50 * time.Millisecond),
		"deadsession2": now.Add(50 * time.Millisecond),
	} {
		if err := s.Save(ctx, key, []byte("x"), expiry, true); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(60 * time.Millisecond)
	if n, err := s.ClearExpired(ctx); n != 2 || err != nil {
		t.Errorf("ClearExpired = %d, %v; want 2, nil", n, err)
	}
	if s.Len() != 1 {
		t.Errorf("Len() = %d after ClearExpired, want the live session only", s.Len())
	}
}

func TestJanitorRemovesExpiredAndStops(t *testing.T) {
	s := memstore.NewWithCleanup(10 * time.Millisecond)
	ctx := context.Background()
	if err := s.Save(ctx, "deadsession1", []byte("x"), time.Now().Add(20*time.Millisecond), true); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Len() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the janitor did not remove the expired session within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.Close()
	s.Close() // a second Close is harmless
	if err := s.Save(ctx, "deadsession2", []byte("x"), time.Now().Add(20*time.Millisecond), true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if s.Len() != 1 {
		t.Errorf("Len() = %d: the janitor still ran after Close", s.Len())
	}
	if _, found, _ := s.Load(ctx, "deadsession2"); found {
		t.Error("an expired session loads after Close: expiry on read must not depend on the janitor")
	}
}

func TestZeroValueStore(t *testing.T) {
	var s memstore.Store
	ctx := context.Background()
	if err := s.Save(ctx, "zerosession1", []byte("x"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	if data, found, err := s.Load(ctx, "zerosession1"); !found || err != nil || string(data) != "x" {
		t.Errorf("Load = %q, %v, %v", data, found, err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}
