package sqlstore

import (
	"database/sql"
	"fmt"
	"reflect"
)

// What a Load returns is the caller's to keep: the store keeps no
// reference to it, so a caller changing it never changes what is stored
// (the session package's copies on get rest on that). database/sql gives
// that by copying each []byte column value into a new slice when it is
// scanned into a *[]byte, because a driver may return a slice into memory
// it reuses for the next row or query (go-sql-driver/mysql returns slices
// of its read buffer). Where the driver already made a slice for that one
// value, as the two below do, that copy is a second one, and the store
// keeps the driver's slice instead.

// freshDrivers are the drivers known to return every []byte column value
// in a slice allocated for that value alone, which nothing else refers to,
// by the package path and name of their driver.Driver type:
//
//   - github.com/jackc/pgx/v5/stdlib: Rows.Next decodes a bytea with
//     pgtype's scan plans, which make a new slice per value
//     (scanPlanBinaryBytesToBytes: make and copy; the text format's
//     decodeHexBytea: a new slice as well), checked in pgx v5.8.0.
//   - modernc.org/sqlite: rows.Next reads a BLOB with conn.columnBlob,
//     which makes a new slice and copies the value out of SQLite's memory
//     (and a TEXT value comes as a Go string), checked in v1.46.1.
//
// Any other driver, a driver wrapped by another (a tracing wrapper, say),
// and lib/pq or go-sql-driver/mysql keep database/sql's copy.
// TestLoadIsTheCallers checks, on each database the tests reach, that what
// Load returned stays as it was over later queries and that changing it
// changes nothing stored, so a driver release that starts reusing its
// memory fails it.
var freshDrivers = map[[2]string]bool{
	{"github.com/jackc/pgx/v5/stdlib", "Driver"}: true,
	{"modernc.org/sqlite", "Driver"}:             true,
}

// freshDriver reports whether db's driver is one of freshDrivers.
func freshDriver(db *sql.DB) bool {
	t := reflect.TypeOf(db.Driver())
	if t == nil || t.Kind() != reflect.Pointer {
		return false
	}
	t = t.Elem()
	return freshDrivers[[2]string{t.PkgPath(), t.Name()}]
}

// bytesDest returns what to scan a []byte column into to fill *b: b itself,
// so that database/sql copies the value, or, with a driver of
// freshDrivers, a keptBytes that keeps the driver's slice.
func (s *Store) bytesDest(b *[]byte) any {
	if s.fresh {
		return (*keptBytes)(b)
	}
	return b
}

// keptBytes is a sql.Scanner that keeps the []byte it is given as it is:
// database/sql passes a Scanner the driver's value without copying it.
type keptBytes []byte

// Scan keeps src, a []byte, or copies a string into a new slice.
func (k *keptBytes) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		*k = v
	case string:
		*k = []byte(v)
	case nil:
		*k = nil
	default:
		return fmt.Errorf("sqlstore: scanning a %T into a byte column", src)
	}
	return nil
}
