package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver that OpenSQLite uses
)

// sqlitePragmas are the settings OpenSQLite applies to every connection:
// readers do not block the writer (WAL), a writer waits up to five seconds
// for another instead of failing with SQLITE_BUSY, synchronous=NORMAL is
// crash-safe in WAL mode, and transactions take the write lock when they
// begin, so two of them cannot deadlock upgrading a read lock.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// OpenSQLite opens (creating if needed) the SQLite database in the file at
// path with settings suited to a session store shared by concurrent
// requests, using the pure-Go modernc.org/sqlite driver, and checks that it
// can be used. The path ":memory:" gives a private in-memory database,
// limited to one connection so every query sees the same data.
func OpenSQLite(ctx context.Context, path string) (*sql.DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlstore: open sqlite: bad path %q (empty, or contains '?')", path)
	}
	db, err := sql.Open("sqlite", path+"?"+sqlitePragmas)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}
	return db, nil
}
