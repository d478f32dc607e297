package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
//
// The pool never keeps a connection that SQLite opened read-only, as it
// does without an error when the file is not writable at that moment (a
// disk remounted read-only, permissions fixed late): opening one fails
// instead, so saves work again as soon as the file is writable.
func OpenSQLite(ctx context.Context, path string) (*sql.DB, error) {
	return openSQLite(ctx, path, true)
}

// OpenExistingSQLite opens the SQLite database in the file at path as
// OpenSQLite does, but never creates it: when there is no file at path it
// fails with an error that says so. Tools that read or clean up an existing
// store use it, so that a mistyped path does not leave an empty database
// behind.
func OpenExistingSQLite(ctx context.Context, path string) (*sql.DB, error) {
	return openSQLite(ctx, path, false)
}

func openSQLite(ctx context.Context, path string, create bool) (*sql.DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlstore: open sqlite: bad path %q (empty, or contains '?')", path)
	}
	dsn := path + "?" + sqlitePragmas
	if path != ":memory:" {
		var err error
		if dsn, err = sqliteDSN(path, create); err != nil {
			return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
		}
	}
	db := sql.OpenDB(&sqliteConnector{drv: sqliteDriver(), dsn: dsn, path: path})
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}
	return db, nil
}

// sqliteDSN returns the driver's name for the database file at path, after
// checking what SQLite would report obscurely (a missing directory is
// "out of memory (14)"). Without create it is a file: URI with mode=rw, so
// that no connection creates the file, even one the pool opens later.
func sqliteDSN(path string, create bool) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if !create {
		if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("there is no database file at %s (check the path; it is not created here): %w", abs, err)
		}
		return "file:" + sqliteURIPath(abs) + "?mode=rw&" + sqlitePragmas, nil
	}
	dir := filepath.Dir(abs)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("directory %s does not exist: create it (e.g. mkdir -p %s) or fix the path", dir, dir)
	}
	return path + "?" + sqlitePragmas, nil
}

// sqliteURIPath writes the absolute path abs as the path of a file: URI,
// escaping what SQLite's URI parser would read as a fragment or an escape.
func sqliteURIPath(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/dir on Windows
	}
	return strings.NewReplacer("%", "%25", "#", "%23").Replace(p)
}
