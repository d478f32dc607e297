package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// DefaultBatchSize is how many rows each statement of ClearExpired deletes
// when Config.BatchSize is zero.
const DefaultBatchSize = 1000

// Config configures a Store. The zero value works: the dialect is detected
// from the driver and the table is DefaultTable.
type Config struct {
	// Dialect is the database's SQL dialect. Zero detects it from the
	// driver (pgx, lib/pq, go-sql-driver/mysql, modernc.org/sqlite and
	// mattn/go-sqlite3 are recognised).
	Dialect Dialect

	// Table is the table's name: 1 to 52 characters of a-z, 0-9 and _, not
	// starting with a digit. Default DefaultTable. It is checked and quoted,
	// never spliced in as given.
	Table string

	// BatchSize bounds the rows each DELETE of ClearExpired removes, so a
	// large clean-up never holds long locks. Default DefaultBatchSize.
	BatchSize int
}

// Store is a store.Store over a database/sql database. It is safe for
// concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	table   string
	batch   int
	q       queries
	// fresh is set when db's driver hands each []byte column value in a
	// slice of its own (see freshDriver): the payload is then kept as the
	// driver gave it, not copied a second time by database/sql.
	fresh bool
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Cycler = (*Store)(nil)
)

// New returns a Store that keeps sessions in db, in the table cfg names. It
// does not create the table: call CreateTable, or run the documented DDL.
func New(db *sql.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: new: db is nil")
	}
	if cfg.Table == "" {
		cfg.Table = DefaultTable
	}
	if err := checkTable(cfg.Table); err != nil {
		return nil, fmt.Errorf("sqlstore: new: %w", err)
	}
	if cfg.Dialect == 0 {
		d, err := detectDialect(db)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: new: %w", err)
		}
		cfg.Dialect = d
	}
	if cfg.Dialect < Postgres || cfg.Dialect > SQLite {
		return nil, fmt.Errorf("sqlstore: new: unknown %v", cfg.Dialect)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	return &Store{
		db:      db,
		dialect: cfg.Dialect,
		table:   cfg.Table,
		batch:   cfg.BatchSize,
		q:       newQueries(cfg.Dialect, cfg.Table),
		fresh:   freshDriver(db),
	}, nil
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

// Table returns the name of the store's table.
func (s *Store) Table() string { return s.table }

// wrap gives err the operation's name, and says what to do when the table
// is missing.
func (s *Store) wrap(op string, err error) error {
	if s.dialect.isNoTable(err) {
		return &noTableError{op: op, table: s.table, err: err}
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// execer is what *sql.DB and *sql.Tx have in common, so create can run
// alone or inside Cycle's transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Load returns the payload under key if its row has not expired.
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, s.q.load, key, s.now()).Scan(s.bytesDest(&data))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.wrap("load", err)
	}
	return data, true, nil
}

// Exists reports whether key has a row that has not expired.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	ok, err := s.exists(ctx, key)
	if err != nil {
		return false, s.wrap("exists", err)
	}
	return ok, nil
}

func (s *Store) exists(ctx context.Context, key string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.q.exists, key, s.now()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Save inserts (mustCreate) or updates the row for key.
//
// An expired row that ClearExpired has not removed yet counts as absent:
// creating over it replaces it, and updating it fails with store.ErrUpdate,
// because the session it held has ended.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	if mustCreate {
		if err := s.create(ctx, s.db, key, nil, data, expiry); err != nil {
			return s.wrap("save", err)
		}
		return nil
	}
	if err := s.update(ctx, key, data, expiry); err != nil {
		return s.wrap("save", err)
	}
	return nil
}

// create inserts a row for key, replacing a row there only if it expired.
// PostgreSQL and SQLite do it in one upsert whose update is conditional;
// MySQL's upsert cannot be made conditional without ambiguous row counts,
// so there an insert that hits a duplicate deletes the key's row if (and
// only if) it expired, and tries once more.
// create inserts a record. owner is nil for a plain Save, which leaves
// session_owner out of the statement (so a table without the column still
// works); else it is the owner to set ("" for none).
func (s *Store) create(ctx context.Context, db execer, key string, owner *string, data []byte, expiry time.Time) error {
	insert, upsert := s.q.insert, s.q.upsert
	args := []any{key, data, s.dialect.timeArg(expiry)}
	if owner != nil {
		insert, upsert = s.q.insertOwned, s.q.upsertOwned
		args = append(args, ownerArg(*owner))
	}
	if s.dialect != MySQL {
		res, err := db.ExecContext(ctx, upsert, append(args, s.now())...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		return store.ErrCreate
	}
	for attempt := 0; ; attempt++ {
		_, err := db.ExecContext(ctx, insert, args...)
		if err == nil {
			return nil
		}
		if !s.dialect.isDuplicate(err) {
			return err
		}
		if attempt > 0 {
			return store.ErrCreate
		}
		res, err := db.ExecContext(ctx, s.q.deleteExpiredKey, key, s.now())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrCreate // the row there is live
		}
	}
}

func (s *Store) update(ctx context.Context, key string, data []byte, expiry time.Time) error {
	return s.updateRow(ctx, key, s.q.update, data, s.dialect.timeArg(expiry), key, s.now())
}

// updateRow runs query, an UPDATE of key's live row with args, and reports
// ErrUpdate if there is no such row.
func (s *Store) updateRow(ctx context.Context, key, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if s.dialect == MySQL {
		// MySQL counts changed rows, not matched ones, unless the DSN sets
		// clientFoundRows=true: an update that wrote identical values
		// reports 0. Ask whether the row is there instead.
		ok, err := s.exists(ctx, key)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return store.ErrUpdate
}

// Delete removes the row for key, expired or not.
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.q.delete, key); err != nil {
		return s.wrap("delete", err)
	}
	return nil
}

// now is the time rows are compared with: the application's clock, as for
// every other store, not the database's.
func (s *Store) now() any { return s.dialect.timeArg(time.Now()) }
