package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOwnerLeftovers checks what a crash between two steps of a save or a
// delete can leave: a marker without a session, or a marker whose session
// now names another owner, is not listed, and ListOwned removes it; an
// expired session's owner file and marker go with ClearExpired.
func TestOwnerLeftovers(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	dir := s.indexDir("ada")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"orphankey1", "movedkey01"} {
		if err := os.WriteFile(filepath.Join(dir, key), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveOwned(ctx, "movedkey01", "grace", []byte("g"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListOwned(ctx, "ada")
	if err != nil || len(list) != 0 {
		t.Fatalf("ListOwned(ada) = %v, %v; want nothing", list, err)
	}
	for _, key := range []string{"orphankey1", "movedkey01"} {
		if _, err := os.Stat(filepath.Join(dir, key)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale marker %s left in place: %v", key, err)
		}
	}
	if list, err := s.ListOwned(ctx, "grace"); err != nil || len(list) != 1 {
		t.Errorf("ListOwned(grace) = %v, %v; want the moved session", list, err)
	}

	if err := s.SaveOwned(ctx, "shortkey01", "ada", []byte("a"), time.Now().Add(50*time.Millisecond), true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // past its expiry; no timing is asserted
	if n, err := s.ClearExpired(ctx); err != nil || n != 1 {
		t.Fatalf("ClearExpired = %d, %v; want 1", n, err)
	}
	for _, p := range []string{s.ownerPath("shortkey01"), filepath.Join(dir, "shortkey01")} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left after ClearExpired removed its session: %v", p, err)
		}
	}
}
