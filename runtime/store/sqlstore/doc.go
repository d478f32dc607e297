// Package sqlstore keeps sessions in a SQL database through database/sql:
// PostgreSQL, MySQL or MariaDB, and SQLite.
//
// Use it when sessions must survive restarts and be shared by several
// application processes, and a database is already there. Each session is
// one row; a row whose expiry has passed is never returned, and
// ClearExpired (run it from cron, or `sessionctl clear-expired`) deletes
// such rows in batches.
//
//	db, err := sql.Open("pgx", "postgres://app@db/app") // import _ "github.com/jackc/pgx/v5/stdlib"
//	...
//	st, err := sqlstore.New(db, sqlstore.Config{Table: "sessions"})
//	...
//	err = st.CreateTable(ctx) // or run the DDL below from your migrations
//
// The package imports no database driver, so a program links only the
// driver it imports itself: pgx (or lib/pq) for PostgreSQL,
// go-sql-driver/mysql for MySQL and MariaDB. For an embedded database, the
// subpackage sqlite opens a file with modernc.org/sqlite and settings
// suited to concurrent requests (WAL journal, a busy timeout).
//
// # Schema
//
// The table has four columns: session_key (the primary key),
// session_data (the signed payload, opaque bytes), expiry (when the
// session ends, in UTC) and session_owner (the user the session belongs
// to, NULL for none; see store.Owners), plus an index on expiry for
// ClearExpired and one on session_owner for listing a user's sessions.
// CreateTable runs exactly the statements below, with the configured table
// name in place of typedsession_sessions and the indexes named after it.
//
// PostgreSQL (expiry has microsecond precision):
//
//	CREATE TABLE IF NOT EXISTS "typedsession_sessions" (
//		session_key  VARCHAR(128) PRIMARY KEY,
//		session_data BYTEA NOT NULL,
//		expiry       TIMESTAMPTZ NOT NULL,
//		session_owner VARCHAR(255)
//	);
//	CREATE INDEX IF NOT EXISTS "typedsession_sessions_expiry_idx" ON "typedsession_sessions" (expiry);
//	CREATE INDEX IF NOT EXISTS "typedsession_sessions_owner_idx" ON "typedsession_sessions" (session_owner);
//
// MySQL and MariaDB (DATETIME rather than TIMESTAMP, which ends in 2038;
// values are written in UTC, the driver's default loc):
//
//	CREATE TABLE IF NOT EXISTS `typedsession_sessions` (
//		session_key  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
//		session_data LONGBLOB NOT NULL,
//		expiry       DATETIME(6) NOT NULL,
//		session_owner VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
//		INDEX `typedsession_sessions_expiry_idx` (expiry),
//		INDEX `typedsession_sessions_owner_idx` (session_owner)
//	);
//
// SQLite has no timestamp type, and its text dates compare correctly only
// when every writer uses one fixed-width format, so expiry holds Unix time
// in microseconds (read it with datetime(expiry / 1000000, 'unixepoch')):
//
//	CREATE TABLE IF NOT EXISTS "typedsession_sessions" (
//		session_key  TEXT NOT NULL PRIMARY KEY,
//		session_data BLOB NOT NULL,
//		expiry       INTEGER NOT NULL,
//		session_owner TEXT
//	);
//	CREATE INDEX IF NOT EXISTS "typedsession_sessions_expiry_idx" ON "typedsession_sessions" (expiry);
//	CREATE INDEX IF NOT EXISTS "typedsession_sessions_owner_idx" ON "typedsession_sessions" (session_owner);
//
// A table created by a release before session_owner is upgraded by
// CreateTable: if the column is missing it runs
//
//	ALTER TABLE "typedsession_sessions" ADD COLUMN IF NOT EXISTS session_owner VARCHAR(255); -- PostgreSQL
//	ALTER TABLE "typedsession_sessions" ADD COLUMN session_owner TEXT; -- SQLite
//	ALTER TABLE `typedsession_sessions` ADD COLUMN session_owner VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, ADD INDEX `typedsession_sessions_owner_idx` (session_owner); -- MySQL
//
// and then, on PostgreSQL and SQLite, the CREATE INDEX of the owner index
// above. Adding a nullable column changes no existing row (PostgreSQL and
// SQLite do it without rewriting the table; MariaDB and MySQL 8 in place).
// Existing sessions have no owner until their next save.
//
// # Semantics
//
// Save with mustCreate inserts a row, and the database's primary key, not a
// read before the write, decides between two concurrent creates of one
// key: the loser gets store.ErrCreate. (PostgreSQL and SQLite insert with
// ON CONFLICT ... DO UPDATE ... WHERE expiry <= now, so an expired row that
// was not cleared yet is replaced in the same statement; MySQL deletes such
// a row and inserts again.) Save without mustCreate is an UPDATE of a live
// row: if none matches (deleted by a concurrent logout, or expired) it
// fails with store.ErrUpdate and creates nothing. Cycle inserts the new row
// and deletes the old one in one transaction, and runs it again if the
// database aborted it to break a deadlock.
//
// Swap (store.Swapper, for optimistic concurrency) is one UPDATE whose
// WHERE clause also requires session_data to equal the payload the caller
// loaded: one statement when it succeeds, as Save; only a swap that matched
// no row sends a second query, to tell store.ErrChanged from
// store.ErrUpdate. It needs no extra column, so existing tables work as
// they are.
//
// Expiry is compared with the application's clock, not the database's, as
// in every other store; keep the clocks of several application hosts in
// sync (NTP), as signed timestamps require anyway.
//
// With MySQL, an UPDATE that writes the values a row already has reports
// no affected row unless the DSN sets clientFoundRows=true; the store then
// checks that the row exists, so either setting is correct, and
// clientFoundRows=true saves that query. interpolateParams=true saves the
// driver's prepare round trip on every statement.
package sqlstore
