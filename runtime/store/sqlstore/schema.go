package sqlstore

import (
	"context"
	"fmt"
	"regexp"
)

// DefaultTable is the table name used when Config.Table is empty.
const DefaultTable = "typedsession_sessions"

// tablePattern is what a table name must match: lower case, so PostgreSQL's
// quoted and unquoted spellings name the same table, and short enough that
// the index name derived from it (table + "_expiry_idx") fits every
// database's identifier limit (63 bytes in PostgreSQL).
var tablePattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,51}$`)

func checkTable(name string) error {
	if !tablePattern.MatchString(name) {
		return fmt.Errorf("table name %q is not allowed: use 1 to 52 characters of a-z, 0-9 and _, not starting with a digit", name)
	}
	return nil
}

// ddl returns the statements that create the table and its index, as
// documented in the package comment.
func (d Dialect) ddl(table string) []string {
	t, idx, oidx := d.quote(table), d.quote(table+"_expiry_idx"), d.quote(table+"_owner_idx")
	switch d {
	case Postgres:
		return []string{
			"CREATE TABLE IF NOT EXISTS " + t + " (\n" +
				"\tsession_key  VARCHAR(128) PRIMARY KEY,\n" +
				"\tsession_data BYTEA NOT NULL,\n" +
				"\texpiry       TIMESTAMPTZ NOT NULL,\n" +
				"\tsession_owner VARCHAR(255)\n" +
				")",
			"CREATE INDEX IF NOT EXISTS " + idx + " ON " + t + " (expiry)",
		}
	case MySQL:
		return []string{
			"CREATE TABLE IF NOT EXISTS " + t + " (\n" +
				"\tsession_key  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,\n" +
				"\tsession_data LONGBLOB NOT NULL,\n" +
				"\texpiry       DATETIME(6) NOT NULL,\n" +
				"\tsession_owner " + mysqlOwnerType + ",\n" +
				"\tINDEX " + idx + " (expiry),\n" +
				"\tINDEX " + oidx + " (session_owner)\n" +
				")",
		}
	case SQLite:
		return []string{
			"CREATE TABLE IF NOT EXISTS " + t + " (\n" +
				"\tsession_key  TEXT NOT NULL PRIMARY KEY,\n" +
				"\tsession_data BLOB NOT NULL,\n" +
				"\texpiry       INTEGER NOT NULL,\n" +
				"\tsession_owner TEXT\n" +
				")",
			"CREATE INDEX IF NOT EXISTS " + idx + " ON " + t + " (expiry)",
		}
	}
	return nil
}

// CreateTable creates the store's table and its index if they do not exist.
// It is safe to call on every start. Teams that manage their schema with a
// migration tool can run the DDL from the package documentation instead.
func (s *Store) CreateTable(ctx context.Context) error {
	for _, q := range s.dialect.ddl(s.table) {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return s.wrap("create table", err)
		}
	}
	if err := s.addOwnerColumn(ctx); err != nil {
		return s.wrap("create table: add the owner column", err)
	}
	return nil
}
