package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/typedsession/typedsession/runtime/store/sqlstore/sqlite"
)

// backend is one database the tests run against.
type backend struct {
	name    string
	dialect Dialect
	open    func(t testing.TB) *sql.DB
}

// backends returns SQLite (always) and PostgreSQL and MySQL when their
// environment variables name a server.
func backends() []backend {
	return []backend{
		{name: "sqlite", dialect: SQLite, open: openSQLiteFile},
		{name: "postgres", dialect: Postgres, open: openEnv("pgx", "TYPEDSESSION_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")},
		{name: "mysql", dialect: MySQL, open: openEnv("mysql", "TYPEDSESSION_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test?parseTime=true")},
	}
}

func openSQLiteFile(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sessions.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openEnv(driver, env, example string) func(t testing.TB) *sql.DB {
	return func(t testing.TB) *sql.DB {
		t.Helper()
		dsn := os.Getenv(env)
		if dsn == "" {
			t.Skipf("set %s to run against a real server, e.g. %s=%q", env, env, example)
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.PingContext(context.Background()); err != nil {
			t.Fatalf("%s is set but the server does not answer: %v", env, err)
		}
		return db
	}
}

// newStore returns a Store over a fresh table with a unique name in db; the
// table is dropped when the test ends.
func newStore(t testing.TB, db *sql.DB, d Dialect, cfg Config) *Store {
	t.Helper()
	cfg.Dialect = d
	if cfg.Table == "" {
		cfg.Table = uniqueTable(t)
	}
	s, err := New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(ctx, "DROP TABLE "+d.quote(s.table)); err != nil {
			t.Errorf("drop test table: %v", err)
		}
	})
	return s
}

func uniqueTable(t testing.TB) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	return "ts_test_" + hex.EncodeToString(b[:])
}

// forEach runs f as a subtest against every available backend, with a
// store over a fresh table.
func forEach(t *testing.T, f func(t *testing.T, s *Store)) {
	t.Helper()
	forEachBackend(t, func(t *testing.T, b backend) {
		f(t, newStore(t, b.open(t), b.dialect, Config{}))
	})
}

// forEachBackend runs f as a subtest against every available backend.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

// rowCount counts every row in s's table, expired or not.
func rowCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM " + s.dialect.quote(s.table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testKey returns a fresh valid session key.
func testKey(t testing.TB) string {
	t.Helper()
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
