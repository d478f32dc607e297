package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/sqlstore/sqlite"
)

// TestSwapStatements counts the statements Swap sends: one when it
// succeeds, as Save; a second, to tell ErrChanged from ErrUpdate, only when
// it fails. The behaviour itself is the conformance suite's (C70–C78).
func TestSwapStatements(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db, n := countingDB(t, b)
		s := newStore(t, db, b.dialect, Config{})
		ctx := context.Background()
		key := testKey(t)
		hour := time.Now().Add(time.Hour)
		if err := s.Save(ctx, key, []byte("v1"), hour, true); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name       string
			call       func() error
			want       error
			statements int64
		}{
			{"save_update", func() error { return s.Save(ctx, key, []byte("v2"), hour, false) }, nil, 1},
			{"swap", func() error { return s.Swap(ctx, key, []byte("v2"), []byte("v3"), hour) }, nil, 1},
			{"swap_changed", func() error { return s.Swap(ctx, key, []byte("v2"), []byte("v4"), hour) }, store.ErrChanged, 2},
			{"swap_gone", func() error { return s.Swap(ctx, testKey(t), []byte("v2"), []byte("v4"), hour) }, store.ErrUpdate, 2},
		} {
			before := n.Load()
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
			}
			if got := n.Load() - before; got != tc.statements {
				t.Errorf("%s: %d statements, want %d", tc.name, got, tc.statements)
			}
		}
	})
}

// countingDB opens b's database through a connector that counts the
// statements sent (each Exec and Query, prepared by the driver or not).
func countingDB(t *testing.T, b backend) (*sql.DB, *atomic.Int64) {
	t.Helper()
	var c driver.Connector
	switch b.dialect {
	case SQLite:
		// The driver sqlite.Open uses, with a plain DSN: only the
		// statements are counted here.
		db, err := sqlite.Open(context.Background(), ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dsn := filepath.Join(t.TempDir(), "sessions.db") + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
		c = dsnConnector{db.Driver(), dsn}
	default:
		probe := b.open(t) // skips when the server is not configured
		env := map[Dialect]string{Postgres: "TYPEDSESSION_POSTGRES_DSN", MySQL: "TYPEDSESSION_MYSQL_DSN"}[b.dialect]
		var err error
		c, err = probe.Driver().(driver.DriverContext).OpenConnector(os.Getenv(env))
		if err != nil {
			t.Fatal(err)
		}
	}
	n := &atomic.Int64{}
	db := sql.OpenDB(countingConnector{c, n})
	t.Cleanup(func() { db.Close() })
	return db, n
}

// dsnConnector opens dsn with a driver that has no OpenConnector of its
// own.
type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

type countingConnector struct {
	driver.Connector
	n *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{conn, c.n}, nil
}

// countingConn counts ExecContext and QueryContext calls. A driver that
// answers driver.ErrSkip (to have database/sql prepare the statement) is
// still counted once per statement.
type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	if e, ok := c.Conn.(driver.QueryerContext); ok {
		return e.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *countingConn) CheckNamedValue(v *driver.NamedValue) error {
	if nc, ok := c.Conn.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(v)
	}
	return driver.ErrSkip
}
