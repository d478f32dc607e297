package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store/sqlstore"
)

// SQLite reports a missing directory as "out of memory (14)".
func TestOpenMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing", "dir")
	db, err := Open(context.Background(), filepath.Join(dir, "s.db"))
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded in a directory that does not exist")
	}
	for _, want := range []string{dir + " does not exist", "mkdir -p " + dir} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	db, err := OpenExisting(ctx, missing)
	if err == nil {
		db.Close()
		t.Fatal("OpenExisting succeeded without a file")
	}
	if !strings.Contains(err.Error(), "no database file at "+missing) {
		t.Errorf("error %q does not say that there is no database file", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenExisting left a file behind (stat: %v)", err)
	}

	// Characters a file: URI would read as an escape or a fragment.
	path := filepath.Join(dir, "a%41 #b.db")
	created, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := created.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	created.Close()
	db, err = OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Errorf("the existing database is not the one opened: %v", err)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, bad := range []string{"", filepath.Join(dir, "missing", "x.db"), filepath.Join(dir, "a?b.db")} {
		if db, err := Open(ctx, bad); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
	db, err := Open(ctx, filepath.Join(dir, "ok.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := map[string]string{}
	for _, p := range []string{"journal_mode", "busy_timeout", "synchronous"} {
		var v string
		if err := db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
			t.Fatal(err)
		}
		got[p] = v
	}
	want := map[string]string{"journal_mode": "wal", "busy_timeout": "5000", "synchronous": "1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pragmas (-want +got):\n%s", diff)
	}
}

func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Every query must reach the same in-memory database.
	if err := s.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClearExpired(ctx); err != nil {
		t.Errorf("the table is not visible to the next query: %v", err)
	}
}
