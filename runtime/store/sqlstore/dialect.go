package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Dialect selects the SQL spoken to the database.
type Dialect int

// The supported dialects. The zero value asks New to detect the dialect from
// the database's driver.
const (
	Postgres Dialect = iota + 1 // PostgreSQL, e.g. with github.com/jackc/pgx/v5/stdlib
	MySQL                       // MySQL or MariaDB, with github.com/go-sql-driver/mysql
	SQLite                      // SQLite, e.g. with modernc.org/sqlite
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case MySQL:
		return "mysql"
	case SQLite:
		return "sqlite"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

// detectDialect guesses the dialect from the driver's package path, so a
// zero Config works with the common drivers without importing them all.
func detectDialect(db *sql.DB) (Dialect, error) {
	t := reflect.TypeOf(db.Driver())
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	path := t.PkgPath()
	switch {
	case strings.Contains(path, "pgx"), strings.Contains(path, "lib/pq"):
		return Postgres, nil
	case strings.Contains(path, "mysql"):
		return MySQL, nil
	case strings.Contains(path, "sqlite"):
		return SQLite, nil
	}
	return 0, fmt.Errorf("cannot tell the dialect of driver %s (%s): set Config.Dialect", t.Name(), path)
}

// quote quotes an identifier that already matched tablePattern, so it
// cannot contain the quote character.
func (d Dialect) quote(ident string) string {
	if d == MySQL {
		return "`" + ident + "`"
	}
	return `"` + ident + `"`
}

// rebind turns the ? placeholders of q into $1, $2, ... for PostgreSQL. No
// other ? appears in the package's statements.
func (d Dialect) rebind(q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timeArg converts t to the value stored in the expiry column: a UTC
// timestamp where the database has a timestamp type, and Unix microseconds
// in SQLite, which has none (its text dates do not sort correctly unless
// every writer uses the same fixed-width format).
func (d Dialect) timeArg(t time.Time) any {
	if d == SQLite {
		return t.UnixMicro()
	}
	return t.UTC()
}

// Error codes the store acts on.
const (
	mysqlDupEntry   = 1062 // ER_DUP_ENTRY
	mysqlNoTable    = 1146 // ER_NO_SUCH_TABLE
	mysqlDeadlock   = 1213 // ER_LOCK_DEADLOCK
	pgDeadlock      = "40P01"
	pgSerialization = "40001"
	pgNoTable       = "42P01" // undefined_table
)

// ErrNoTable is wrapped by the errors of a Store whose table does not exist
// in its database: it was never created (see Store.CreateTable), or the
// database is not the one meant.
var ErrNoTable = errors.New("sqlstore: no sessions table")

// noTableError is the error of an operation that found no table.
type noTableError struct {
	op, table string
	err       error // the driver's
}

func (e *noTableError) Error() string {
	return fmt.Sprintf("sqlstore: %s: there is no table %q in this database: check that it is the right database, "+
		"or create the table (Store.CreateTable, storeurl's Options.CreateTable, or the DDL in the sqlstore documentation) (%v)",
		e.op, e.table, e.err)
}

func (e *noTableError) Unwrap() []error { return []error{ErrNoTable, e.err} }

// isNoTable reports whether err says that a statement named a table that
// does not exist.
func (d Dialect) isNoTable(err error) bool {
	switch d {
	case Postgres:
		var e interface{ SQLState() string }
		return errors.As(err, &e) && e.SQLState() == pgNoTable
	case MySQL:
		n, ok := mysqlErrorNumber(err)
		return ok && n == mysqlNoTable
	case SQLite:
		// SQLite reports it as a generic SQLITE_ERROR; only its message
		// tells it apart.
		return err != nil && strings.Contains(err.Error(), "no such table")
	}
	return false
}

// isDuplicate reports whether err says that an insert hit an existing key.
// Only MySQL inserts can: PostgreSQL and SQLite create with an upsert (see
// Store.create).
func (d Dialect) isDuplicate(err error) bool {
	if d != MySQL {
		return false
	}
	n, ok := mysqlErrorNumber(err)
	return ok && n == mysqlDupEntry
}

// isDeadlock reports whether err says the database aborted the transaction
// to break a deadlock (or a serialization conflict), so that running it
// again may succeed.
func (d Dialect) isDeadlock(err error) bool {
	switch d {
	case Postgres:
		// *pgconn.PgError (pgx) and *pq.Error (lib/pq) both report SQLSTATE.
		var e interface{ SQLState() string }
		return errors.As(err, &e) && (e.SQLState() == pgDeadlock || e.SQLState() == pgSerialization)
	case MySQL:
		n, ok := mysqlErrorNumber(err)
		return ok && n == mysqlDeadlock
	}
	return false
}
