package storeurl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/sqlstore"
	"github.com/typedsession/typedsession/runtime/store/sqlstore/sqlite"
)

func openPostgres(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	table := takeParam(u, "table")
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, nil, err
	}
	return newSQL(ctx, db, sqlstore.Postgres, table, opts)
}

// openMySQL turns mysql://user:pass@host:port/db?params into the driver's
// configuration. clientFoundRows is set so an UPDATE reports the rows it
// matched (sqlstore is correct without it, but saves a query), and
// interpolateParams, unless the URL sets it, so each statement is one round
// trip instead of a prepare and an execute (the driver falls back to
// preparing for character sets where interpolation is unsafe).
func openMySQL(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	table := takeParam(u, "table")
	// The driver's own parser reads the parameters (timeouts, TLS, ...).
	cfg, err := mysql.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return nil, nil, err
	}
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" || strings.Contains(cfg.DBName, "/") {
		return nil, nil, fmt.Errorf("want mysql://user:password@host:port/database")
	}
	cfg.ClientFoundRows = true
	if !u.Query().Has("interpolateParams") {
		cfg.InterpolateParams = true
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, nil, err
	}
	return newSQL(ctx, sql.OpenDB(conn), sqlstore.MySQL, table, opts)
}

func openSQLite(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	table := takeParam(u, "table")
	if err := noParams(u, "only table= is read"); err != nil {
		return nil, nil, err
	}
	path, err := localPath(u)
	if err != nil {
		return nil, nil, err
	}
	// Without CreateTable the table must exist already, so the file must
	// too: creating an empty database would only hide a mistyped path.
	openDB := sqlite.OpenExisting
	if opts.CreateTable {
		openDB = sqlite.Open
	}
	db, err := openDB(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%w; Options.CreateTable creates the database and its table", err)
	}
	if err != nil {
		return nil, nil, err
	}
	return newSQL(ctx, db, sqlstore.SQLite, table, opts)
}

// sqlConnMaxLifetime bounds how long the PostgreSQL and MySQL pools keep a
// connection. database/sql retires a connection only when the driver says
// it is broken, and some stay bad after their fault is gone without ever
// saying so: one to a primary demoted to a read-only standby while DNS now
// names the new primary, or one a firewall or proxy dropped silently.
// go-sql-driver/mysql advises less than five minutes, which some of those
// middleboxes use; the cost is one reconnection per connection that often.
// A variable for the tests.
var sqlConnMaxLifetime = 3 * time.Minute

// newSQL makes the store over db, which it closes on failure.
func newSQL(ctx context.Context, db *sql.DB, d sqlstore.Dialect, table string, opts Options) (_ store.Store, _ io.Closer, err error) {
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	if d != sqlstore.SQLite { // an embedded database has no connection to go bad this way
		db.SetConnMaxLifetime(sqlConnMaxLifetime)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, nil, err
	}
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: d, Table: table})
	if err != nil {
		return nil, nil, err
	}
	if opts.CreateTable {
		if err := s.CreateTable(ctx); err != nil {
			return nil, nil, err
		}
	}
	return s, db, nil
}
