package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestNewTableNames(t *testing.T) {
	db := openSQLiteFile(t)
	tests := []struct {
		table string
		ok    bool
	}{
		{"", true}, // DefaultTable
		{"sessions", true},
		{"_s2", true},
		{strings.Repeat("a", 52), true},
		{strings.Repeat("a", 53), false},
		{"Sessions", false},
		{"1sessions", false},
		{"my-sessions", false},
		{"app.sessions", false},
		{`s"; DROP TABLE users; --`, false},
		{"s`x", false},
		{"séssions", false},
		{"sessions ", false},
	}
	for _, tt := range tests {
		s, err := New(db, Config{Table: tt.table})
		if (err == nil) != tt.ok {
			t.Errorf("New(Table: %q) error = %v, want ok %v", tt.table, err, tt.ok)
			continue
		}
		if err != nil && !strings.HasPrefix(err.Error(), "sqlstore: new: ") {
			t.Errorf("error %q lacks the sqlstore: new: prefix", err)
		}
		if err == nil && tt.table == "" && s.Table() != DefaultTable {
			t.Errorf("empty Table gave %q, want %q", s.Table(), DefaultTable)
		}
	}
}

func TestNewDialect(t *testing.T) {
	pg, _ := sql.Open("pgx", "postgres://nowhere.invalid/x") // sql.Open does not connect
	my, _ := sql.Open("mysql", "u@tcp(nowhere.invalid:1)/x")
	lite := openSQLiteFile(t)
	tests := []struct {
		name string
		db   *sql.DB
		cfg  Dialect
		want Dialect
		ok   bool
	}{
		{"detect pgx", pg, 0, Postgres, true},
		{"detect mysql", my, 0, MySQL, true},
		{"detect sqlite", lite, 0, SQLite, true},
		{"explicit", lite, SQLite, SQLite, true},
		{"unknown", lite, Dialect(9), 0, false},
		{"nil db", nil, SQLite, 0, false},
	}
	for _, tt := range tests {
		s, err := New(tt.db, Config{Dialect: tt.cfg})
		if (err == nil) != tt.ok {
			t.Errorf("%s: New error = %v, want ok %v", tt.name, err, tt.ok)
			continue
		}
		if err == nil && s.Dialect() != tt.want {
			t.Errorf("%s: dialect %v, want %v", tt.name, s.Dialect(), tt.want)
		}
	}
}

func TestRebind(t *testing.T) {
	q := "UPDATE t SET a = ?, b = ? WHERE c = ? AND d > ?"
	tests := map[Dialect]string{
		Postgres: "UPDATE t SET a = $1, b = $2 WHERE c = $3 AND d > $4",
		MySQL:    q,
		SQLite:   q,
	}
	for d, want := range tests {
		if got := d.rebind(q); got != want {
			t.Errorf("%v: rebind = %q, want %q", d, got, want)
		}
	}
}

// TestDDLMatchesDocs keeps the package documentation's DDL, which teams copy
// into their migrations, identical to what CreateTable runs.
func TestDDLMatchesDocs(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//\t"); ok {
			doc.WriteString(rest + "\n")
		}
	}
	for _, d := range []Dialect{Postgres, MySQL, SQLite} {
		for _, stmt := range d.ddl(DefaultTable) {
			if !strings.Contains(doc.String(), stmt+";\n") {
				t.Errorf("%v statement missing from the package documentation:\n%s;", d, stmt)
			}
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, bad := range []string{"", filepath.Join(dir, "missing", "x.db"), filepath.Join(dir, "a?b.db")} {
		if db, err := OpenSQLite(ctx, bad); err == nil {
			db.Close()
			t.Errorf("OpenSQLite(%q) succeeded", bad)
		}
	}
	db, err := OpenSQLite(ctx, filepath.Join(dir, "ok.db"))
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

func TestOpenSQLiteMemory(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := New(db, Config{})
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

func TestErrorClassification(t *testing.T) {
	wrapped := func(err error) error { return fmt.Errorf("exec: %w", err) }
	tests := []struct {
		name      string
		d         Dialect
		err       error
		duplicate bool
		deadlock  bool
	}{
		{"mysql duplicate", MySQL, wrapped(&mysql.MySQLError{Number: 1062}), true, false},
		{"mysql deadlock", MySQL, wrapped(&mysql.MySQLError{Number: 1213}), false, true},
		{"mysql other", MySQL, &mysql.MySQLError{Number: 1146}, false, false},
		{"pg deadlock", Postgres, wrapped(&pgconn.PgError{Code: "40P01"}), false, true},
		{"pg serialization", Postgres, &pgconn.PgError{Code: "40001"}, false, true},
		{"pg unique", Postgres, &pgconn.PgError{Code: "23505"}, false, false}, // creates use an upsert
		{"mysql code under pg", Postgres, &mysql.MySQLError{Number: 1213}, false, false},
		{"plain", SQLite, errors.New("x"), false, false},
		{"nil", MySQL, nil, false, false},
	}
	for _, tt := range tests {
		if got := tt.d.isDuplicate(tt.err); got != tt.duplicate {
			t.Errorf("%s: isDuplicate = %v", tt.name, got)
		}
		if got := tt.d.isDeadlock(tt.err); got != tt.deadlock {
			t.Errorf("%s: isDeadlock = %v", tt.name, got)
		}
	}
}
