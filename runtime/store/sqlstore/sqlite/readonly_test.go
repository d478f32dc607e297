package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSQLiteRecoversFromReadOnlyWindow write-protects the database file
// for a moment, as a disk remounted read-only or permissions fixed late do.
// SQLite opens a connection read-only, without an error, when the file is
// not writable, and such a connection stays read-only for good: the pool
// must not keep one, or saves keep failing after the file is writable
// again.
func TestSQLiteRecoversFromReadOnlyWindow(t *testing.T) {
	for _, target := range []string{"file", "directory"} {
		t.Run(target, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "sessions.db")
			protect := path
			if target == "directory" {
				protect = dir
			}
			readOnlyWindow(t, path, protect)
		})
	}
}

// readOnlyWindow runs TestSQLiteRecoversFromReadOnlyWindow on the database
// at path, write-protecting protect (the file or its directory).
func readOnlyWindow(t *testing.T, path, protect string) {
	const conns = 4 // connections the window's concurrent requests open
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := newStore(t, db)
	key := testKey(t)
	if err := s.Save(ctx, key, []byte("v"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	save := func() error { return s.Save(ctx, key, []byte("v"), time.Now().Add(time.Hour), false) }

	// Close the pool's connections, so that the window's requests open
	// their own, and keep every connection the pool opens from now on.
	db.SetMaxIdleConns(0)
	db.SetMaxIdleConns(conns + 1)

	undo := writeProtect(t, protect)
	held := holdConns(ctx, db, conns)
	err = save()
	if err == nil {
		t.Fatal("a save succeeded while the database was write-protected: the fault was not reproduced")
	}
	t.Logf("during the window: %v", err)
	for _, c := range held {
		c.Close() // back to the pool
	}
	undo()

	// At most one failure per connection the window opened, then every save
	// succeeds, on whichever pooled connection it gets.
	var lastErr error
	for attempt := 0; ; attempt++ {
		if lastErr = save(); lastErr == nil {
			break
		}
		if attempt == conns+1 {
			t.Fatalf("saves still fail %d attempts after the file became writable again: %v", attempt+1, lastErr)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, conns*4)
	for range conns * 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- save()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("save after the window: %v", err)
		}
	}
}

// holdConns takes n connections from db at once, so the pool must open
// them, and returns those it got.
func holdConns(ctx context.Context, db *sql.DB, n int) []*sql.Conn {
	var got []*sql.Conn
	for range n {
		if c, err := db.Conn(ctx); err == nil {
			got = append(got, c)
		}
	}
	return got
}

// TestSQLiteRefusesReadOnlyConnection checks the connector of
// TestSQLiteRecoversFromReadOnlyWindow without write-protecting a file
// (which root can only do where it may set the immutable attribute): a
// connection opened read-only, however, is refused.
func TestSQLiteRefusesReadOnlyConnection(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sessions.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tt := range []struct {
		mode     string
		readOnly bool
	}{{"ro", true}, {"rw", false}} {
		c := &connector{drv: driverOnce(), dsn: "file:" + uriPath(path) + "?mode=" + tt.mode, path: path}
		conn, err := c.Connect(ctx)
		if err == nil {
			conn.Close()
		}
		if refused := err != nil; refused != tt.readOnly || refused && !strings.Contains(err.Error(), "read-only") {
			t.Errorf("mode=%s: Connect error = %v, want a read-only error: %v", tt.mode, err, tt.readOnly)
		}
	}
}
