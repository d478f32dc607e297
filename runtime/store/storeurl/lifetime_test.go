package storeurl

import (
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// TestSQLConnLifetime: the PostgreSQL and MySQL pools replace a connection
// once it is older than sqlConnMaxLifetime, so one that went bad without
// the driver noticing (a demoted primary behind an unchanged name) is not
// kept for ever.
func TestSQLConnLifetime(t *testing.T) {
	old := sqlConnMaxLifetime
	sqlConnMaxLifetime = 20 * time.Millisecond
	t.Cleanup(func() { sqlConnMaxLifetime = old })
	for _, tt := range []struct{ name, url, self string }{
		{"postgres", postgresURL(), "SELECT pg_backend_pid()"},
		{"mysql", mysqlURL(t), "SELECT CONNECTION_ID()"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.url == "" {
				t.Skipf("set TYPEDSESSION_%s_DSN to test the %s pool", strings.ToUpper(tt.name), tt.name)
			}
			_, c, err := Open(t.Context(), tt.url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			db := c.(*sql.DB)
			db.SetMaxOpenConns(1) // every query on the one connection
			id := func() (n int64) {
				t.Helper()
				if err := db.QueryRowContext(t.Context(), tt.self).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			first := id()
			time.Sleep(2 * sqlConnMaxLifetime) // the connection is now older than its lifetime
			if again := id(); again == first {
				t.Errorf("connection %d is still in use after its lifetime", first)
			}
		})
	}
}

// postgresURL returns a postgres:// URL for TYPEDSESSION_POSTGRES_DSN, or "".
func postgresURL() string {
	return os.Getenv("TYPEDSESSION_POSTGRES_DSN")
}

// mysqlURL returns a mysql:// URL for TYPEDSESSION_MYSQL_DSN (the driver's
// DSN syntax), or "".
func mysqlURL(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("TYPEDSESSION_MYSQL_DSN")
	if dsn == "" {
		return ""
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u := &url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName, User: url.User(cfg.User)}
	if cfg.Passwd != "" {
		u.User = url.UserPassword(cfg.User, cfg.Passwd)
	}
	return u.String()
}
