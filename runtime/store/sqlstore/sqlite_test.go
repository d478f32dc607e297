package sqlstore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SQLite reports a missing directory as "out of memory (14)".
func TestOpenSQLiteMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing", "dir")
	db, err := OpenSQLite(context.Background(), filepath.Join(dir, "s.db"))
	if err == nil {
		db.Close()
		t.Fatal("OpenSQLite succeeded in a directory that does not exist")
	}
	for _, want := range []string{dir + " does not exist", "mkdir -p " + dir} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestOpenExistingSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	db, err := OpenExistingSQLite(ctx, missing)
	if err == nil {
		db.Close()
		t.Fatal("OpenExistingSQLite succeeded without a file")
	}
	if !strings.Contains(err.Error(), "no database file at "+missing) {
		t.Errorf("error %q does not say that there is no database file", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenExistingSQLite left a file behind (stat: %v)", err)
	}

	// Characters a file: URI would read as an escape or a fragment.
	path := filepath.Join(dir, "a%41 #b.db")
	created, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := created.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	created.Close()
	db, err = OpenExistingSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Errorf("the existing database is not the one opened: %v", err)
	}
}

// A store over a database without its table says so, with ErrNoTable, on
// every backend.
func TestNoTable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, err := New(b.open(t), Config{Dialect: b.dialect, Table: uniqueTable(t)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ClearExpired(ctx)
		if !errors.Is(err, ErrNoTable) || !strings.Contains(err.Error(), s.Table()) {
			t.Errorf("ClearExpired error = %v, want one wrapping ErrNoTable and naming %s", err, s.Table())
		}
		if _, _, err := s.Load(ctx, testKey(t)); !errors.Is(err, ErrNoTable) {
			t.Errorf("Load error = %v, want one wrapping ErrNoTable", err)
		}
	})
}
