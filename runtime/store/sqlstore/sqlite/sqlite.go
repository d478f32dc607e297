// Package sqlite opens SQLite databases for sqlstore, with the pure-Go
// modernc.org/sqlite driver (no cgo) and settings suited to a session store
// shared by concurrent requests.
//
//	db, err := sqlite.Open(ctx, "/var/lib/myapp/sessions.db")
//	...
//	st, err := sqlstore.New(db, sqlstore.Config{})
//
// It is a package of its own so that programs using sqlstore with
// PostgreSQL or MySQL do not link the SQLite driver.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver that Open uses
)

// pragmas are the settings Open applies to every connection:
// readers do not block the writer (WAL), a writer waits up to five seconds
// for another instead of failing with SQLITE_BUSY, synchronous=NORMAL is
// crash-safe in WAL mode, and transactions take the write lock when they
// begin, so two of them cannot deadlock upgrading a read lock.
const pragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Open opens (creating if needed) the SQLite database in the file at
// path with settings suited to a session store shared by concurrent
// requests, using the pure-Go modernc.org/sqlite driver, and checks that it
// can be used. The path ":memory:" gives a private in-memory database,
// limited to one connection so every query sees the same data.
//
// The pool never keeps a connection that SQLite opened read-only, as it
// does without an error when the file is not writable at that moment (a
// disk remounted read-only, permissions fixed late): opening one fails
// instead, so saves work again as soon as the file is writable.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	return open(ctx, path, true)
}

// OpenExisting opens the SQLite database in the file at path as Open
// does, but never creates it: when there is no file at path it
// fails with an error that says so. Tools that read or clean up an existing
// store use it, so that a mistyped path does not leave an empty database
// behind.
func OpenExisting(ctx context.Context, path string) (*sql.DB, error) {
	return open(ctx, path, false)
}

func open(ctx context.Context, path string, create bool) (*sql.DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: open: bad path %q (empty, or contains '?')", path)
	}
	dsn := path + "?" + pragmas
	if path != ":memory:" {
		var err error
		if dsn, err = fileDSN(path, create); err != nil {
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
	}
	db := sql.OpenDB(&connector{drv: driverOnce(), dsn: dsn, path: path})
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// fileDSN returns the driver's name for the database file at path, after
// checking what SQLite would report obscurely (a missing directory is
// "out of memory (14)"). Without create it is a file: URI with mode=rw, so
// that no connection creates the file, even one the pool opens later.
func fileDSN(path string, create bool) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if !create {
		if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("there is no database file at %s (check the path; it is not created here): %w", abs, err)
		}
		return "file:" + uriPath(abs) + "?mode=rw&" + pragmas, nil
	}
	dir := filepath.Dir(abs)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("directory %s does not exist: create it (e.g. mkdir -p %s) or fix the path", dir, dir)
	}
	return path + "?" + pragmas, nil
}

// uriPath writes the absolute path abs as the path of a file: URI,
// escaping what SQLite's URI parser would read as a fragment or an escape.
func uriPath(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/dir on Windows
	}
	return strings.NewReplacer("%", "%25", "#", "%23").Replace(p)
}
